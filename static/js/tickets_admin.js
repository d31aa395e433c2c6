// Agent console: one-click canned replies and knowledge-base links, inserted
// at the cursor of the reply box. No inline scripts (CSP script-src 'self').
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  // The requester's account state comes from its own admin view after the
  // page loads, so the change form's query count does not grow with it.
  ready(function () {
    const summary = document.getElementById("account-summary");
    if (!summary || !summary.dataset.accountSummaryUrl) return;
    fetch(summary.dataset.accountSummaryUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html) summary.innerHTML = html; })
      .catch(function () { /* keep the link to the page */ });
  });

  ready(function () {
    const panel = document.getElementById("agent-panel");
    const body = document.getElementById("agent-reply-body");
    if (!panel || !body) return;

    function insert(text) {
      const start = body.selectionStart || 0;
      const end = body.selectionEnd || 0;
      body.value = body.value.slice(0, start) + text + body.value.slice(end);
      body.focus();
      body.selectionStart = body.selectionEnd = start + text.length;
    }

    panel.addEventListener("click", function (event) {
      const canned = event.target.closest("[data-canned]");
      if (canned) { insert(canned.dataset.canned); return; }
      const link = event.target.closest("[data-kb-url]");
      if (link) { insert(link.dataset.kbTitle + ": " + window.location.origin + link.dataset.kbUrl); }
    });

    const q = document.getElementById("kb-link-q");
    const results = document.getElementById("kb-link-results");
    let timer = null;
    if (!q || !results) return;
    q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        const term = q.value.trim();
        if (term.length < 2) { results.replaceChildren(); return; }
        const url = panel.dataset.suggestUrl + "?q=" + encodeURIComponent(term) + "&lang=" + encodeURIComponent(panel.dataset.lang);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (data) {
            const items = Array.isArray(data) ? data : (data.results || []);
            results.replaceChildren();
            items.slice(0, 5).forEach(function (item) {
              if (typeof item.url !== "string" || !item.url.startsWith("/")) return;
              const b = document.createElement("button");
              b.type = "button";
              b.className = "button";
              b.textContent = item.title;
              b.dataset.kbUrl = item.url;
              b.dataset.kbTitle = item.title;
              results.appendChild(b);
            });
          })
          .catch(function () { results.replaceChildren(); });
      }, 250);
    });
  });
})();
