"""The history in French: labels, values, names, one entry per save, who (tet.comptes.historique)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import select

from tet.comptes import audit
from tet.comptes.historique import (
    date_longue,
    entrees,
    horodatage,
)
from tet.comptes.historique_libelles import LIBELLES, LIBELLES_PAR_OBJET, MASQUES
from tet.comptes.journal import OBJECT_LABELS, AuditLog
from tet.comptes.models import Collectivite, User
from tet.extensions import db
from tet.plans import arbre
from tet.plans import fiches as fiche_service
from tet.plans.models import Axe, FicheAction, Plan


def _fiche(cid) -> FicheAction:
    return db.session.scalar(select(FicheAction).where(
        FicheAction.collectivite_id == cid, FicheAction.deleted_at.is_(None),
        FicheAction.parent_id.is_(None)).order_by(FicheAction.id))


def _rows(lot):
    return list(db.session.scalars(select(AuditLog).where(AuditLog.lot == lot)
                                   .order_by(AuditLog.id)))


def test_french_dates_in_paris():
    assert date_longue(date(2026, 3, 3)) == "3 mars 2026"
    assert date_longue(date(2026, 5, 1)) == "1er mai 2026"
    # 23:30 UTC on 31 December is already 1 January in Paris
    assert horodatage(datetime(2025, 12, 31, 23, 30, tzinfo=timezone.utc)) == \
        "1er janvier 2026 à 0 h 30"
    assert horodatage(datetime(2026, 7, 14, 8, 5, tzinfo=timezone.utc)) == \
        "14 juillet 2026 à 10 h 05"


def test_every_audited_field_has_a_french_label(app):
    """No raw column name can reach the page: each column of each audited model is either
    labelled or bookkeeping."""
    missing = []
    with app.app_context():
        for mapper in db.Model.registry.mappers:
            cls = mapper.class_
            if not hasattr(cls, "audit_scope"):
                continue
            if cls.__name__ not in OBJECT_LABELS:
                missing.append(cls.__name__)
            keys = [a.key for a in mapper.column_attrs]
            keys += [r.key for r in mapper.relationships if r.secondary is not None]
            for key in keys:
                if key not in MASQUES and key not in LIBELLES \
                        and key not in LIBELLES_PAR_OBJET.get(cls.__name__, {}):
                    missing.append(f"{cls.__name__}.{key}")
    assert not missing, missing


def test_values_as_a_person_would_say_them(app, ids):
    """Statut, priorité, Oui / Non, dates, foreign keys as names, bookkeeping hidden."""
    with app.app_context():
        admin = db.session.get(User, ids["users"]["admin.cc@tet.test"])
        row = AuditLog(id=10**6, at=datetime(2026, 3, 3, 13, 5, tzinfo=timezone.utc),
                       user_id=admin.id, user_email=admin.email, action="update",
                       object_type="FicheAction", object_id=1, object_repr="Vélo",
                       changes={"statut": ["a_venir", "en_cours"], "priorite": [None, "eleve"],
                                "confidentiel": [False, True],
                                "date_fin": ["2026-03-03", "2027-01-01"],
                                "collectivite_id": [None, ids["cc"]],
                                "updated_by_id": [1, 2], "version": [3, 4],
                                "cibles": [[], ["elus", "agents"]]})
        [entree] = entrees([row])
    lignes = {c.libelle: (c.avant, c.apres) for c in entree.objets[0].changements}
    assert lignes == {
        "statut": ("À venir", "En cours"), "priorité": ("—", "Élevé"),
        "confidentialité": ("Non", "Oui"),
        "date de fin prévisionnelle": ("3 mars 2026", "1er janvier 2027"),
        "collectivité": ("—", "CC du Val Démo"),
        "cibles": ("—", "Élus locaux, Agents")}
    assert entree.par == admin.nom_complet and entree.par_detail == "admin.cc@tet.test"
    assert entree.quand == "3 mars 2026 à 14 h 05"
    assert entree.titre == "Modification de la fiche « Vélo »"


def test_maturity_answer_shows_the_option_and_the_question(app, ids):
    from tet.maturite.models import Question, Reponse, ReponseOption

    with app.app_context():
        question, option = db.session.execute(select(Question, ReponseOption).join(
            ReponseOption, ReponseOption.question_id == Question.id)
            .where(ReponseOption.code != "nsp").limit(1)).one()
        reponse = Reponse(collectivite_id=ids["cc"], question_id=question.id,
                          option_code="nsp")
        db.session.add(reponse)
        db.session.commit()
        assert reponse.option_code == "nsp"  # loaded, as the questionnaire does
        reponse.option_code = option.code
        db.session.commit()
        row = db.session.scalar(select(AuditLog).where(
            AuditLog.object_type == "Reponse", AuditLog.object_id == reponse.id,
            AuditLog.action == "update"))
        [entree] = entrees([row])
        code, libelle_option = question.code, option.libelle
    [objet] = entree.objets
    assert code in objet.nom
    [change] = objet.changements
    assert change.libelle == "réponse"
    assert change.avant == "Je ne sais pas" and change.apres == libelle_option


def test_one_entry_per_save_with_fields_links_and_places(app, ids):
    """A save writing the fiche, a new étiquette, its pilotes and its places is one entry
    « Modification de la fiche … » holding every change."""
    with app.app_context():
        user = db.session.get(User, ids["users"]["edition.cc@tet.test"])
        fiche = _fiche(ids["cc"])
        axe = db.session.scalar(select(Axe).join(Plan).where(
            Plan.collectivite_id == ids["cc"], Axe.parent_id.is_not(None)).order_by(Axe.id))
        with audit.acting_as(user):
            fiche_service.save_fiche(fiche, {"statut": "en_pause",
                                             "service": "Service mobilité nouveau",
                                             "pilote_ids": [user.id]}, user)
            arbre.ranger(fiche, {a.id for a in arbre.places(fiche)} ^ {axe.id})
            db.session.commit()
        lot = db.session.scalar(select(AuditLog.lot).where(
            AuditLog.object_id == fiche.id, AuditLog.object_type == "FicheAction")
            .order_by(AuditLog.id.desc()))
        rows = _rows(lot)
        assert len(rows) >= 2  # the fiche and the new étiquette at least
        from tet.plans.versions_fiche import FicheVersion

        versions = list(db.session.scalars(select(FicheVersion).where(FicheVersion.lot == lot)))
        [entree] = entrees(rows, versions)
        titre, nom, version_id = fiche.titre, user.nom_complet, versions[0].id
    assert entree.titre == f"Modification de la fiche « {titre} »"
    assert entree.par == nom
    fiche_objet = entree.objets[0]
    libelles = {c.libelle for c in fiche_objet.changements}
    assert {"statut", "pilotes", "étiquettes", "emplacements dans les plans"} <= libelles
    statut = next(c for c in fiche_objet.changements if c.libelle == "statut")
    assert statut.apres == "En pause"
    pilotes = next(c for c in fiche_objet.changements if c.libelle == "pilotes")
    assert nom in pilotes.ajouts
    assert entree.version_id == version_id


def test_system_and_command_names(app):
    """No user: « système », or the command that wrote the rows."""
    with app.app_context():
        coll = db.session.scalar(select(Collectivite).order_by(Collectivite.id))
        with audit.acting_as(None, context="flask seed --demo"):
            coll.population = (coll.population or 0) + 1
            db.session.commit()
        coll.population += 1
        db.session.commit()
        rows = list(db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "Collectivite", AuditLog.object_id == coll.id)
            .order_by(AuditLog.id.desc()).limit(2)))
        latest, seed = entrees(rows)
    assert seed.par == "flask seed --demo"
    assert latest.par == "système"
    assert latest.cle != seed.cle


def test_rows_before_lots_are_one_entry_each(app):
    with app.app_context():
        rows = [AuditLog(id=10**6 + i, at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                         action="update", object_type="Plan", object_id=1, object_repr="P",
                         changes={"nom": ["a", "b"]}) for i in range(2)]
        assert len(entrees(rows)) == 2


def test_import_is_one_entry_named_after_the_workbook(app, ids, tmp_path):
    """The import service sets « import du classeur X.xlsx » for everything it writes."""
    from tests.plans.test_import import messy_workbook
    from tet.plans import import_application, import_lecture

    path = tmp_path / "plan.xlsx"
    messy_workbook(path)
    with app.app_context():
        coll = db.session.get(Collectivite, ids["cc"])
        import_application.apply(import_lecture.read(str(path)), coll, None, "plan.xlsx")
        row = db.session.scalar(select(AuditLog).where(AuditLog.action == "import")
                                .order_by(AuditLog.id.desc()))
        rows = _rows(row.lot)
        [entree] = entrees(rows)
    assert entree.par == "import du classeur plan.xlsx"
    assert entree.titre == "Import du classeur plan.xlsx"
