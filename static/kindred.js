// Kindred's only script. Everything works without it; it adds gentle, live feedback while
// a member writes (the same screening the "Check my wording" button shows after a reload).
// It builds text nodes only, never HTML from data, and talks to this site alone.
(function () {
  "use strict";

  var PAUSE_MS = 900;

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function render(panel, result) {
    panel.replaceChildren();
    var stigma = result.stigma || [];
    if (result.crisis) {
      var help = el("p", "It sounds like things may be very hard right now. ", "live-help");
      var link = el("a", "People are ready to listen today.");
      link.href = "/help";
      help.appendChild(link);
      panel.appendChild(help);
    }
    if (stigma.length) {
      panel.appendChild(el("p", "Some wording here can hurt people in recovery:"));
      var list = el("ul");
      stigma.forEach(function (item) {
        var li = el("li");
        li.appendChild(el("mark", item.term));
        li.appendChild(document.createTextNode(" — try “" + item.suggestion + "”. "));
        li.appendChild(el("span", item.explanation, "meta"));
        list.appendChild(li);
      });
      panel.appendChild(list);
    }
    if (result.pii_redacted) {
      var n = result.pii_redacted;
      panel.appendChild(el("p", "To keep you anonymous, " + n + " personal detail" +
        (n === 1 ? "" : "s") + " will be removed when you post."));
    }
    panel.hidden = !panel.childNodes.length;
  }

  function watch(field) {
    var panel = el("div", "", "live-nudge");
    panel.id = field.id + "-live";
    panel.setAttribute("role", "status");
    panel.setAttribute("aria-live", "polite");
    panel.hidden = true;
    field.insertAdjacentElement("afterend", panel);
    var timer = null;
    var asked = 0;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = field.value;
        if (!text.trim()) { render(panel, {}); return; }
        var mine = ++asked;
        fetch("/api/v1/screen", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: text }),
          credentials: "omit"
        }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (result) {
          if (result && mine === asked) render(panel, result);
        }).catch(function () { /* the button still works */ });
      }, PAUSE_MS);
    });
  }

  document.querySelectorAll("textarea[data-screen]").forEach(watch);
})();
