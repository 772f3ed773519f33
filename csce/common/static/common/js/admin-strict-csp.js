/*
 * Strict CSP in the Wagtail admin (policy M): scripts run only from 'self' or with the
 * request's nonce, so the inline initialisers that Wagtail writes after its widgets and
 * panels would be blocked. Our templates and csce/common/wagtail_hooks.py write inert
 * markers instead:
 *
 *   <script type="application/json" data-csce-init="NAME" data-csce-id="ID"
 *           data-csce-options="JSON"></script>
 *
 * and this file makes the call Wagtail's inline script made: NAME(ID, OPTIONS), or
 * NAME(OPTIONS) without an id; with `new` for classes. It runs once the page is parsed
 * (the tag is deferred) and again for every marker added later: forms added by an inline
 * panel's "Add" button, modals and listings loaded by fetch.
 */
(function () {
  "use strict";

  // Only these globals may be named by a marker, so injected markup cannot call others.
  const CLASSES = new Set([
    "InlinePanel",
    "MultipleChooserPanel",
    "Chooser",
    "PageChooser",
    "ImageChooser",
    "DocumentChooser",
    "SnippetChooser",
  ]);
  const FUNCTIONS = new Set([
    "initDateChooser",
    "initTimeChooser",
    "initDateTimeChooser",
    "createTaskChooser",
  ]);
  const SELECTOR = "script[type='application/json'][data-csce-init]";
  const done = new WeakSet();

  function initialise(marker) {
    if (done.has(marker)) return;
    done.add(marker);
    const name = marker.dataset.csceInit;
    const target = window[name];
    if (!(CLASSES.has(name) || FUNCTIONS.has(name)) || typeof target !== "function") {
      console.warn("admin-strict-csp: nothing to initialise for", name);
      return;
    }
    try {
      const args = [];
      if ("csceId" in marker.dataset) args.push(marker.dataset.csceId);
      if (marker.dataset.csceOptions) args.push(JSON.parse(marker.dataset.csceOptions));
      if (CLASSES.has(name)) new target(...args);
      else target(...args);
    } catch (error) {
      // One broken widget must not leave the rest of the form uninitialised.
      console.error("admin-strict-csp:", name, error);
    }
  }

  function initialiseWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches(SELECTOR)) initialise(node);
    node.querySelectorAll(SELECTOR).forEach(initialise);
  }

  function start() {
    // Jcrop (the image focal point chooser) tests for touch support by setting an inline
    // ontouchstart attribute, which the policy blocks and reports; answer it beforehand.
    if (window.jQuery && jQuery.Jcrop) {
      jQuery.Jcrop.defaults.touchSupport = "ontouchstart" in document.documentElement;
    }
    initialiseWithin(document.documentElement);
    // InlinePanel.addForm fires this before it returns, and MultipleChooserPanel reads the
    // new form's chooser right after: initialise synchronously, not on the next mutation.
    document.addEventListener("w-formset:added", (event) => initialiseWithin(event.target));
    new MutationObserver((records) => {
      records.forEach((record) => record.addedNodes.forEach(initialiseWithin));
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
