// Search-as-you-type for help-centre search boxes (input[data-suggest]).
// A static file: the CSP allows no inline script.
(function () {
  "use strict";

  function attach(input) {
    var list = document.createElement("ul");
    var id = input.id + "-suggestions";
    var timer = null;
    var last = "";
    list.id = id;
    list.className = "kb-suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    var wrap = document.createElement("div");
    wrap.className = "kb-suggest-wrap";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function show(items) {
      list.textContent = "";
      items.forEach(function (item, index) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.title;
        a.id = id + "-" + index;
        a.setAttribute("role", "option");
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === last) return;
      last = q;
      if (!q) { close(); return; }
      var lang = document.documentElement.lang || "en";
      fetch("/api/kb/suggest/?q=" + encodeURIComponent(q) + "&lang=" + encodeURIComponent(lang), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === q) show(data.results || []); })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 120);
    });
    input.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("a");
      if (list.hidden || !options.length) return;
      var current = Array.prototype.indexOf.call(options, document.activeElement);
      if (event.key === "ArrowDown") {
        event.preventDefault();
        options[Math.min(current + 1, options.length - 1)].focus();
      } else if (event.key === "Escape") {
        close();
      }
    });
    list.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("a");
      var current = Array.prototype.indexOf.call(options, document.activeElement);
      if (event.key === "ArrowDown" && current < options.length - 1) {
        event.preventDefault();
        options[current + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (current > 0) options[current - 1].focus(); else input.focus();
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!wrap.contains(event.target)) close();
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
