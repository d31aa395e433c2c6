// Ticket form: suggest help articles while the subject is typed, and record
// a "deflection" when the user leaves through one of them.
(function () {
  "use strict";
  const form = document.querySelector("form[data-suggest-url]");
  if (!form) return;
  const input = form.querySelector("[data-kb-suggest]");
  const box = form.querySelector(".kb-suggestions");
  const list = box && box.querySelector("ul");
  if (!input || !list) return;
  // Two Chinese or Japanese characters already make a word ("充币", "提币");
  // two Latin letters would match half the help centre.
  const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
  let timer = null;
  let lastQuery = "";

  function render(items) {
    list.replaceChildren();
    items.slice(0, 5).forEach(function (item) {
      if (typeof item.url !== "string" || !item.url.startsWith("/") || item.url.startsWith("//")) return;
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      a.dataset.deflect = "1";
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = list.children.length === 0;
  }

  function fetchSuggestions() {
    const q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (q.length < (CJK.test(q) ? 2 : 3)) {
      // Suggestions for a subject the user has since deleted would mislead.
      render([]);
      return;
    }
    const url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(form.dataset.lang || "");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) {
        // A slow answer to an earlier prefix must not replace a newer one.
        if (q !== lastQuery) return;
        render(Array.isArray(data) ? data : (data.results || []));
      })
      .catch(function () { if (q === lastQuery) render([]); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 250);
  });

  list.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-deflect]");
    if (!link) return;
    // Opened in another tab or window, the form stays open: the user has not
    // left, and may still send the ticket.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const data = new FormData();
    data.append("q", input.value.trim());
    data.append("url", link.getAttribute("href"));
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    navigator.sendBeacon(form.dataset.deflectUrl, data);
  });
})();
