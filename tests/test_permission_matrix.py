"""Every role against every back-office view and action, including guessed ids.

Letters of the expected table: L list, D details of an own object, F details of a foreign
object (guessed id), C create form, E edit form of an own object, X edit of a foreign object
(GET and POST), R delete an own object, Q delete a foreign object, S CSV export.
A refused action answers 403 (or 404 for an object out of scope) and changes nothing; a
list or an export never shows the foreign object.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import builders
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, Opsn, OpsnMembership, User
from tet.comptes.demandes import DemandeAdhesion, Rattachement
from tet.plans.models import FicheAction, Plan
from tet.indicateurs.models import IndicateurDefinition
from tet.projets.models import AppelAProjets

ROLES = ["support", "opsn_admin", "opsn_agent", "admin_cc", "edition_cc", "lecture_cc",
         "admin_ville", "sans_acces"]
EXPECTED = {
    "collectivite": {"support": "LDFCEXRQS", "opsn_admin": "LDS", "opsn_agent": "LDS",
                     "admin_cc": "LDES", "edition_cc": "LDS", "lecture_cc": "LDS",
                     "admin_ville": "LDES", "sans_acces": ""},
    "membership": {"support": "LDFCEXRQS", "opsn_admin": "", "opsn_agent": "",
                   "admin_cc": "LDCERS", "edition_cc": "LDS", "lecture_cc": "LDS",
                   "admin_ville": "LDCERS", "sans_acces": ""},
    "demandeadhesion": {"support": "LDFS", "opsn_admin": "", "opsn_agent": "",
                        "admin_cc": "LDS", "edition_cc": "", "lecture_cc": "",
                        "admin_ville": "LDS", "sans_acces": ""},
    "user": {"support": "LDFCEXRQS", "opsn_admin": "LDS", "opsn_agent": "LDS",
             "admin_cc": "LDS", "edition_cc": "LDS", "lecture_cc": "LDS",
             "admin_ville": "LDS", "sans_acces": ""},
    "opsn": {"support": "LDFCEXRQS", "opsn_admin": "LDFES", "opsn_agent": "LDFS",
             "admin_cc": "LDFS", "edition_cc": "LDFS", "lecture_cc": "LDFS",
             "admin_ville": "LDFS", "sans_acces": ""},
    "opsnmembership": {"support": "LDFCEXRQS", "opsn_admin": "LDCERS", "opsn_agent": "LDS",
                       "admin_cc": "", "edition_cc": "", "lecture_cc": "",
                       "admin_ville": "", "sans_acces": ""},
    "rattachement": {"support": "LDFS", "opsn_admin": "LDS", "opsn_agent": "LDS",
                     "admin_cc": "LDCS", "edition_cc": "LDS", "lecture_cc": "LDS",
                     "admin_ville": "LDCS", "sans_acces": ""},
    "plan": {"support": "LDFEXRQS", "opsn_admin": "", "opsn_agent": "",
             "admin_cc": "LDCERS", "edition_cc": "LDCERS", "lecture_cc": "LDS",
             "admin_ville": "LDCERS", "sans_acces": ""},
    "fiche": {"support": "LDFEXRQS", "opsn_admin": "", "opsn_agent": "",
              "admin_cc": "LDCERS", "edition_cc": "LDCERS", "lecture_cc": "LDS",
              "admin_ville": "LDCERS", "sans_acces": ""},
    "indicateur": {"support": "LDFEXRQS", "opsn_admin": "LDS", "opsn_agent": "LDS",
                   "admin_cc": "LDCERS", "edition_cc": "LDCERS", "lecture_cc": "LDS",
                   "admin_ville": "LDCERS", "sans_acces": ""},
    "auditlog": {"support": "LDFS", "opsn_admin": "", "opsn_agent": "", "admin_cc": "LDS",
                 "edition_cc": "", "lecture_cc": "", "admin_ville": "LDS", "sans_acces": ""},
    # the calls for projects a collectivité organises (a draft: deletable)
    "projets_appels": {"support": "LDFCEXRQS", "opsn_admin": "", "opsn_agent": "",
                       "admin_cc": "LDCERS", "edition_cc": "LDCERS", "lecture_cc": "LDS",
                       "admin_ville": "LDCERS", "sans_acces": ""},
}
MODELS = {"collectivite": Collectivite, "membership": Membership,
          "demandeadhesion": DemandeAdhesion, "user": User, "opsn": Opsn,
          "opsnmembership": OpsnMembership, "rattachement": Rattachement,
          "auditlog": AuditLog, "plan": Plan, "fiche": FicheAction,
          "indicateur": IndicateurDefinition, "projets_appels": AppelAProjets}
URLS = {"projets_appels": "/admin/projets/appels/"}  # views not at /admin/<endpoint>/
CREATE_URL = {"rattachement": "/admin/rattachement/demander/"}
# extra pages of a view, checked with the details letters (own D / foreign F)
EXTRA_PAGES = {"plan": "/admin/plan/{id}/arbre", "fiche": "/admin/fiche/{id}",
               "indicateur": "/admin/indicateur/{id}"}
# which object is "own" / "foreign" for each role
OWN = {"support": "cc", "opsn_admin": "opsn", "opsn_agent": "opsn", "admin_cc": "cc",
       "edition_cc": "cc", "lecture_cc": "cc", "admin_ville": "ville", "sans_acces": "cc"}
FOREIGN = {"support": "ville", "opsn_admin": "opsn_other", "opsn_agent": "opsn_other",
           "admin_cc": "ville", "edition_cc": "ville", "lecture_cc": "ville",
           "admin_ville": "cc", "sans_acces": "ville"}


@pytest.fixture
def world(app, ids):
    """Objects of every kind on both sides of each boundary: {view: {key: (id, label)}}."""
    with app.app_context():
        cc, ville = db.session.get(Collectivite, ids["cc"]), db.session.get(Collectivite,
                                                                             ids["ville"])
        valbourg = db.session.get(Collectivite, ids["commune1"])
        demo = db.session.get(Opsn, ids["opsn"])
        autre = builders.opsn("OPSN Autre Territoire", ["57"])
        lecture_ville = builders.user("lecture.ville@tet.test")
        m_ville = builders.member(lecture_ville, ville, "lecture")
        m_cc = db.session.scalar(select(Membership).join(User).where(
            User.email == "lecture.cc@tet.test"))
        agent = builders.user("agent.opsn@tet.test")
        om_demo = builders.opsn_member(agent, demo, "membre")
        agent_autre = builders.user("agent.autre@tet.test")
        om_autre = builders.opsn_member(agent_autre, autre, "membre")
        builders.user("sans.acces@tet.test")
        r_autre = builders.rattachement(valbourg, autre, "acceptee")
        d_cc = builders.demande(builders.user("nouveau.cc@tet.test"), cc)
        d_ville = builders.demande(builders.user("nouveau.ville@tet.test"), ville)
        db.session.commit()
        a_cc = db.session.scalar(select(AuditLog).where(AuditLog.collectivite_id == cc.id,
                                                        AuditLog.object_type == "Collectivite"))
        a_ville = db.session.scalar(select(AuditLog).where(
            AuditLog.collectivite_id == ville.id, AuditLog.object_type == "Collectivite"))
        lc = db.session.get(User, m_cc.user_id)
        ind_cc = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.collectivite_id == cc.id))
        ind_ville = IndicateurDefinition(collectivite_id=ville.id, nom="Repas bio servis",
                                         unite="repas")
        db.session.add(ind_ville)
        ind_national = db.session.scalar(select(IndicateurDefinition).where(
            IndicateurDefinition.identifiant == "cae_1.a"))
        appel_cc = AppelAProjets(titre="Appel du Val 2026", annee=2026, collectivite_id=cc.id)
        appel_ville = AppelAProjets(titre="Appel de la Ville 2026", annee=2026,
                                    collectivite_id=ville.id)
        db.session.add_all([appel_cc, appel_ville])
        db.session.commit()
        plan_cc = db.session.scalar(select(Plan).where(Plan.collectivite_id == cc.id))
        plan_ville = db.session.scalar(select(Plan).where(Plan.collectivite_id == ville.id))
        fiche_cc = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == cc.id).order_by(FicheAction.id))
        fiche_ville = db.session.scalar(select(FicheAction).where(
            FicheAction.collectivite_id == ville.id).order_by(FicheAction.id))

        def pair(obj, label):
            return (obj.id, label)

        w = {
            "collectivite": {"cc": pair(cc, cc.nom), "ville": pair(ville, ville.nom),
                             "opsn": pair(cc, cc.nom), "opsn_other": pair(ville, ville.nom)},
            "membership": {"cc": pair(m_cc, lc.email), "ville": pair(m_ville, lecture_ville.email),
                           "opsn": pair(m_cc, lc.email),
                           "opsn_other": pair(m_ville, lecture_ville.email)},
            "demandeadhesion": {"cc": pair(d_cc, "nouveau.cc@tet.test"),
                                "ville": pair(d_ville, "nouveau.ville@tet.test"),
                                "opsn": pair(d_cc, "nouveau.cc@tet.test"),
                                "opsn_other": pair(d_ville, "nouveau.ville@tet.test")},
            "user": {"cc": pair(lc, lc.email), "ville": pair(lecture_ville, lecture_ville.email),
                     "opsn": pair(agent, agent.email),
                     "opsn_other": pair(agent_autre, agent_autre.email)},
            "opsn": {"cc": pair(demo, demo.nom), "ville": pair(autre, autre.nom),
                     "opsn": pair(demo, demo.nom), "opsn_other": pair(autre, autre.nom)},
            "opsnmembership": {"cc": pair(om_demo, agent.email),
                               "ville": pair(om_autre, agent_autre.email),
                               "opsn": pair(om_demo, agent.email),
                               "opsn_other": pair(om_autre, agent_autre.email)},
            "rattachement": {"cc": pair(db.session.get(Rattachement, ids["ratt_cc"]), cc.nom),
                             "ville": pair(db.session.get(Rattachement, ids["ratt_ville"]),
                                           ville.nom),
                             "opsn": pair(db.session.get(Rattachement, ids["ratt_cc"]), cc.nom),
                             "opsn_other": pair(r_autre, "OPSN Autre Territoire")},
            "plan": {k: pair(p, p.nom) for k, p in (
                ("cc", plan_cc), ("ville", plan_ville), ("opsn", plan_cc),
                ("opsn_other", plan_ville))},
            "fiche": {k: pair(f, f.titre) for k, f in (
                ("cc", fiche_cc), ("ville", fiche_ville), ("opsn", fiche_cc),
                ("opsn_other", fiche_ville))},
            "indicateur": {"cc": pair(ind_cc, ind_cc.nom), "ville": pair(ind_ville, ind_ville.nom),
                           "opsn": pair(ind_national, ind_national.nom),
                           "opsn_other": pair(ind_cc, ind_cc.nom)},
            "projets_appels": {k: pair(x, x.titre) for k, x in (
                ("cc", appel_cc), ("ville", appel_ville), ("opsn", appel_cc),
                ("opsn_other", appel_ville))},
            "auditlog": {"cc": pair(a_cc, cc.nom), "ville": pair(a_ville, ville.nom),
                         "opsn": pair(a_cc, cc.nom), "opsn_other": pair(a_ville, ville.nom)},
        }
    return w


def _client(login_as, role):
    emails = {"opsn_agent": "agent.opsn@tet.test", "sans_acces": "sans.acces@tet.test"}
    return login_as(emails.get(role, role))


def _exists(app, view, pk) -> bool:
    """Present and not in the corbeille (soft-deleted rows count as deleted)."""
    with app.app_context():
        obj = db.session.get(MODELS[view], pk)
        return obj is not None and getattr(obj, "deleted_at", None) is None


def _get(client, url):
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def test_every_view_is_in_the_matrix(app):
    views = {v.endpoint for v in app.extensions["tet_admin"]._views
             if hasattr(v, "model")}
    assert views == set(EXPECTED)


@pytest.mark.parametrize("view", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_matrix(app, login_as, world, role, view):
    allowed = EXPECTED[view][role]
    client = _client(login_as, role)
    base = URLS.get(view, f"/admin/{view}/")
    own_id, own_label = world[view][OWN[role]]
    foreign_id, foreign_label = world[view][FOREIGN[role]]

    def check(letter, response, ok_codes=(200,)):
        if letter in allowed:
            assert response.status_code in ok_codes, (letter, response.status_code)
        else:
            assert response.status_code in (403, 404), (letter, response.status_code)

    listing = _get(client, base)
    check("L", listing)
    if "L" in allowed and "F" not in allowed and foreign_label != own_label:
        assert foreign_label not in listing.get_data(as_text=True)
    check("D", _get(client, f"{base}details/?id={own_id}"))
    check("F", _get(client, f"{base}details/?id={foreign_id}"))
    if view in EXTRA_PAGES:
        check("D", _get(client, EXTRA_PAGES[view].format(id=own_id)))
        check("F", _get(client, EXTRA_PAGES[view].format(id=foreign_id)))
    check("C", _get(client, CREATE_URL.get(view, f"{base}new/")))
    check("E", _get(client, f"{base}edit/?id={own_id}"))
    check("X", _get(client, f"{base}edit/?id={foreign_id}"))
    if "X" not in allowed:
        response = client.post(f"{base}edit/?id={foreign_id}", data={"nom": "Piraté"})
        assert response.status_code in (403, 404)

    export = _get(client, f"{base}export/csv/")
    check("S", export)
    if "S" in allowed:
        assert export.mimetype == "text/csv"
        if "F" not in allowed and foreign_label != own_label:
            assert foreign_label not in export.get_data(as_text=True)

    for letter, pk in (("Q", foreign_id), ("R", own_id)):
        response = client.post(f"{base}delete/", data={"id": pk, "url": base})
        if letter in allowed:
            assert response.status_code == 302
            assert not _exists(app, view, pk), f"{letter}: not deleted"
        else:
            assert response.status_code in (403, 404), (letter, response.status_code)
            assert _exists(app, view, pk), f"{letter}: deleted although forbidden"


@pytest.mark.parametrize("view", sorted(EXPECTED))
def test_anonymous_is_sent_to_login(client, view):
    base = URLS.get(view, f"/admin/{view}/")
    for url in (base, f"{base}details/?id=1", f"{base}export/csv/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/connexion" in response.headers["Location"]


WITH_CONTEXTE = set(ROLES) - {"sans_acces"}  # no validated membership: home page only
PAGES = {  # custom pages (not model views): url → roles that may open it
    "/admin/": set(ROLES),
    "/admin/notifications/": set(ROLES),
    "/admin/inspiration/": WITH_CONTEXTE,
    "/admin/corbeille/": {"support", "admin_cc", "admin_ville"},
    "/admin/plan/tableau-de-bord": {"support", "admin_cc", "edition_cc", "lecture_cc",
                                     "admin_ville"},
    "/admin/fiche/non-classees": {"support", "admin_cc", "edition_cc", "lecture_cc",
                                   "admin_ville"},
    "/admin/rattachement/demander/": {"admin_cc", "admin_ville"},
    "/admin/import-plans/": {"support", "admin_cc", "edition_cc", "admin_ville"},
    "/admin/exports-partenaires/": {"support"},
    "/admin/copie/": {"support"},
    "/admin/maturite-referentiel/": {"support"},
    "/admin/maturite-nationale/": {"support"},
    "/admin/opsn-espace/": {"opsn_admin", "opsn_agent"},
    "/admin/referentiels/": WITH_CONTEXTE,
    "/admin/validations/": {"support"},
    "/admin/indicateur/saisie": {"admin_cc", "edition_cc", "admin_ville"},
    # committee (tests/projets/test_vues_comite.py: members, holders, each action)
    "/admin/comite/": {"support", "admin_cc", "edition_cc", "lecture_cc", "admin_ville"},
    "/admin/comite-suivi/": {"support", "admin_cc", "edition_cc", "lecture_cc",
                             "admin_ville"},
    # the project holders' space: only while acting for an organisation porteuse (none of
    # these roles; tests/projets/test_vues_porteur.py covers the holders), but any signed-in
    # account may register one
    "/admin/mes-dossiers/": set(),
    "/admin/mes-candidatures/": set(),
    "/admin/mon-organisation/": set(),
    "/admin/mon-organisation/nouvelle": set(ROLES),
}


@pytest.mark.parametrize("role", ROLES)
def test_custom_pages(app, login_as, world, role):
    client = _client(login_as, role)
    for url, allowed in PAGES.items():
        response = _get(client, url)
        if role in allowed:
            assert response.status_code in (200, 302), (url, response.status_code)
            if response.status_code == 302:  # support has no collectivité: sent back
                assert role == "support"
        else:
            assert response.status_code == 403, (url, response.status_code)


@pytest.mark.parametrize("url", list(PAGES))
def test_custom_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


# actions of the fiche page on the CC's fiche that the CC declines (supra side) and on the
# member's fiche (Commune de Valbourg): url, method → roles accepted (others: 403 or 404).
# The posted values are harmless (no such fiche): an accepted action only flashes an error.
FICHE_ACTIONS = [
    ("/admin/fiche/{supra}/ranger", "GET", {"support", "admin_cc", "edition_cc"}),
    ("/admin/fiche/{supra}/ranger", "POST", {"support", "admin_cc", "edition_cc"}),
    ("/admin/fiche/{supra}/declinaisons", "POST", {"support", "admin_cc", "edition_cc"}),
    ("/admin/fiche/{membre}/declinaisons/decision", "POST", {"support"}),
    ("/admin/collectivite/ajax/lookup/?name=membres&query=a", "GET", set(ROLES) - {
        "sans_acces"}),
]


@pytest.mark.parametrize("role", ROLES)
def test_fiche_actions(app, login_as, world, role):
    from sqlalchemy import func

    from tet.plans.models import Declinaison
    from tet.plans.models import fiche_axe

    with app.app_context():
        link = db.session.scalar(select(Declinaison))
        supra, membre = link.supra_fiche_id, link.membre_fiche_id
        places = db.session.scalar(select(func.count()).select_from(fiche_axe))
    client = _client(login_as, role)
    for url, method, allowed in FICHE_ACTIONS:
        url = url.format(supra=supra, membre=membre)
        if method == "GET":
            response = _get(client, url)
        else:
            response = client.post(url, data={"axe_ids": [999999], "membre_fiche_id": 0,
                                              "supra_fiche_id": 0, "op": "refuser"})
        if role in allowed:
            assert response.status_code in (200, 302), (url, response.status_code)
        else:
            assert response.status_code in (403, 404), (url, role, response.status_code)
    with app.app_context():
        assert db.session.get(Declinaison, (supra, membre)).statut == "acceptee"
        assert db.session.scalar(select(func.count()).select_from(fiche_axe)) == places


def test_observatoire_is_public_for_every_role_and_anonymous(app, login_as, ids, world):
    """The public observatoire (no login): the same pages for every role and for an
    anonymous visitor; a project that is not public is a 404 for everyone."""
    from seeds.demo_projets import load_demo_projets
    from tet.projets.models import Candidature

    with app.app_context():
        load_demo_projets()
        statuts = dict(db.session.execute(select(Candidature.statut, Candidature.id)).all())
    pages = ["/observatoire/", f"/observatoire/territoire/{ids['cc']}",
             "/observatoire/departement/67", f"/observatoire/projet/{statuts['en_suivi']}"]
    hidden = [f"/observatoire/projet/{statuts[s]}" for s in ("brouillon", "depose",
                                                               "non_retenu")]
    hidden.append(f"/observatoire/territoire/{ids['ville']}")  # concerned by no call
    for role in ROLES + ["anonyme"]:
        client = app.test_client() if role == "anonyme" else _client(login_as, role)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (role, url)
            assert "Set-Cookie" not in response.headers, (role, url)
        for url in hidden:
            assert client.get(url).status_code == 404, (role, url)
