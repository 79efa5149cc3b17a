"""The conflict page names the fields as the form does (never ``participation_detail``) and
shows values as the rest of the site (French numbers, Paris time)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal
from html import unescape

from werkzeug.datastructures import MultiDict

from tests.formulaires import form_fields, replace
from tests.plans.test_verrous import _fiche, _is_fiche_form
from tet.comptes.journal import AuditLog
from tet.verrous import champs_touches, fige


def test_conflict_page_lists_the_other_changes_by_their_labels(app, ids, login_as):
    fid, _titre = _fiche(app, ids)
    url = f"/admin/fiche/edit/?id={fid}"
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e = form_fields(edition.get(url).get_data(as_text=True), _is_fiche_form)
    form_a = form_fields(admin.get(url).get_data(as_text=True), _is_fiche_form)
    assert edition.post(url, data=MultiDict(replace(
        form_e, description="Texte d'Édith", participation_detail="Ateliers",
        financements="Fonds vert"))).status_code == 302
    refused = admin.post(url, data=MultiDict(replace(form_a, description="Texte d'Albert")))
    assert refused.status_code == 409
    html = unescape(refused.get_data(as_text=True))
    line = re.search(r"<li>edition\.cc@tet\.test, le [\d/]+ [\d:]+ : ([^<]+)</li>", html).group(1)
    assert "_" not in line, line
    assert "Description" in line or "description" in line


def test_labels_fall_back_on_the_audit_words_then_plain_words():
    entry = AuditLog(changes={"statut": ["a", "b"], "referentiel_actions": [[], [1]],
                              "updated_at": ["x", "y"], "plan_id": [1, 2]})
    assert champs_touches(entry, {"statut": "Statut"}) == [
        "Statut", "actions du référentiel", "plan"]
    assert champs_touches(entry, {"axes": "Actions liées"},
                          {"axes": "referentiel_actions"})[1] == "Actions liées"


def test_values_shown_in_french():
    assert fige(Decimal("12500.50"))[1] == "12\u202f500,5"
    assert fige(datetime(2026, 7, 1, 22, 30, tzinfo=timezone.utc))[1] == "02/07/2026 00:30"
    assert fige(True)[1] == "Oui" and fige(None)[1] == "—"
