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

/* Long operations (import, export, reports): a form marked data-long shows, once submitted,
   that it is working — its submit buttons disabled (the clicked one's name and value kept
   in a hidden field), « Traitement en cours… » with a spinner in a live region. A form
   that answers with a download (data-long="telechargement") is given back after a while;
   coming back to the page (history) gives it back too. */
(function () {
  "use strict";

  function zone(form) {
    var z = form.querySelector(".tet-travail");
    if (!z) {
      z = document.createElement("p");
      z.className = "tet-travail small mt-2 mb-0";
      z.setAttribute("role", "status");
      z.setAttribute("aria-live", "polite");
      form.appendChild(z);
    }
    return z;
  }

  function boutons(form) {
    return form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function rendre(form) {
    Array.prototype.forEach.call(boutons(form), function (b) {
      b.disabled = false;
      b.removeAttribute("aria-disabled");
    });
    var copie = form.querySelector("input.tet-soumis");
    if (copie) copie.parentNode.removeChild(copie);
    zone(form).textContent = "";
    form.removeAttribute("aria-busy");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-long]"), zone);
  });

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || !form.matches("form[data-long]")) return;
    if (form.getAttribute("aria-busy") === "true") {  // a second click: one submit only
      e.preventDefault();
      return;
    }
    var submitter = e.submitter;
    if (submitter && submitter.name) {
      var copie = document.createElement("input");
      copie.type = "hidden";
      copie.className = "tet-soumis";
      copie.name = submitter.name;
      copie.value = submitter.value;
      form.appendChild(copie);
    }
    form.setAttribute("aria-busy", "true");
    var z = zone(form);
    z.innerHTML = '<span class="spinner-border spinner-border-sm mr-1" aria-hidden="true"></span>';
    z.appendChild(document.createTextNode("Traitement en cours…"));
    window.setTimeout(function () {  // after the browser has read the form's values
      Array.prototype.forEach.call(boutons(form), function (b) {
        b.disabled = true;
        b.setAttribute("aria-disabled", "true");
      });
    }, 0);
    if (form.getAttribute("data-long") === "telechargement") {
      window.setTimeout(function () { rendre(form); }, 8000);
    }
  });

  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-long]"), rendre);
  });
})();

/* Searchable pickers of the fiche form (Select2 3.5, shipped with Flask-Admin), declared
   with data-tet-picker on controls that work without JavaScript:
     <select multiple data-tet-picker>                 a search box over its options;
     <select multiple data-tet-picker="URL" data-tags> names: known ones and new ones, one
        box (a hidden field of comma-separated names replaces the select and its « autres »
        field); with data-ajax the names are asked to URL (?q=&page=) as one types;
     <input data-tet-picker="URL">                     one name, asked to URL, or typed. */
(function () {
  "use strict";
  var $ = window.jQuery;
  if (!$ || !$.fn || !$.fn.select2) return;

  var FR = {
    formatNoMatches: function () { return "Aucun résultat"; },
    formatSearching: function () { return "Recherche…"; },
    formatLoadMore: function () { return "Chargement…"; },
    formatInputTooShort: function () { return "Tapez quelques lettres"; },
    formatAjaxError: function () { return "La liste n’a pas pu être chargée"; },
    width: "100%"
  };

  function options(extra) { return $.extend({}, FR, extra); }

  function ajax(url) {
    return {
      url: url, dataType: "json", quietMillis: 250,
      data: function (term, page) { return {q: term, page: page}; },
      results: function (data) { return data; }
    };
  }

  function nouveau(term) {
    term = $.trim(term).replace(/,/g, " ");
    return term ? {id: term, text: term} : null;
  }

  function noms(select) {
    var known = [], chosen = [];
    Array.prototype.forEach.call(select.options, function (o) {
      known.push(o.value);
      if (o.selected) chosen.push(o.value);
    });
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = select.name;
    hidden.id = select.id;
    hidden.value = chosen.join(",");
    ["aria-describedby", "aria-invalid"].forEach(function (a) {
      if (select.hasAttribute(a)) hidden.setAttribute(a, select.getAttribute(a));
    });
    var group = select.closest(".tet-tags");
    var autres = group && group.querySelector(".tet-sans-js");
    if (autres) autres.parentNode.removeChild(autres);
    select.parentNode.replaceChild(hidden, select);
    var opts = {multiple: true, tokenSeparators: [","], createSearchChoice: nouveau,
                initSelection: function (el, done) {
                  done($.map(el.val() ? el.val().split(",") : [], function (n) {
                    return {id: n, text: n};
                  }));
                }};
    if (select.hasAttribute("data-ajax")) opts.ajax = ajax(select.getAttribute("data-tet-picker"));
    else opts.tags = known;
    $(hidden).select2(options(opts));
  }

  function un_nom(input) {
    input.removeAttribute("list");
    $(input).select2(options({
      allowClear: true, placeholder: " ", createSearchChoice: nouveau,
      ajax: ajax(input.getAttribute("data-tet-picker")),
      initSelection: function (el, done) {
        done(el.val() ? {id: el.val(), text: el.val()} : null);
      }
    }));
  }

  /* Select2 3.5's own markup, made accessible: each « × » named after the choice it
     removes, no ARIA reference to an element that is not there. */
  function accessible() {
    $(".select2-search-choice-close").each(function () {
      var text = $.trim($(this).siblings("div").text() || $(this).parent().text());
      this.setAttribute("aria-label", "Retirer « " + text + " »");
      this.setAttribute("role", "button");
    });
    $(".select2-container input, .select2-container [aria-activedescendant]").each(function () {
      var el = this;
      ["aria-activedescendant", "aria-owns", "aria-controls"].forEach(function (a) {
        var ref = el.getAttribute(a);
        if (ref !== null && (!ref || !document.getElementById(ref))) el.removeAttribute(a);
      });
    });
  }

  $(document).on("change select2-open select2-close select2-loaded", accessible);

  $(function () {
    $("select[data-tet-picker][data-tags]").each(function () { noms(this); });
    $("select[data-tet-picker]:not([data-tags]), select.tet-select2").each(function () {
      $(this).removeClass("custom-select").select2(options({placeholder: "Chercher…"}));
    });
    $("input[data-tet-picker]").each(function () { un_nom(this); });
    accessible();
  });
})();
