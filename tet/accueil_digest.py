"""The weekly digest: each pilote receives their late fiches and those due in the coming
days, grouped by collectivité, with links (``flask --app app digest``, run from cron).

Only the fiches of collectivités where the pilote still has a validated membership (they
see every fiche of those, confidential ones included, and none elsewhere); nothing is sent
to whoever has nothing to hear about, has opted out, or is inactive. Sent once per ISO week:
the date of the last one is recorded, so a second run in the same week sends nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, select, update

from tet.extensions import db
from tet.comptes.models import Collectivite, Membership, User
from tet.liens_publics import public_url
from tet.mail import send_mail
from tet.plans.models import FicheAction, fiche_pilote_user
from tet.plans.stats import DONE, DROPPED

JOURS = 14
BATCH = 500
SALT = "tet-digest-desabonnement"


@dataclass
class Digest:
    user_id: int
    email: str
    nom: str
    # (collectivité name, [(fiche id, titre, date de fin, late?)])
    collectivites: list[tuple[str, list[tuple[int, str, date, bool]]]] = field(
        default_factory=list)

    @property
    def en_retard(self) -> int:
        return sum(late for _c, fiches in self.collectivites for *_f, late in fiches)

    @property
    def total(self) -> int:
        return sum(len(fiches) for _c, fiches in self.collectivites)


def _rows(today: date):
    """(user, collectivité, fiche) rows to tell about, in the order they are grouped; one
    query streamed in batches."""
    debut_semaine = today - timedelta(days=today.isoweekday() - 1)
    return db.session.execute(
        select(User.id, User.email, User.prenom, User.nom, Collectivite.nom,
               FicheAction.id, FicheAction.titre, FicheAction.date_fin)
        .join(fiche_pilote_user, fiche_pilote_user.c.user_id == User.id)
        .join(FicheAction, FicheAction.id == fiche_pilote_user.c.fiche_id)
        .join(Membership, and_(Membership.user_id == User.id,
                               Membership.collectivite_id == FicheAction.collectivite_id,
                               Membership.validee))
        .join(Collectivite, Collectivite.id == FicheAction.collectivite_id)
        .where(User.active.is_(True), User.email_verifie_le.is_not(None),
               User.digest_desabonne.is_(False),
               or_(User.digest_envoye_le.is_(None), User.digest_envoye_le < debut_semaine),
               FicheAction.deleted_at.is_(None), FicheAction.date_fin.is_not(None),
               FicheAction.date_fin <= today + timedelta(days=JOURS),
               FicheAction.statut.not_in((DONE, DROPPED)))
        .order_by(User.id, Collectivite.nom, Collectivite.id, FicheAction.date_fin,
                  FicheAction.titre, FicheAction.id),
        execution_options={"yield_per": BATCH})


def digests(today: date):
    """The digests to send this week, one per pilote with something to say."""
    for (uid, email, prenom, nom), rows in groupby(_rows(today), key=lambda r: tuple(r[:4])):
        d = Digest(uid, email, f"{prenom} {nom}".strip() or email)
        for coll, fiches in groupby(rows, key=lambda r: r[4]):
            d.collectivites.append((coll, [(fid, titre, fin, fin < today)
                                           for *_u, _c, fid, titre, fin in fiches]))
        yield d


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def lien_desabonnement(user_id: int) -> str:
    return public_url("desabonnement.confirmer", jeton=_serializer().dumps(user_id))


def user_du_jeton(jeton: str) -> User | None:
    """The account a signed unsubscribe link names (None when forged or altered)."""
    try:
        user_id = _serializer().loads(jeton)
    except BadSignature:
        return None
    return db.session.get(User, user_id) if isinstance(user_id, int) else None


def _pluriel(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


def texte(d: Digest, today: date) -> tuple[str, str]:
    """(subject, body) of a digest, in French, each fiche with its link."""
    retard = d.en_retard
    a_venir = d.total - retard
    parts = []
    if retard:
        parts.append(f"{_pluriel(retard, 'fiche')} en retard")
    if a_venir:
        parts.append(f"{_pluriel(a_venir, 'échéance')} dans les {JOURS} jours")
    subject = "TeT — vos fiches de la semaine : " + " et ".join(parts)
    lines = [f"Bonjour {d.nom},", "",
             f"Voici les fiches action dont vous êtes pilote, en retard ou à échéance d’ici "
             f"le {(today + timedelta(days=JOURS)).strftime('%d/%m/%Y')}.", ""]
    for coll, fiches in d.collectivites:
        lines += [coll, "-" * len(coll)]
        for fid, titre, fin, late in fiches:
            etat = "en retard depuis le" if late else "échéance le"
            lines += [f"• {titre} — {etat} {fin.strftime('%d/%m/%Y')}",
                      f"  {public_url('fiche.page', id=fid)}"]
        lines.append("")
    lines += ["Votre tableau de bord : " + public_url("admin.index"), "",
              "Vous recevez ce résumé chaque semaine parce que vous pilotez ces fiches.",
              "Ne plus le recevoir : " + lien_desabonnement(d.user_id),
              "(ou depuis « Mon compte » : " + public_url("moncompte.index") + ")"]
    return subject, "\n".join(lines)


def envoyer(today: date | None = None, dry_run: bool = False, echo=print) -> int:
    """Send this week's digests (or, ``dry_run``, say who would get what); returns how many.
    Each sending is recorded at once: a run stopped half-way and run again goes on."""
    today = today or date.today()
    n = 0
    for d in list(digests(today)):  # read first: each sending then commits
        echo(f"{d.email} : {_pluriel(d.total, 'fiche')} dont {d.en_retard} en retard "
             f"({', '.join(c for c, _f in d.collectivites)})")
        n += 1
        if dry_run:
            continue
        subject, body = texte(d, today)
        try:
            send_mail(d.email, subject, body)
        except OSError as exc:  # SMTP refused or unreachable: the others still get theirs
            echo(f"Échec de l’envoi à {d.email} : {exc} (réessayé au prochain passage)")
            n -= 1
            continue
        # a plain UPDATE: the sending date is bookkeeping, not a change to audit
        db.session.execute(update(User).where(User.id == d.user_id)
                           .values(digest_envoye_le=today))
        db.session.commit()
    return n


def desabonner(user: User, desabonne: bool = True) -> None:
    """Opt out of (or back into) the digest; recorded in the audit log."""
    user.digest_desabonne = desabonne
    db.session.commit()
