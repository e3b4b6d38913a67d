// "Copy" buttons: the citation or the CSL-JSON to the clipboard, as plain text.
"use strict";
(function () {
  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", function () {
      const text = document.getElementById(button.dataset.copy).textContent;
      const done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text).then(done, function () { select(button.dataset.copy); });
      } else {
        select(button.dataset.copy);
      }
    });
  }

  // Where the clipboard is not offered, the text is selected for the reader to copy.
  function select(id) {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById(id));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
