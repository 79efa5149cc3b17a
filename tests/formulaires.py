"""Read the forms of a rendered page as a browser would submit them (for two-session tests)."""
from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """The links and the forms (action, method, id, fields as submitted) of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {"action": a.get("action") or "", "id": a.get("id"),
                          "method": (a.get("method") or "get").lower(), "fields": []}
            self.forms.append(self._form)
            return
        form = self._form
        if a.get("form"):  # a button tied to a form by id
            return
        if form is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self._form["fields"].append((self._textarea[0], value[1:] if value.startswith(
                "\n") else value))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            s = self._select
            chosen = [v for v, selected in s["options"] if selected]
            if not chosen and not s["multiple"] and s["options"]:
                chosen = [s["options"][0][0]]
            self._form["fields"] += [(s["name"], v) for v in chosen]
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = Page()
    parser.feed(html)
    return parser.forms


def form_fields(html: str, predicate=lambda form: True) -> list[tuple[str, str]]:
    """The (name, value) pairs of the first form of the page matching ``predicate``."""
    return next(f for f in forms_of(html) if predicate(f))["fields"]


def replace(fields: list[tuple[str, str]], **values) -> list[tuple[str, str]]:
    """Set single-valued fields (other pairs kept)."""
    kept = [(k, v) for k, v in fields if k not in values]
    return kept + list(values.items())


def conflict_forms(html: str) -> tuple[list, list]:
    """(the merge form's pairs, the « garder mes modifications » form's pairs)."""
    forms = forms_of(html)
    merge = next(f for f in forms if f["id"] == "verrou-fusion")
    keep = next(f for f in forms if f is not merge and any(
        k == "verrou_base" for k, _v in f["fields"]))
    return merge["fields"], keep["fields"]


def with_version(app, model, oid, data: dict) -> dict:
    """``data`` plus the row's current version, as the edit form would carry it."""
    from tet.extensions import db

    with app.app_context():
        return {**data, "version": db.session.get(model, oid).version}
