// Policy P2 (WCAG 2.1 AA): the translation editor (a React app) renders its PO-file input
// without a label; it gets the one the page carries, in the admin's language. Its section
// heading, written in English whatever the admin's language, gets the page's translation.
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
  function translateHeadings() {
    var root = document.querySelector(".csce-translation-editor");
    if (!root || !root.dataset.heading) {
      return;
    }
    root.querySelectorAll(".js-translation-editor section h3").forEach(function (heading) {
      // The text node React wrote is changed in place, never replaced.
      var text = heading.firstChild;
      if (
        text &&
        text.nodeType === Node.TEXT_NODE &&
        text.nodeValue === root.dataset.headingFrom &&
        text.nodeValue !== root.dataset.heading
      ) {
        text.nodeValue = root.dataset.heading;
      }
    });
  }
  function update() {
    labelFileInputs();
    translateHeadings();
  }
  document.addEventListener("DOMContentLoaded", function () {
    update();
    new MutationObserver(update).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
})();
