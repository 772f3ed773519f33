// Policy C: a news article's social media post, counted against each network's limit as
// the editor types. The rules (limits, link pattern, weights, messages in the admin's
// language) come from the server's table (csce/pages/sharing.py), which computes the
// same counts when the page opens. Our own static script: no inline code (strict CSP).
(function () {
  "use strict";

  var ZWJ = 0x200d;
  var MARK = /\p{M}/u;

  function inRange(code, low, high) {
    return code >= low && code <= high;
  }

  function extendsPrevious(code, char) {
    return (
      MARK.test(char) ||
      inRange(code, 0x1f3fb, 0x1f3ff) ||
      code === ZWJ ||
      inRange(code, 0xe0020, 0xe007f)
    );
  }

  // The text cut into what a reader sees as single characters (as sharing.clusters).
  function clusters(text) {
    var found = [];
    var joined = false;
    Array.from(text).forEach(function (char) {
      var code = char.codePointAt(0);
      var last = found.length ? found[found.length - 1] : "";
      var lastChars = Array.from(last);
      var flagHalf =
        lastChars.length === 1 &&
        inRange(lastChars[0].codePointAt(0), 0x1f1e6, 0x1f1ff) &&
        inRange(code, 0x1f1e6, 0x1f1ff);
      if (found.length && (joined || extendsPrevious(code, char) || flagHalf)) {
        found[found.length - 1] += char;
      } else {
        found.push(char);
      }
      joined = code === ZWJ;
    });
    return found;
  }

  function isEmoji(cluster, rules) {
    var codes = Array.from(cluster).map(function (c) {
      return c.codePointAt(0);
    });
    return (
      codes[0] >= rules.emoji_from ||
      codes.indexOf(0xfe0f) !== -1 ||
      codes.indexOf(0x20e3) !== -1 ||
      codes.indexOf(ZWJ) !== -1 ||
      codes.some(function (c) {
        return inRange(c, 0x1f3fb, 0x1f3ff);
      })
    );
  }

  function weighted(text, rules) {
    var total = 0;
    clusters(text).forEach(function (cluster) {
      if (isEmoji(cluster, rules)) {
        total += 2;
        return;
      }
      Array.from(cluster).forEach(function (char) {
        var code = char.codePointAt(0);
        var one = rules.weight_one_ranges.some(function (range) {
          return inRange(code, range[0], range[1]);
        });
        total += one ? 1 : 2;
      });
    });
    return total;
  }

  function measure(text, unit, rules) {
    if (unit === "weighted") {
      return weighted(text, rules);
    }
    if (unit === "graphemes") {
      return clusters(text).length;
    }
    return Array.from(text).length;
  }

  function postLength(text, network, rules) {
    text = (text || "").normalize("NFC");
    if (network.link_length === null) {
      return measure(text, network.unit, rules);
    }
    var link = new RegExp(rules.link_pattern, "gi");
    var links = text.match(link) || [];
    return measure(text.replace(link, ""), network.unit, rules) + network.link_length * links.length;
  }

  function words(template, count) {
    return template.replace("%(count)s", String(count));
  }

  function setup(root) {
    var rules = JSON.parse(root.dataset.rules);
    var textarea = root.querySelector("textarea");
    var status = root.querySelector("[data-social-post-status]");
    var copy = root.querySelector("[data-social-post-copy]");
    var plural = new Intl.PluralRules(document.documentElement.lang || "fr");
    var announced = null;
    var timer = null;

    function message(kind, count) {
      var forms = rules.messages[kind];
      return words(plural.select(count) === "one" ? forms[0] : forms[1], count);
    }

    function update(event) {
      var tooLong = [];
      rules.networks.forEach(function (network) {
        var row = root.querySelector('[data-network="' + network.key + '"]');
        if (!row) {
          return;
        }
        var length = postLength(textarea.value, network, rules);
        var remaining = network.limit - length;
        var cell = row.querySelector("[data-status]");
        row.querySelector("[data-length]").textContent = String(length);
        row.classList.toggle("social-post__over", remaining < 0);
        cell.textContent = "";
        if (remaining < 0) {
          tooLong.push(network.name);
          var strong = document.createElement("strong");
          strong.textContent = message("over", -remaining);
          cell.appendChild(strong);
        } else {
          cell.textContent = message("left", remaining);
        }
      });
      // Screen readers hear the verdict once the typing pauses, and only when it changes.
      var verdict = tooLong.length
        ? rules.messages.too_long.replace("%(networks)s", tooLong.join(", "))
        : rules.messages.all_fit;
      if (!event) {
        announced = verdict; // what the page showed when it opened: nothing to announce
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (verdict !== announced) {
          announced = verdict;
          status.textContent = verdict;
        }
      }, 700);
    }

    textarea.addEventListener("input", update);
    copy.addEventListener("click", function () {
      function done(ok) {
        announced = null;
        status.textContent = ok ? rules.messages.copied : rules.messages.copy_failed;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(textarea.value).then(
          function () {
            done(true);
          },
          function () {
            textarea.select();
            done(false);
          },
        );
      } else {
        textarea.select();
        done(false);
      }
    });
    update(null);
  }

  function init() {
    document.querySelectorAll("[data-social-post]:not([data-social-post-ready])").forEach(function (root) {
      root.setAttribute("data-social-post-ready", "");
      setup(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
