"""Dossiers: one per project reused for another call, organisation identity, pièces (upload
checks), risks and their colour, financing plan, the message thread."""
import io

import pytest

from tet.comptes.siren import with_check_digit
from tet.extensions import db
from tet.projets import dossiers, messages, organisations, pieces
from tet.projets.commun import Refus
from tet.projets.models import AppelAProjets, couleur_risque, PieceJustificative
from tests import builders
from tests.projets.builders import PDF, candidature, monde


def test_grille_des_risques_4x4():
    # criticité p × g: vert 1–2, jaune 3–4, orange 6–8, rouge 9–16
    grille = ["".join(couleur_risque(p, g)[0] for g in range(1, 5)) for p in range(1, 5)]
    assert grille == ["vvjj", "vjoo", "jorr", "jorr"]


def test_organisation_siren_verifie_et_departement(app):
    with app.app_context():
        u = builders.user("nouvelle@tet.test")
        with pytest.raises(Refus, match="SIREN"):
            organisations.creer(u, {"nom": "Boulangerie", "type": "entreprise",
                                    "identifiant": "123456789"})
        siret = with_check_digit(with_check_digit("73282932") + "0001")
        org = organisations.creer(u, {"nom": "Boulangerie", "type": "entreprise",
                                      "identifiant": siret, "code_postal": "20167"})
        assert (org.siren, org.siret, org.departement) == (siret[:9], siret, "2A")
        asso = organisations.creer(u, {"nom": "Asso sans SIREN", "type": "association"})
        assert asso.siren is None and asso.membres[0].role == "admin"
        with pytest.raises(Refus, match="déjà ce SIREN"):
            organisations.creer(u, {"nom": "Double", "type": "entreprise",
                                    "identifiant": siret[:9]})


def test_un_dossier_repond_a_un_autre_appel_avec_des_reponses_separees(app):
    with app.app_context():
        m = monde()
        cand = candidature(m, deposer=False)
        second = AppelAProjets(titre="Second appel", annee=2026, collectivite_id=m.cc.id,
                               statut="ouvert")
        db.session.add(second)
        db.session.flush()
        a = m.porteur_a()
        other = dossiers.candidater(a, cand.dossier, second)
        dossiers.modifier_candidature(a, other, {"motivation": "Pour le second",
                                                 "reponses": {"q1": "Oui"}})
        assert other.dossier_id == cand.dossier_id and cand.motivation is None
        with pytest.raises(Refus, match="déjà"):
            dossiers.candidater(a, cand.dossier, second)
        with pytest.raises(Refus, match="axe de l'appel"):
            dossiers.modifier_candidature(a, other, {"axe_id": m.axe.id})
        with pytest.raises(Refus, match="Seul le porteur"):
            dossiers.candidater(m.autre_porteur_a(), cand.dossier, second)


def test_pieces_controlees_comme_les_autres_documents(app, tmp_path):
    with app.app_context():
        m = monde()
        a = m.porteur_a()
        dossier = dossiers.creer(a, {"titre": "Projet"})
        with pytest.raises(Refus, match="ne correspond pas à son extension"):
            pieces.ajouter(a, dossier, io.BytesIO(b"MZ\x90\x00"), "budget.pdf")
        with pytest.raises(Refus, match="Type de fichier refusé"):
            pieces.ajouter(a, dossier, io.BytesIO(PDF), "script.exe")
        with pytest.raises(Refus, match="ne répond pas"):
            pieces.ajouter(a, dossier, io.BytesIO(PDF), "budget.pdf", m.piece)
        assert list(tmp_path.iterdir()) == []  # nothing stays on disk
        piece = pieces.ajouter(a, dossier, io.BytesIO(PDF), "../../budget.pdf")
        assert piece.nom == "budget.pdf" and pieces.chemin(piece).read_bytes() == PDF
        with pytest.raises(Refus, match="Seul le porteur"):
            pieces.supprimer(m.autre_porteur_a(), piece)
        pieces.supprimer(a, piece)
        assert db.session.get(PieceJustificative, piece.id) is None
        assert list(tmp_path.iterdir()) == []


def test_risques_financements_et_montants(app):
    with app.app_context():
        m = monde()
        a = m.porteur_a()
        dossier = dossiers.creer(a, {"titre": "Projet", "budget_total": "100 000,50"})
        risque = dossiers.ajouter_risque(a, dossier, "financier", "Retard de subvention", 3, 4)
        assert risque.couleur == "rouge" and risque.criticite == 12
        with pytest.raises(Refus, match="de 1 à 4"):
            dossiers.ajouter_risque(a, dossier, "rh", "Départ", 5, 1)
        with pytest.raises(Refus, match="inconnue"):
            dossiers.ajouter_risque(a, dossier, "meteo", "Pluie", 1, 1)
        dossiers.ajouter_financement(a, dossier, "Région", "40000", acquis=True)
        dossiers.ajouter_financement(a, dossier, "ADEME", "20 000")
        for mauvais in ("NaN", "-5", "1e400", "abc"):
            with pytest.raises(Refus):
                dossiers.ajouter_financement(a, dossier, "X", mauvais)
        plan = dossiers.plan_de_financement(dossier)
        assert (plan["cofinance"], plan["acquis"], str(plan["reste"])) == (60000, 40000,
                                                                            "40000.50")


def test_fil_de_messages_entre_porteur_et_organisateur(app, outbox):
    with app.app_context():
        m = monde()
        cand = candidature(m)
        org = m.organisateur_a()
        messages.envoyer(org, cand, "Merci d'ajouter le RIB de l'association.")
        assert outbox[-1]["to"] == ["porteur.test@tet.test"]
        assert "RIB" in outbox[-1]["body"]
        messages.envoyer(m.porteur_a(), cand, "C'est fait.")
        assert "admin.cc@tet.test" in outbox[-1]["to"]
        assert messages.marquer_lus(m.porteur_a(), cand) == 1
        listed = db.select(db.literal(cand.id))
        assert messages.non_lus(listed, "porteur") == {}
        assert messages.non_lus(listed, "organisateur") == {cand.id: 1}
        for intrus in (m.membre_a(0), m.autre_porteur_a()):
            with pytest.raises(Refus, match="échangent"):
                messages.envoyer(intrus, cand, "Bonjour")
        with pytest.raises(Refus, match="vide"):
            messages.envoyer(org, cand, "   ")
        draft = candidature(m, "Jamais déposé", deposer=False)
        with pytest.raises(Refus, match="au dépôt"):
            messages.envoyer(m.porteur_a(), draft, "Une question")
        assert [x.de_organisateur for x in messages.fil(cand)] == [True, False]


def test_saisies_trop_longues_ou_invalides_refusees_en_francais(app):
    with app.app_context():
        m = monde()
        a = m.porteur_a()
        with pytest.raises(Refus, match="Texte trop long \\(301 caractères, au plus 300\\)"):
            dossiers.creer(a, {"titre": "x" * 301})
        with pytest.raises(Refus, match="département"):
            dossiers.creer(a, {"titre": "Projet", "departement": "99"})
        with pytest.raises(Refus, match="Zone d'impact"):
            dossiers.creer(a, {"titre": "Projet", "zone_impact": "galactique"})
        assert dossiers.creer(a, {"titre": " Projet ", "departement": "2A"}).titre == "Projet"
        with pytest.raises(Refus, match="organisation porteuse"):
            dossiers.creer(m.organisateur_a(), {"titre": "Projet"})
