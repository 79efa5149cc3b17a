"""Uploaded pièces go to a temporary folder."""
import pytest


@pytest.fixture(autouse=True)
def _documents(app, tmp_path):
    before = app.config.get("DOCUMENTS_FOLDER")
    app.config["DOCUMENTS_FOLDER"] = str(tmp_path)
    yield
    app.config["DOCUMENTS_FOLDER"] = before
