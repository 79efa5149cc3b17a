/* Drag-and-drop of axes on the plan tree page: a progressive enhancement over the plain
   "Déplacer sous" forms. A drop posts the same form (op=deplacer, cible, index) and reloads. */
(function () {
  "use strict";
  var tree = document.getElementById("plan-tree");
  if (!tree || !window.Sortable || tree.dataset.editable !== "1") { return; }
  var token = document.querySelector('meta[name="csrf-token"]').content;

  function move(axeId, parentId, index) {
    var body = new URLSearchParams({csrf_token: token, op: "deplacer", axe_id: axeId,
                                    cible: parentId, index: index});
    fetch(tree.dataset.action, {method: "POST", body: body, credentials: "same-origin"})
      .then(function () { window.location.reload(); });
  }

  document.querySelectorAll(".tet-children").forEach(function (list) {
    new Sortable(list, {
      group: "axes", handle: ".tet-drag", draggable: ".tet-axe", animation: 120,
      fallbackOnBody: true, swapThreshold: 0.6,
      onEnd: function (evt) {
        if (evt.from === evt.to && evt.oldIndex === evt.newIndex) { return; }
        move(evt.item.dataset.axe, evt.to.dataset.parent, evt.newIndex);
      }
    });
  });
  // one handle per axe, added here (the page does not carry 2,000 of them)
  tree.querySelectorAll(".tet-axe > summary").forEach(function (summary) {
    var handle = document.createElement("span");
    handle.className = "tet-drag";
    handle.title = "Glisser pour déplacer";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    summary.insertBefore(handle, summary.firstChild);
  });
})();
