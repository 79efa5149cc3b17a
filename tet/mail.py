"""Outgoing e-mail: SMTP when ``MAIL_SERVER`` is set, otherwise written to the log."""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("tet.mail")


def send_mail(to: str | list[str], subject: str, body: str) -> None:
    recipients = [to] if isinstance(to, str) else list(to)
    if not recipients:
        return
    cfg = current_app.config
    outbox = current_app.extensions.get("tet_outbox")
    if outbox is not None:  # tests
        outbox.append({"to": recipients, "subject": subject, "body": body})
    if not cfg.get("MAIL_SERVER"):
        log.warning("E-mail non envoyé (MAIL_SERVER absent) à %s : %s\n%s",
                    ", ".join(recipients), subject, body)
        return
    msg = EmailMessage()
    msg["From"] = cfg["MAIL_SENDER"]
    msg["To"] = ", ".join(recipients)
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        smtp.send_message(msg)
