"""Fixtures of the calls for projects: uploaded pièces go to a temporary folder;
``demo_projets`` loads the demo story (seeds/demo_projets.py) for a test and gives its ids
(the session's demo data does not include it, so other domains' tests stay as they were)."""
import pytest
from sqlalchemy import select

from tet.extensions import db


@pytest.fixture(autouse=True)
def _documents(app, tmp_path):
    before = app.config.get("DOCUMENTS_FOLDER")
    app.config["DOCUMENTS_FOLDER"] = str(tmp_path)
    yield
    app.config["DOCUMENTS_FOLDER"] = before


@pytest.fixture
def demo_projets(app):
    """{"appel": id, "candidatures": {dossier title: id}, "organisations": {name: id}}."""
    from seeds.demo_projets import TITRE, load_demo_projets
    from tet.projets.models import AppelAProjets, Candidature, Dossier, Organisation

    with app.app_context():
        load_demo_projets()
        return {
            "appel": db.session.scalar(select(AppelAProjets.id).where(
                AppelAProjets.titre == TITRE)),
            "candidatures": dict(db.session.execute(select(Dossier.titre, Candidature.id)
                                                    .join(Candidature)).all()),
            "organisations": dict(db.session.execute(select(Organisation.nom,
                                                            Organisation.id)).all()),
        }
