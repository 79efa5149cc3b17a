/* Behaviours the Content-Security-Policy forbids inline (no inline script, no on*=),
   declared in the templates with data attributes:
     data-confirm="…"  on a form (asked on submit) or a button / link (asked on click);
     data-autosubmit   on a select: submits its form on change;
     data-print        on a link: prints the page;
     data-action="…"   on a Flask-Admin "with selected" item: runs that action.
   Links to "#" or "javascript:" used as buttons never navigate. */
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
      e.target.closest("[data-confirm], [data-print], [data-action], a[href='#'][role=button], " +
                       "a.filter, a[href^='javascript:']");
    if (!el) return;
    if (el.tagName === "FORM") return;  // asked on submit
    if (el.hasAttribute("data-confirm") && !confirmed(el)) {
      e.preventDefault();
      return;
    }
    if (el.tagName === "A" && !el.hasAttribute("data-confirm")) e.preventDefault();
    if (el.hasAttribute("data-print")) window.print();
    if (el.hasAttribute("data-action") && window.modelActions) {
      window.modelActions.execute(el.getAttribute("data-action"));
    }
  });

  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]") && e.target.form) e.target.form.submit();
  });
})();
