"""The weekly digest of each pilote (``flask --app app digest``)."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from tests import builders
from tet.extensions import db
from tet.accueil_digest import envoyer, lien_desabonnement
from tet.comptes.journal import AuditLog
from tet.comptes.models import Collectivite, Membership, User
from tet.plans.models import FicheAction

TODAY = date(2026, 11, 26)  # a Thursday
EMAIL = "pilote@val-demo.fr"


def _fiche(cid, titre, user, jours, **fields):
    f = FicheAction(collectivite_id=cid, titre=titre, statut=fields.pop("statut", "en_cours"),
                    date_fin=TODAY + timedelta(jours), pilotes=[user], **fields)
    db.session.add(f)
    db.session.flush()
    return f.id


@pytest.fixture
def pilote(app, ids):
    """A member of the CC (édition) and of the Ville (lecture) piloting fiches of both."""
    app.config["PUBLIC_URL"] = "https://tet.exemple.fr"
    with app.app_context():
        u = builders.user(EMAIL, prenom="Paula", nom="Pilote")
        builders.member(u, db.session.get(Collectivite, ids["cc"]), "edition")
        builders.member(u, db.session.get(Collectivite, ids["ville"]), "lecture")
        made = {
            "retard": _fiche(ids["cc"], "Fiche en retard", u, -5),
            "semaine": _fiche(ids["cc"], "Fiche de la semaine prochaine", u, 7),
            "confidentielle": _fiche(ids["cc"], "Fiche confidentielle", u, 2,
                                     confidentiel=True),
            "ville": _fiche(ids["ville"], "Fiche de la ville", u, 3),
            "loin": _fiche(ids["cc"], "Fiche lointaine", u, 20),
            "realisee": _fiche(ids["cc"], "Fiche réalisée", u, -5, statut="realise"),
            "abandonnee": _fiche(ids["cc"], "Fiche abandonnée", u, 1, statut="abandonne"),
            "supprimee": _fiche(ids["cc"], "Fiche supprimée", u, 1, deleted_at=db.func.now()),
        }
        db.session.commit()
        made["user"] = u.id
    yield made
    app.config["PUBLIC_URL"] = "http://127.0.0.1:5000"


def _mails_to(outbox, email=EMAIL):
    return [m for m in outbox if m["to"] == [email]]


def test_digest_groups_late_and_coming_fiches_by_collectivite_with_links(app, outbox, pilote):
    with app.app_context():
        envoyer(TODAY, echo=lambda _line: None)
    [mail] = _mails_to(outbox)
    assert mail["subject"] == ("TeT — vos fiches de la semaine : 1 fiche en retard et "
                               "3 échéances dans les 14 jours")
    body = mail["body"]
    assert body.startswith("Bonjour Paula Pilote,")
    cc, ville = body.index("CC du Val Démo\n"), body.index("Ville d'Exemple\n")
    assert cc < body.index("Fiche en retard — en retard depuis le 21/11/2026") < ville
    assert cc < body.index("Fiche confidentielle — échéance le 28/11/2026") < body.index(
        "Fiche de la semaine prochaine — échéance le 03/12/2026") < ville
    assert ville < body.index("Fiche de la ville — échéance le 29/11/2026")
    assert f"https://tet.exemple.fr/admin/fiche/{pilote['retard']}" in body
    for absent in ("lointaine", "réalisée", "abandonnée", "supprimée"):
        assert f"Fiche {absent}" not in body
    assert "https://tet.exemple.fr/desabonnement/" in body
    assert "https://tet.exemple.fr/admin/mon-compte/" in body


def test_only_collectivites_where_the_membership_is_still_active(app, outbox, pilote, ids):
    with app.app_context():
        db.session.execute(delete(Membership).where(
            Membership.user_id == pilote["user"], Membership.collectivite_id == ids["cc"]))
        db.session.commit()
        envoyer(TODAY, echo=lambda _line: None)
    [mail] = _mails_to(outbox)
    assert "Fiche de la ville" in mail["body"]
    assert "CC du Val Démo" not in mail["body"] and "confidentielle" not in mail["body"]
    assert mail["subject"].endswith(": 1 échéance dans les 14 jours")


def test_a_membership_waiting_for_validation_is_no_membership(app, outbox, pilote):
    with app.app_context():
        for m in db.session.scalars(select(Membership).where(
                Membership.user_id == pilote["user"])):
            m.statut = "en_attente"
        db.session.commit()
        envoyer(TODAY, echo=lambda _line: None)
    assert _mails_to(outbox) == []


def test_nothing_sent_to_who_opted_out_or_has_nothing_to_say(app, outbox, pilote, ids):
    with app.app_context():
        db.session.get(User, pilote["user"]).digest_desabonne = True
        quiet = builders.user("calme@val-demo.fr")
        builders.member(quiet, db.session.get(Collectivite, ids["cc"]), "edition")
        _fiche(ids["cc"], "Fiche tranquille", quiet, 40)
        inactive = builders.user("parti@val-demo.fr", active=False)
        builders.member(inactive, db.session.get(Collectivite, ids["cc"]), "edition")
        _fiche(ids["cc"], "Fiche d'un compte désactivé", inactive, -1)
        db.session.commit()
        envoyer(TODAY, echo=lambda _line: None)
    assert _mails_to(outbox) == []
    assert _mails_to(outbox, "calme@val-demo.fr") == []
    assert _mails_to(outbox, "parti@val-demo.fr") == []


def test_sent_once_per_iso_week(app, outbox, pilote):
    with app.app_context():
        assert envoyer(TODAY, echo=lambda _line: None) >= 1
        envoyer(TODAY + timedelta(days=3), echo=lambda _line: None)  # Sunday, same week
        assert len(_mails_to(outbox)) == 1
        assert db.session.get(User, pilote["user"]).digest_envoye_le == TODAY
        # recorded without an audit entry (bookkeeping, not a change someone made)
        assert db.session.scalar(select(AuditLog).where(
            AuditLog.object_type == "User", AuditLog.object_id == pilote["user"],
            AuditLog.action == "update")) is None
        envoyer(TODAY + timedelta(days=4), echo=lambda _line: None)  # next Monday
    assert len(_mails_to(outbox)) == 2


def test_cli_dry_run_says_who_would_get_what_and_sends_nothing(app, outbox, pilote):
    result = app.test_cli_runner().invoke(args=["digest", "--dry-run", "--date",
                                                TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert (f"{EMAIL} : 4 fiches dont 1 en retard (CC du Val Démo, Ville d'Exemple)"
            in result.output)
    assert re.search(r"\d+ pilotes? recevrai(en)?t le résumé\.", result.output)
    assert outbox == []
    with app.app_context():
        assert db.session.get(User, pilote["user"]).digest_envoye_le is None


def test_cli_sends_then_sends_nothing_the_same_week(app, outbox, pilote):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["digest", "--date", TODAY.isoformat()])
    assert first.exit_code == 0 and "le résumé." in first.output
    assert len(_mails_to(outbox)) == 1
    again = runner.invoke(args=["digest", "--date", TODAY.isoformat()])
    assert "Aucun résumé à envoyer cette semaine." in again.output
    assert len(_mails_to(outbox)) == 1


def test_cli_rejects_a_malformed_date(app):
    result = app.test_cli_runner().invoke(args=["digest", "--date", "26/11/2026"])
    assert result.exit_code == 2 and "--date" in result.output


def test_signed_unsubscribe_link_asks_then_opts_out(app, client, pilote):
    with app.app_context():
        link = lien_desabonnement(pilote["user"])
    path = link.removeprefix("https://tet.exemple.fr")
    page = client.get(path)
    assert page.status_code == 200 and "Me désabonner" in page.get_data(as_text=True)
    with app.app_context():  # a link followed by a mail scanner unsubscribes nobody
        assert db.session.get(User, pilote["user"]).digest_desabonne is False
    done = client.post(path)
    assert done.status_code == 200 and 'id="desabonnement-fait"' in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, pilote["user"]).digest_desabonne is True
        entry = db.session.scalar(select(AuditLog).where(
            AuditLog.object_type == "User", AuditLog.object_id == pilote["user"])
            .order_by(AuditLog.id.desc()))
        assert entry.user_email == EMAIL and "désabonnement" in entry.context


def test_forged_unsubscribe_links_are_refused(app, client, pilote, ids):
    with app.app_context():
        other = ids["users"]["admin.cc@tet.test"]
        token = lien_desabonnement(pilote["user"]).rsplit("/", 1)[1]
    payload, signature = token.split(".")
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("pas-la-cle", salt="tet-digest-desabonnement").dumps(other)
    for bad in (forged, payload + "." + signature[::-1], "x" * 300, "abc"):
        assert client.get(f"/desabonnement/{bad}").status_code == 404
        assert client.post(f"/desabonnement/{bad}").status_code == 404
    with app.app_context():
        assert db.session.get(User, other).digest_desabonne is False


def test_unsubscribe_form_needs_its_csrf_token(app, client, pilote):
    with app.app_context():
        path = lien_desabonnement(pilote["user"]).removeprefix("https://tet.exemple.fr")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(path).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_failed_sending_is_not_recorded_and_the_others_go_on(app, outbox, pilote,
                                                              monkeypatch):
    import tet.accueil_digest as digest

    sent = []

    def flaky(to, subject, body):
        if to == EMAIL:
            raise OSError("connexion refusée")
        sent.append(to)

    monkeypatch.setattr(digest, "send_mail", flaky)
    lines = []
    with app.app_context():
        n = envoyer(TODAY, echo=lines.append)
        assert db.session.get(User, pilote["user"]).digest_envoye_le is None
    assert f"Échec de l’envoi à {EMAIL} : connexion refusée (réessayé au prochain passage)" in lines
    assert n == len(sent) and sent  # the demo's pilotes got theirs
