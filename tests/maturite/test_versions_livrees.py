"""The shipped versions (``seeds.maturite.SHIPPED``) are found again by their stable
reference: ``flask seed`` twice loads each once and leaves the last one active; a version 2
made in the back-office before does not pass for the shipped v2, and a version made after
is not deactivated by a later seed. The migration names the versions already loaded."""
from __future__ import annotations

from sqlalchemy import func, select

from tet.extensions import db
from tet.maturite import questionnaire as maturite
from tet.maturite import versions
from tet.maturite.models import Question, QuestionnaireVersion, Recommandation


def _seed(app) -> str:
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    return result.output


def _versions(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(select(
            QuestionnaireVersion.numero, QuestionnaireVersion.reference,
            QuestionnaireVersion.active).order_by(QuestionnaireVersion.numero)).all()


def _edit(app) -> int:
    """A back-office edit of the active version: the new version's number."""
    with app.app_context():
        source = maturite.active_version()
        question = db.session.scalar(select(Question).where(
            Question.version_id == source.id).order_by(Question.id).limit(1))
        new = versions.new_version(source, question.id, {"aide": "Aide revue au support."})
        db.session.commit()
        return new.numero


def test_seed_twice_keeps_one_row_per_shipped_version_despite_a_back_office_version_2(app):
    assert _versions(app) == [(1, None, True)]  # the tests' own questionnaire
    assert _edit(app) == 2  # number 2 is taken by the back-office editor
    assert "version 4 active" in _seed(app)
    expected = [(1, None, False), (2, None, False), (3, "questionnaire-v1", False),
                (4, "questionnaire-v2", True)]
    assert _versions(app) == expected
    with app.app_context():
        v2 = db.session.scalar(select(QuestionnaireVersion).where(
            QuestionnaireVersion.reference == "questionnaire-v2"))
        assert db.session.scalar(select(func.count()).select_from(Question).where(
            Question.version_id == v2.id, Question.niveau == 1)) == 30
        back_office = db.session.scalar(select(QuestionnaireVersion).where(
            QuestionnaireVersion.numero == 2))
        assert back_office.note != v2.note
    _seed(app)
    assert _versions(app) == expected
    # a version made in the back-office after the seed stays active through the next one
    assert _edit(app) == 5
    assert "version 5 active" in _seed(app)  # the one really active
    assert _versions(app)[-1] == (5, None, True) and len(_versions(app)) == 5
    assert [v for v in _versions(app) if v[2]] == [(5, None, True)]


def test_shipped_v2_fields_are_stored_as_the_files_give_them(app, tmp_path):
    """The loader keeps every key of the format (one recommendation, one question)."""
    import json

    from seeds.maturite import load_questionnaire
    from tests.conftest import TEST_QUESTIONNAIRE

    data = json.loads(TEST_QUESTIONNAIRE.read_text(encoding="utf-8"))
    data["version"] = 1  # taken: the next free number
    path = tmp_path / "v.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with app.app_context():
        version = load_questionnaire(path, activate=False, reference="essai")
        assert (version.numero, version.reference, version.active) == (2, "essai", False)
        assert load_questionnaire(path, activate=False, reference="essai").id == version.id
        reco = db.session.scalar(select(Recommandation).where(
            Recommandation.version_id == version.id, Recommandation.code == "R-S1"))
        source = next(r for r in data["recommandations"] if r["code"] == "R-S1")
        for key in ("pourquoi", "etapes", "effort", "cout", "acteurs", "ressources",
                    "indicateurs_succes"):
            assert getattr(reco, key) == source[key], key
        s1 = db.session.scalar(select(Question).where(Question.version_id == version.id,
                                                      Question.code == "S1"))
        assert s1.fondements == next(q for q in data["questions"]
                                     if q["code"] == "S1")["fondements"]
        g1 = db.session.scalar(select(Question).where(Question.version_id == version.id,
                                                      Question.code == "G1"))
        assert g1.fondements == [] and g1.recommandation.etapes == []


def test_migration_names_the_versions_already_loaded(tmp_path):
    """Before a34: number 1 is the shipped v1, number 2 the shipped v2 only with its note."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production-0123",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a34.sqlite3'}"})
    with app.app_context():
        upgrade(revision="a32_francais")
        from migrations.versions import a34_contenu_v2 as a34  # noqa: E402  (after the path)

        with db.engine.begin() as conn:
            for numero, note in ((1, "Première version"), (2, a34.V2_NOTE), (3, "Modification")):
                conn.execute(text("INSERT INTO mat_version (numero, active, note, created_at) "
                                  "VALUES (:n, 0, :note, CURRENT_TIMESTAMP)"),
                             {"n": numero, "note": note})
            conn.execute(text(
                "INSERT INTO mat_categorie (id, version_id, code, nom, ordre, niveau2_only) "
                "VALUES (1, 1, 'c', 'C', 0, 0)"))
            conn.execute(text(
                "INSERT INTO mat_question (version_id, code, niveau, categorie_id, ordre, texte, "
                "priorite, type) VALUES (1, 'Q', 1, 1, 0, 'Q ?', 'necessaire', 'oui_non')"))
            conn.execute(text(
                "INSERT INTO mat_recommandation (version_id, titre, corps, ressources, "
                "indicateurs_succes, niveau, niveau_questionnaire, created_at) "
                "VALUES (1, 'T', 'C', '[]', '[]', 'recommande', 1, CURRENT_TIMESTAMP)"))
        upgrade(revision="a34_contenu_v2")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT numero, reference FROM mat_version ORDER BY numero")
                                ).all() == [(1, "questionnaire-v1"), (2, "questionnaire-v2"),
                                            (3, None)]
            assert conn.execute(text("SELECT fondements FROM mat_question")).scalar() == "[]"
            assert conn.execute(text("SELECT etapes, acteurs, pourquoi FROM mat_recommandation")
                                ).one() == ("[]", "[]", None)
            # nothing lost on the way (no copy of a parent table cascading to its children)
            assert conn.execute(text("SELECT count(*) FROM mat_question")).scalar() == 1
        downgrade(revision="a32_francais")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM mat_recommandation")).scalar() == 1
            assert "reference" not in conn.execute(text("SELECT * FROM mat_version")).keys()
        db.session.remove()
        db.engine.dispose()
