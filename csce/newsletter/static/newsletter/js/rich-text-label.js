/*
 * Names each rich-text editor of a StreamField after its block's heading (WCAG 4.1.2).
 *
 * Wagtail's Draftail editor inside a stream block is a textbox with no accessible name:
 * the block's heading ("Texte") is not tied to it. Each such editor, including those
 * added later, gets aria-labelledby pointing at the nearest block heading.
 */
(function () {
  "use strict";

  function nameEditors(root) {
    root.querySelectorAll('[contenteditable="true"][role="textbox"]').forEach(function (editor) {
      if (editor.hasAttribute("aria-label") || editor.hasAttribute("aria-labelledby")) return;
      for (var node = editor.parentElement; node; node = node.parentElement) {
        var heading = node.querySelector("[data-panel-heading][id]");
        if (heading) {
          editor.setAttribute("aria-labelledby", heading.id);
          return;
        }
      }
    });
  }

  function start() {
    nameEditors(document);
    new MutationObserver(function () {
      nameEditors(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
