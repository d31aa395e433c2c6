// Site-wide behaviour. Loaded as a static file: the CSP allows no inline script.
(function () {
  "use strict";

  // The language switcher submits as soon as a language is picked; its button
  // stays for people without JavaScript.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    var select = form.querySelector("select");
    var button = form.querySelector("button[type=submit]");
    if (!select) return;
    if (button) button.classList.add("visually-hidden");
    select.addEventListener("change", function () { form.requestSubmit ? form.requestSubmit() : form.submit(); });
  });

  // Close the account menu when focus or a click leaves it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
