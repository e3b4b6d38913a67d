// Pointing at, tapping or selecting a quote shows its details card and lights up its cue and speaker
// mention. On a wide screen the cards sit beside the text; on a phone the card opens as a sheet at
// the bottom of the screen, over the text, next to the quote tapped, and closes with its button.
"use strict";
(function () {
  document.documentElement.classList.add("js"); // hide the cards of the quotes not selected
  const text = document.getElementById("text");
  const sheet = document.getElementById("sheet");
  let current = null;

  function select(n) {
    if (n === current) return;
    for (const node of document.querySelectorAll(".active")) node.classList.remove("active");
    for (const node of document.querySelectorAll('[data-q="' + n + '"]')) node.classList.add("active");
    current = n;
    sheet.classList.add("open");
  }

  function quoteOf(target) {
    const mark = target.closest && target.closest("mark[data-q]");
    return mark ? mark.dataset.q : null;
  }

  for (const type of ["mouseover", "focusin", "click"]) {
    text.addEventListener(type, function (event) {
      const n = quoteOf(event.target);
      if (n !== null) select(n);
    });
  }
  for (const a of document.querySelectorAll("a.goto")) {
    a.addEventListener("click", function () { select(a.dataset.q); });
  }
  document.getElementById("sheet-close").addEventListener("click", function () {
    sheet.classList.remove("open");
    for (const node of document.querySelectorAll(".active")) node.classList.remove("active");
    current = null;
  });
  const at = location.hash.match(/^#at-(\d+)$/);
  if (at) {
    const mark = text.querySelector('mark[data-start="' + at[1] + '"]');
    if (mark) {
      select(mark.dataset.q);
      mark.scrollIntoView({ block: "center" });
    }
  }
})();
