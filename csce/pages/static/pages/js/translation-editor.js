// Policy P2 (WCAG 2.1 AA): the translation editor (a React app) renders its PO-file input
// without a label; it gets the one the page carries, in the admin's language.
(function () {
  function labelFileInputs() {
    var root = document.querySelector(".csce-translation-editor");
    if (!root) {
      return;
    }
    root
      .querySelectorAll('.js-translation-editor input[type="file"]:not([aria-label])')
      .forEach(function (input) {
        input.setAttribute("aria-label", root.dataset.fileLabel);
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelFileInputs();
    new MutationObserver(labelFileInputs).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
