"""Two people answer the same maturity question: the stale answer is refused, the other's
answer shown, and the user keeps theirs or takes the other's."""
from __future__ import annotations

from html import unescape

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tests.formulaires import conflict_forms, forms_of, replace
from tet.extensions import db
from tet.comptes.journal import AuditLog
from tet.maturite.models import Question, Reponse

URL = "/admin/maturite/categorie/gouvernance"


def _question(app, ids):
    with app.app_context():
        q = db.session.scalar(select(Question).where(Question.code == "G1"))
        r = db.session.scalar(select(Reponse).where(Reponse.question_id == q.id,
                                                    Reponse.collectivite_id == ids["cc"]))
        return q.id, r.option_code if r else None


def _answer_form(client, qid):
    html = client.get(URL).get_data(as_text=True)
    return next(f["fields"] for f in forms_of(html)
                if ("question_id", str(qid)) in f["fields"])


def _current(app, ids, qid):
    with app.app_context():
        return db.session.scalar(select(Reponse).where(Reponse.question_id == qid,
                                                       Reponse.collectivite_id == ids["cc"]))


def _conflict(app, ids, login_as):
    qid, current = _question(app, ids)
    theirs, mine = [o for o in ("oui", "non", "nsp") if o != current][:2]
    edition, admin = login_as("edition_cc"), login_as("admin_cc")
    form_e, form_a = _answer_form(edition, qid), _answer_form(admin, qid)
    assert edition.post("/admin/maturite/repondre", data=MultiDict(
        replace(form_e, option=theirs))).status_code == 302
    refused = admin.post("/admin/maturite/repondre", data=MultiDict(replace(form_a,
                                                                            option=mine)))
    return qid, theirs, mine, admin, refused


def test_stale_answer_refused_then_keep_mine(app, ids, login_as):
    qid, theirs, mine, admin, refused = _conflict(app, ids, login_as)
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 409 and "Rien n'a été enregistré" in html
    labels = {"oui": "Oui", "non": "Non", "nsp": "Je ne sais pas"}
    assert labels[theirs] in html and labels[mine] in html and "edition.cc@tet.test" in html
    assert _current(app, ids, qid).option_code == theirs
    _merge, keep = conflict_forms(refused.get_data(as_text=True))
    assert admin.post("/admin/maturite/repondre", data=MultiDict(keep)).status_code == 302
    reponse = _current(app, ids, qid)
    assert reponse.option_code == mine
    with app.app_context():
        last = db.session.scalars(select(AuditLog).where(
            AuditLog.object_type == "Reponse", AuditLog.object_id == reponse.id)
            .order_by(AuditLog.id.desc())).first()
        assert last.user_email == "admin.cc@tet.test" and last.changes["option_code"][1] == mine


def test_stale_answer_take_theirs(app, ids, login_as):
    qid, theirs, _mine, admin, refused = _conflict(app, ids, login_as)
    merge, _keep = conflict_forms(refused.get_data(as_text=True))
    response = admin.post("/admin/maturite/repondre", data=MultiDict(
        merge + [("verrou_choix-reponse", "autre")]), follow_redirects=True)
    assert "La réponse de l’autre personne est conservée" in unescape(
        response.get_data(as_text=True)).replace("'", "’")
    assert _current(app, ids, qid).option_code == theirs
    assert f'href="{URL}#q-{qid}"' in refused.get_data(as_text=True)
