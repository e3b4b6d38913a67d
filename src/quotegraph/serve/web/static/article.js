// Pointing at or selecting a quote shows its details card and lights up its cue and speaker mention.
"use strict";
(function () {
  document.documentElement.classList.add("js"); // hide the cards of the quotes not selected
  const text = document.getElementById("text");
  let current = null;

  function select(n) {
    if (n === current) return;
    for (const node of document.querySelectorAll(".active")) node.classList.remove("active");
    for (const node of document.querySelectorAll('[data-q="' + n + '"]')) node.classList.add("active");
    current = n;
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
  const at = location.hash.match(/^#at-(\d+)$/);
  if (at) {
    const mark = text.querySelector('mark[data-start="' + at[1] + '"]');
    if (mark) {
      select(mark.dataset.q);
      mark.scrollIntoView({ block: "center" });
    }
  }
})();
