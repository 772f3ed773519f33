// The anti-spam proof of work (docs/decisions/0011-proof-of-work-challenge.md).
// A file of our origin, no inline script (CSP script-src 'self'): it loads the vendored
// ALTCHA widget, gives it our wording and a worker file of our origin (no blob: worker).
import "./vendor/altcha/altcha.min.js";

const altchaGlobal = globalThis.$altcha;
for (const widget of document.querySelectorAll("altcha-widget[data-worker]")) {
  const workerUrl = widget.dataset.worker;
  for (const algorithm of ["SHA-256", "SHA-384", "SHA-512"]) {
    altchaGlobal.algorithms.set(algorithm, () => new Worker(workerUrl));
  }
  const strings = JSON.parse(widget.dataset.strings || "{}");
  for (const [language, texts] of Object.entries(strings)) {
    altchaGlobal.i18n.set(language, texts);
  }
  if (typeof widget.configure === "function") {
    widget.configure({ language: widget.getAttribute("language") || "fr" });
  }
}
