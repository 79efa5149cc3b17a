"""The demo call (seeds/demo_projets.py): the story the issue asks for, loaded once."""
from sqlalchemy import func, select

from seeds.demo_projets import TITRE, load_demo_projets
from tet.comptes.models import User
from tet.comptes.permissions import build_acteur, policy_for
from tet.extensions import db
from tet.plans.models import FicheAction
from tet.projets import observatoire
from tet.projets.models import AppelAProjets, Candidature, Evaluation, ImpactValeur


def test_demo_projets(app, demo_projets):
    with app.app_context():
        assert load_demo_projets() is False  # idempotent
        assert set(demo_projets["organisations"]) == {"Énergies Citoyennes du Val",
                                                      "Transports Verts du Val"}
        appel = db.session.scalar(select(AppelAProjets).where(AppelAProjets.titre == TITRE))
        assert appel.collectivite.nom == "CC du Val Démo" and appel.statut == "ouvert"
        assert len(appel.axes) == 6 and sum(x.part for x in appel.axes) == 100
        assert [(m.nom, [c.poids for c in m.criteres]) for m in appel.matrices] == [
            ("Opportunité", [25, 20, 30, 25]), ("Faisabilité", [25, 25, 25, 25])]
        statuts = dict(db.session.execute(
            select(func.min(Candidature.statut), func.count()).group_by(Candidature.statut)
        ).all())
        assert statuts == {"depose": 1, "brouillon": 1, "en_suivi": 1, "non_retenu": 1}
        suivie = db.session.scalar(select(Candidature).where(Candidature.statut == "en_suivi"))
        fiche = db.session.get(FicheAction, suivie.fiche_id)
        assert fiche.collectivite_id == appel.collectivite_id
        assert db.session.scalar(select(func.count(ImpactValeur.id)).where(
            ImpactValeur.statut == "proposee")) == 1
        assert db.session.scalar(select(func.count(Evaluation.id))) == 32
        # the retained project is public, without its budget (the confidential field)
        (projet,) = observatoire.projets(None)
        assert projet["titre"].startswith("Navettes") and "budget_total" not in projet
        users = {u.email: u for u in db.session.scalars(select(User).where(
            User.email.like("%@tet.test")))}
        asso = build_acteur(users["porteur.asso@tet.test"])
        assert asso.organisation_id is not None
        seen = set(db.session.scalars(policy_for(Candidature).scope(
            asso, select(Candidature.statut))))
        assert seen == {"depose", "brouillon"}
        comite = build_acteur(users["comite1@tet.test"])
        assert comite.comite_appel_id == appel.id
