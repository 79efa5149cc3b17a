/* Behaviours the Content-Security-Policy forbids inline (no inline script, no on*=).
   Our templates declare them with data attributes:
     data-confirm="…" on a form (asked on submit) or a button / link (asked on click),
     data-autosubmit on a select (submits its form on change), data-print on a link.
   Flask-Admin's own templates keep three inline handlers, which the CSP blocks; they are
   re-wired below from their fixed text (row delete confirmation, "with selected"
   actions, filter links). */
(function () {
  "use strict";

  function confirmed(el) {
    var msg = el.getAttribute("data-confirm");
    return !msg || window.confirm(msg);
  }

  document.addEventListener("submit", function (e) {
    if (e.target.matches("form[data-confirm]") && !confirmed(e.target)) e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    var el = e.target.closest &&
      e.target.closest("[data-confirm], [data-print], [data-action], a[href^='javascript:']");
    if (!el) return;
    if (el.tagName !== "FORM" && el.hasAttribute("data-confirm") && !confirmed(el)) {
      e.preventDefault();
      return;
    }
    if (el.hasAttribute("data-print")) {
      e.preventDefault();
      window.print();
    } else if (el.hasAttribute("data-action")) {
      e.preventDefault();
      if (window.modelActions) window.modelActions.execute(el.getAttribute("data-action"));
    } else if (/^javascript:/.test(el.getAttribute("href") || "")) {
      e.preventDefault();
    }
  });

  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]") && e.target.form) e.target.form.submit();
  });

  var CONFIRM = /^return faHelpers\.safeConfirm\('(.*)'\);?$/;
  var ACTION = /^return modelActions\.execute\('([\w-]+)'\);?$/;
  document.querySelectorAll("[onclick]").forEach(function (el) {
    var code = (el.getAttribute("onclick") || "").trim();
    var m;
    if ((m = CONFIRM.exec(code))) el.setAttribute("data-confirm", m[1].replace(/\\(.)/g, "$1"));
    else if ((m = ACTION.exec(code))) el.setAttribute("data-action", m[1]);
    el.removeAttribute("onclick");
  });
})();
