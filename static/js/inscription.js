/* Sign-up: a SIREN (or SIRET) of the official list pre-fills the collectivité's name,
   type and département, and shows its population and région (public data from
   /inscription/siren). The server takes the official values whatever the form says. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-siren-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("#identifiant");
  var info = document.getElementById("siren-info");
  var nom = form.querySelector("#nom");
  var type = form.querySelector("#type");
  var dep = form.querySelector("#departement");
  var timer = null;
  var asked = "";

  function lock(on) {
    [nom, dep].forEach(function (el) { if (el) el.readOnly = on; });
    if (type) type.disabled = on;  // the server ignores them for an official SIREN
  }

  function show(text, css) {
    info.textContent = text || "";
    info.className = "small " + (css || "text-muted");
    info.hidden = !text;
  }

  function describe(c) {
    var parts = [c.nom, c.type_label];
    if (c.population !== null) parts.push(c.population.toLocaleString("fr-FR") + " habitants");
    if (c.departement) parts.push("département " + c.departement);
    if (c.region) parts.push(c.region);
    return "Référentiel officiel : " + parts.join(" · ");
  }

  function fill(c) {
    if (nom) nom.value = c.nom;
    if (type) type.value = c.type;
    if (dep) dep.value = c.departement || "";
    lock(true);
    show(describe(c), "text-success");
  }

  function lookup() {
    var digits = input.value.replace(/\s+/g, "");
    if (digits === asked) return;
    asked = digits;
    lock(false);
    if (!/^(\d{9}|\d{14})$/.test(digits)) { show(""); return; }
    fetch(form.getAttribute("data-siren-url") + "?siren=" + encodeURIComponent(digits),
          {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (d) { return [r.ok, d]; }); })
      .then(function (res) {
        if (digits !== asked) return;  // the field changed meanwhile
        if (res[0]) fill(res[1].collectivite);
        else show(res[1].message, "text-danger");
      })
      .catch(function () { show(""); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 300);
  });
  lookup();
})();
