"""Journey 1: a commune signs up by its SIREN (pre-filled from the official list), the
national support validates its first admin, who invites an édition member; the member
chooses a password through the e-mailed link and signs in."""
from __future__ import annotations

import csv
import gzip

import pytest

from seeds.france import DATA, load_france
from tests.e2e.parcours import (
    accessibilite,
    fin,
    flash,
    lien_du_courriel,
    nouvelle_page,
    se_connecter,
    soumettre,
    texte,
)
from tet.extensions import db

PARCOURS = "1-inscription"
MOT_DE_PASSE = "un-mot-de-passe-solide"


@pytest.fixture
def commune(app, tmp_path):
    """A real commune of the official list (@etalab/decoupage-administratif, the file of
    ``seed --france``) loaded alone: the sign-up looks it up offline, in the database."""
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        row = next(r for r in reader if r["type"] == "commune" and r["population"])
    path = tmp_path / "une-commune.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(row))
        writer.writeheader()
        writer.writerow({**row, "supras": ""})
    with app.app_context():
        load_france(path)
        db.session.remove()
    return row


def test_une_commune_s_inscrit_et_invite_un_membre(server, browser, outbox, commune):
    # the future admin signs up: the SIREN pre-fills the commune's official data
    visiteur = nouvelle_page(browser)
    visiteur.goto(server + "/inscription")
    accessibilite(visiteur, PARCOURS, "inscription")
    visiteur.fill("#identifiant", commune["siren"])
    visiteur.wait_for_selector("#siren-info.text-success")
    assert "Référentiel officiel" in texte(visiteur, "#siren-info")
    assert visiteur.input_value("#nom") == commune["nom"]
    assert visiteur.input_value("#departement") == commune["departement"]
    visiteur.fill("#prenom", "Camille")
    visiteur.fill("#nom_user", "Martin")
    visiteur.fill("#email", "camille.martin@commune.test")
    visiteur.fill("#fonction", "Secrétaire de mairie")
    soumettre(visiteur, visiteur.get_by_role("button", name="Envoyer ma demande"))
    assert "/inscription/envoye" in visiteur.url
    visiteur.goto(server + lien_du_courriel(outbox, "camille.martin@commune.test",
                                            "/inscription/confirmer/"))
    assert commune["siren"] in texte(visiteur)
    visiteur.fill("#password", MOT_DE_PASSE)
    visiteur.fill("#confirm", MOT_DE_PASSE)
    soumettre(visiteur, visiteur.get_by_role("button", name="Confirmer"))
    assert "en attente de validation" in texte(visiteur)
    accessibilite(visiteur, PARCOURS, "attente de validation")

    # the national support accepts the first admin from its queue
    support = se_connecter(browser, server, "support@tet.test", path="/admin/validations/")
    ligne = support.locator("#file-validation tr", has_text=commune["siren"])
    accessibilite(support, PARCOURS, "comptes à valider")
    soumettre(support, ligne.get_by_role("button", name="Accepter"))
    assert commune["siren"] not in texte(support)
    assert any("validé" in m["subject"] for m in outbox
               if m["to"] == ["camille.martin@commune.test"])

    # the admin, now validated, invites an édition member
    admin = se_connecter(browser, server, "camille.martin@commune.test", MOT_DE_PASSE)
    assert commune["nom"] in texte(admin)
    admin.goto(server + "/admin/membership/new/")
    accessibilite(admin, PARCOURS, "inviter un membre")
    admin.fill("#email", "alex.durand@commune.test")
    admin.select_option("#niveau", "edition")
    soumettre(admin, admin.get_by_role("button", name="Enregistrer", exact=True))
    assert "alex.durand@commune.test" in texte(admin)

    # the member follows the invitation, chooses a password and signs in
    membre = nouvelle_page(browser)
    membre.goto(server + lien_du_courriel(outbox, "alex.durand@commune.test",
                                          "/reinitialiser/"))
    membre.fill("#password", MOT_DE_PASSE)
    membre.fill("#confirm", MOT_DE_PASSE)
    soumettre(membre, membre.get_by_role("button", name="Enregistrer"))
    assert "Mot de passe enregistré" in flash(membre)
    membre.fill("#email", "alex.durand@commune.test")
    membre.fill("#password", MOT_DE_PASSE)
    soumettre(membre, membre.locator("button[type=submit]"))
    assert "/admin/" in membre.url
    assert commune["nom"] in texte(membre)
    assert "Édition" in texte(membre)
    fin(membre, PARCOURS)
