"""The simulated users of the load run (``bench/charge.py``): an HTTP session over
``http.client`` (cookies, CSRF token read from the form), and the four behaviours —
reader, editor, importer, exporter. Every request is recorded as (kind, seconds, status);
status 0 is a connection error or a timeout."""
from __future__ import annotations

import http.client
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tet.config import DEMO_PASSWORD

TIMEOUT = 120  # seconds per request
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
SEARCHES = ("énergie", "mobilité", "eau potable", "vélo", "école", "biodiversité")


@dataclass
class Journal:
    """What every client did (thread-safe appends)."""

    records: list[tuple[str, float, int]] = field(default_factory=list)
    written: dict[int, str] = field(default_factory=dict)  # fiche id → last value saved
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.records.append((kind, seconds, status))


class Session:
    """One signed-in person: a keep-alive connection (reopened when gunicorn closes it) and
    the session cookie."""

    def __init__(self, port: int, host: str, journal: Journal):
        self.port, self.host, self.journal = port, host, journal
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def request(self, kind: str, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None, record: bool = True):
        headers = {"Host": self.host, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        began = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except STALE if attempt == 1 else ():
                # a kept-alive connection the server closed while idle: reopen once, as a
                # browser does (counted as an error if the fresh connection fails too)
                self.conn.close()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                if record:
                    self.journal.add(kind, time.perf_counter() - began, 0)
                return 0, b""
        if record:
            self.journal.add(kind, time.perf_counter() - began, response.status)
        for value in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.conn.close()
        return response.status, data

    def get(self, kind: str, path: str, record: bool = True):
        return self.request(kind, "GET", path, record=record)

    def post(self, kind: str, path: str, fields: list[tuple[str, str]], record: bool = True):
        return self.request(kind, "POST", path, urlencode(fields).encode(),
                            "application/x-www-form-urlencoded", record=record)

    def login(self, email: str) -> None:
        _status, page = self.get("connexion", "/connexion", record=False)
        token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)
        status, _ = self.post("connexion", "/connexion", [
            ("csrf_token", token.group(1).decode() if token else ""), ("email", email),
            ("password", DEMO_PASSWORD)])
        if status != 302:
            raise SystemExit(f"connexion refusée pour {email} (HTTP {status})")


class FormFields(HTMLParser):
    """The fields a browser would post from each POST form of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.fields = []
            self.forms.append(self.fields)
        if self.fields is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("y" if kind == "checkbox" else "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select and self.fields is not None:
            name, multiple = self._select
            chosen = [v for v, s in self._options if s]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields += [(name, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.fields is not None:
            text = "".join(self._text)  # a browser drops the newline after <textarea>
            text = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.fields.append((self._textarea, text))
            self._textarea = None
        elif tag == "form":
            self.fields = None


def form_fields(page: bytes, having: str) -> list[tuple[str, str]]:
    """The fields of the page's first POST form that has a field named ``having``."""
    parser = FormFields()
    parser.feed(page.decode("utf-8", "replace"))
    return next((f for f in parser.forms if any(n == having for n, _ in f)), [])


@dataclass
class Plan:
    """What the run talks about (ids found in the database before it starts)."""

    plan: int
    fiches: list[int]
    last_page: int
    own: dict[int, int]  # editor number → its own fiche
    shared: int
    stop: float = 0.0


def reader(s: Session, k: Plan, rng: random.Random) -> None:
    pages = [
        ("accueil", "/admin/"),
        ("arbre du plan", f"/admin/plan/{k.plan}/arbre"),
        ("tableau de bord du plan", f"/admin/plan/{k.plan}/tableau-de-bord"),
        ("liste des fiches", f"/admin/fiche/?page={rng.randint(0, k.last_page)}"),
        ("page fiche", f"/admin/fiche/{rng.choice(k.fiches)}"),
        ("inspiration", "/admin/inspiration/?" + urlencode({"q": rng.choice(SEARCHES)})),
        ("maturité", "/admin/maturite/"),
    ]
    kind, path = rng.choice(pages)
    s.get(kind, path)


def editor(s: Session, k: Plan, rng: random.Random, number: int, journal: Journal) -> None:
    """Open a fiche's form, change its description, post it with its version and CSRF
    token. One edit in five goes to the fiche every editor shares (409: expected)."""
    fiche = k.shared if rng.random() < 0.2 else k.own[number]
    status, page = s.get("formulaire de fiche", f"/admin/fiche/edit/?id={fiche}")
    if status != 200:
        return
    value = f"charge {number} {uuid.uuid4().hex}"
    fields = [(n, value if n == "description" else v)
              for n, v in form_fields(page, "description")]
    status, _ = s.post("enregistrement de fiche", f"/admin/fiche/edit/?id={fiche}", fields)
    if status == 200:  # the form came back with an error: nothing was saved
        journal.add("enregistrement refusé (formulaire)", 0.0, 422)
    if status == 302 and fiche != k.shared:
        with journal.lock:
            journal.written[fiche] = value


def multipart(path: str, name: str, fields: list[tuple[str, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{n}"\r\n\r\n{v}\r\n'
             .encode() for n, v in fields]
    with open(path, "rb") as fh:
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                      f'filename="charge.xlsx"\r\nContent-Type: application/vnd.openxmlformats-'
                      f'officedocument.spreadsheetml.sheet\r\n\r\n').encode() + fh.read()
                     + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def importer(s: Session, workbook: str) -> None:
    _status, page = s.get("import : formulaire", "/admin/import-plans/")
    token = dict(form_fields(page, "csrf_token")).get("csrf_token", "")
    body, kind = multipart(workbook, "fichier", [("csrf_token", token)])
    status, page = s.request("import : aperçu", "POST", "/admin/import-plans/", body, kind)
    apercu = re.search(rb'name="token"[^>]*value="([^"]+)"', page)
    if status == 200 and apercu:
        s.post("import : confirmation", "/admin/import-plans/confirmer",
               [("csrf_token", token), ("token", apercu.group(1).decode())])


def exporter(s: Session, k: Plan) -> None:
    s.get("export du plan", f"/admin/plan/{k.plan}/export.xlsx")
