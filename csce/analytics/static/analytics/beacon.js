// One page view, told to our own server (policy P4, P5). No cookie, no storage, nothing sent
// elsewhere; nothing at all when the browser asks not to be tracked (GPC or DNT).
(function () {
  var n = navigator, d = document, s = d.currentScript;
  if (!s || !n.sendBeacon || n.globalPrivacyControl || n.doNotTrack === "1" || window.doNotTrack === "1") return;
  n.sendBeacon(s.getAttribute("data-endpoint"), JSON.stringify({
    p: s.getAttribute("data-path") || location.pathname + location.search,
    r: d.referrer,
    w: screen.width,
    l: d.documentElement.lang
  }));
})();
