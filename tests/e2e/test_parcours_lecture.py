"""Journey 5: a lecture member goes through the pages they can reach and finds nothing that
writes (no POST form but sign-out and contexte switch, no « Créer / Modifier / Supprimer »);
a forged POST carrying a valid CSRF token is refused (403)."""
from __future__ import annotations

import re

from tests.e2e.parcours import accessibilite, fin, se_connecter, texte

PARCOURS = "5-lecture"
# the POST forms a reader may have: sign out, switch contexte, mark their own
# notifications read, their own account's settings (« Mon compte »: the weekly digest),
# and the lists' "with the selection" form when it only exports
SANS_ECRITURE = ("/deconnexion", "/contexte", "/notifications/lues", "/admin/mon-compte/")
VERBE = re.compile(r"^\s*(\+\s*)?(Créer|Modifier|Supprimer|Ajouter|Enregistrer|Importer|"
                   r"Renommer|Ranger|Accepter|Refuser|Lier|Restaurer)\b", re.I)
PAGE_D_ECRITURE = re.compile(r"/(new|edit)/|/ranger\b|/delete/|/saisie\b|/demander/")
MAX_PAGES = 40


# one pass in the page (a Python call per element would cost a round trip each)
ECRITURES_JS = """([sansEcriture, verbe, pageEcriture]) => {
  const verb = new RegExp(verbe, "i"), writePage = new RegExp(pageEcriture);
  const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const path = u => new URL(u, location.href).pathname;
  const listActions = [...document.querySelectorAll("[onclick*='modelActions.execute']")]
    .map(e => /execute\\('([^']+)'/.exec(e.getAttribute("onclick"))[1]);
  const found = [];
  for (const f of document.querySelectorAll("form")) {
    if ((f.getAttribute("method") || "get").toLowerCase() !== "post") continue;
    const action = path(f.getAttribute("action") || location.href);
    if (sansEcriture.some(s => action.endsWith(s))) continue;
    if (action.endsWith("/action/") && listActions.every(a => a.startsWith("export"))) continue;
    found.push("formulaire POST " + action);
  }
  for (const b of document.querySelectorAll("button, input[type=submit]")) {
    const label = (b.innerText || b.value || "").trim();
    const getForm = b.form && (b.form.getAttribute("method") || "get").toLowerCase() === "get";
    const ownForm = b.form && sansEcriture.some(
      s => path(b.form.getAttribute("action") || location.href).endsWith(s));
    if (visible(b) && verb.test(label) && !getForm && !ownForm) found.push("bouton « " + label + " »");
  }
  for (const a of document.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href"), label = a.innerText.trim();
    if (!visible(a) || href.startsWith("#") || href.startsWith("javascript:")) continue;
    if (writePage.test(path(href)) || (verb.test(label) && a.classList.contains("btn")))
      found.push("lien « " + label + " » (" + href + ")");
  }
  return found;
}"""


def _ecritures(page) -> list[str]:
    """What on the page would write: POST forms (but those above, and a list's "with the
    selection" form offering only exports), write-like buttons, links to write pages."""
    return page.evaluate(ECRITURES_JS, [list(SANS_ECRITURE), VERBE.pattern,
                                        PAGE_D_ECRITURE.pattern])


def _liens(page, selector) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_un_membre_en_lecture_ne_peut_rien_ecrire(server, browser):
    # the check finds the writing controls an édition member has on a plan's tree
    editeur = se_connecter(browser, server, "edition.cc@tet.test", path="/admin/plan/")
    editeur.goto(server + editeur.locator("a[href*='/arbre']").first.get_attribute("href"))
    assert len(_ecritures(editeur)) > 5
    editeur.context.close()

    page = se_connecter(browser, server, "lecture.cc@tet.test")
    # every page of the menu, plus a plan's tree, a fiche and an indicator
    a_voir = ["/admin/"] + sorted(set(_liens(page, "header a[href^='/admin'], nav a[href^='/admin']")))
    page.goto(server + "/admin/plan/")
    plan = page.locator("a[href*='/arbre']").first.get_attribute("href")
    page.goto(server + plan)
    fiche = page.locator("li.tet-fiche a").first.get_attribute("href")
    page.goto(server + "/admin/indicateur/")
    indicateurs = [h for h in _liens(page, "a[href^='/admin/indicateur/']")
                   if re.fullmatch(r"/admin/indicateur/\d+", h)]
    a_voir += [plan, fiche] + indicateurs[:1]

    problemes, vues = {}, 0
    for path in dict.fromkeys(a_voir):
        if re.search(r"export|\.xlsx|\.csv|\.pdf", path):
            continue  # downloads, not pages
        response = page.goto(server + path)
        vues += 1
        assert response.status in (200, 403), (path, response.status)
        if response.status == 200:
            found = _ecritures(page)
            if found:
                problemes[path] = found
        assert vues <= MAX_PAGES
    assert vues >= 8, a_voir
    assert not problemes, "\n".join(f"{p}: {f}" for p, f in problemes.items())

    # a forged POST with the page's own CSRF token: refused by the permissions, not by CSRF
    page.goto(server + fiche)
    accessibilite(page, PARCOURS, "fiche (lecture)")
    token = page.get_attribute("meta[name=csrf-token]", "content")
    fiche_id = fiche.rstrip("/").split("/")[-1]
    for action, data in [
        (f"/admin/fiche/{fiche_id}/notes", {"date": "2026-01-01", "texte": "forgé"}),
        (f"/admin/fiche/edit/?id={fiche_id}", {"titre": "Titre forgé"}),
        ("/admin/fiche/delete/", {"id": fiche_id}),
        (plan.replace("/arbre", "/axe"), {"op": "ajouter", "nom": "Axe forgé"}),
    ]:
        response = page.request.post(server + action, form={"csrf_token": token, **data},
                                      max_redirects=0)
        assert response.status == 403, (action, response.status, response.text()[:300])
    page.reload()
    assert "forgé" not in texte(page)
    fin(page, PARCOURS)
