"""« Sous-action de » on the fiche form: a select while the collectivité has few main
fiches, a number beyond (a collectivité with 100,000 fiches got an 8 MB form listing them
all); either way the parent is checked by the fiche service."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from admin_views.plans import fiche_form
from tests.formulaires import form_fields, replace
from tests.plan_helpers import fiche, fiche_id
from tet.extensions import db
from tet.comptes.models import Collectivite
from tet.plans.models import FicheAction

ATLAS = "Créer un atlas de la biodiversité intercommunale"
ECOLES = "Rénover l'isolation des écoles communautaires"


def _edit(client, fid):
    html = client.get(f"/admin/fiche/edit/?id={fid}").get_data(as_text=True)
    return html, form_fields(html, lambda f: any(k == "titre" for k, _v in f["fields"]))


def _other_collectivite_fiche(app) -> int:
    with app.app_context():
        cc = db.session.scalar(select(FicheAction.collectivite_id).where(
            FicheAction.titre == ATLAS))
        autre = db.session.scalar(select(Collectivite.id).where(Collectivite.id != cc))
        f = FicheAction(collectivite_id=autre, titre="Fiche d'une autre collectivité")
        db.session.add(f)
        db.session.commit()
        return f.id


def test_few_main_fiches_give_a_select(app, login_as):
    html, _fields = _edit(login_as("admin_cc"), fiche_id(app, ATLAS))
    assert '<select class="custom-select" id="parent_id"' in html
    assert ECOLES.replace("'", "&#39;") in html


@pytest.fixture
def grande(monkeypatch):
    monkeypatch.setattr(fiche_form, "PARENTS_MAX", 2)


def test_many_main_fiches_give_a_number_field_not_every_fiche(app, login_as, grande):
    html, fields = _edit(login_as("admin_cc"), fiche_id(app, ATLAS))
    assert 'inputmode="numeric"' in html and 'name="parent_id"' in html
    assert "<option" not in html.split('id="parent_id"')[1].split("</div>")[0]
    assert ECOLES.replace("'", "&#39;") not in html  # no list of the main fiches
    assert ("parent_id", "") in fields


def test_a_number_files_the_fiche_under_its_parent(app, login_as, grande):
    client = login_as("admin_cc")
    atlas, ecoles = fiche_id(app, ATLAS), fiche_id(app, ECOLES)
    _html, fields = _edit(client, atlas)
    r = client.post(f"/admin/fiche/edit/?id={atlas}",
                    data=MultiDict(replace(fields, parent_id=f"n° {ecoles}")))
    assert r.status_code == 302
    assert fiche(app, atlas).parent_id == ecoles


@pytest.mark.parametrize("value, message", [
    ("douze", "Indiquez le numéro de la fiche parente"),
    ("99999999", "Fiche parente introuvable."),
])
def test_a_bad_number_is_refused_in_french_and_changes_nothing(app, login_as, grande,
                                                              value, message):
    client = login_as("admin_cc")
    atlas = fiche_id(app, ATLAS)
    _html, fields = _edit(client, atlas)
    r = client.post(f"/admin/fiche/edit/?id={atlas}",
                    data=MultiDict(replace(fields, parent_id=value)))
    assert r.status_code == 200 and message in r.get_data(as_text=True)
    assert fiche(app, atlas).parent_id is None


def test_another_collectivites_fiche_cannot_become_the_parent(app, login_as, grande):
    client = login_as("admin_cc")
    atlas, etrangere = fiche_id(app, ATLAS), _other_collectivite_fiche(app)
    _html, fields = _edit(client, atlas)
    r = client.post(f"/admin/fiche/edit/?id={atlas}",
                    data=MultiDict(replace(fields, parent_id=str(etrangere))))
    assert "Fiche parente introuvable." in r.get_data(as_text=True)
    assert fiche(app, atlas).parent_id is None
