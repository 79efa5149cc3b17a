"""The conflict page of a stale save (one template, ``admin/conflit.html``) and the glue that
puts optimistic locking on an edit: a plain helper for custom views, a mixin for
Flask-Admin's edit view."""
from __future__ import annotations

from flask import g, make_response, request
from flask_admin import expose
from sqlalchemy.orm.exc import StaleDataError

from forms.verrou import BASE, VERSION, VerrouMixin, instantane, libelles, poser
from tet.extensions import db
from tet.verrous import (
    LIBRE,
    Perime,
    attribuer,
    champs_touches,
    comparer,
    ecraserait,
    historique,
    lire_base,
    signer,
    verifier,
)

AUTRE, CHOIX = "verrou_autre", "verrou_choix-"


def garder_l_autre(formdata) -> set[str]:
    """Fields whose other person's value the merge keeps (the submitted ones are ignored)."""
    keep = set(formdata.getlist(AUTRE))
    keep |= {k[len(CHOIX):] for k, v in formdata.items() if k.startswith(CHOIX) and v == "autre"}
    return keep


def enregistrer(sauver, version, conflit):
    """``sauver(version)`` checks the version, applies and commits. When the row changed
    meanwhile, ``conflit()`` returns the conflict page — or None when the other person's
    changes do not touch what is submitted: then the save goes on over the current version.
    (A concurrent flush — ``StaleDataError``, autoflush included — is the same case.)"""
    try:
        return sauver(version)
    except (Perime, StaleDataError):
        db.session.rollback()
        page = conflit()
        if page is not None:
            return page
        return sauver(LIBRE)


def page_conflit(view, *, objet: str, champs, entrees, versions: dict[str, int], base: str,
                 annuler: str, libelles: dict | None = None, attributs: dict | None = None):
    """The refusal (409): what the other person changed, and three ways on: keep mine
    (the submitted values re-posted with the current versions), take theirs, merge."""
    ignored = {"csrf_token", BASE, AUTRE, *versions}
    mine = [(k, v) for k, v in request.form.items(multi=True)
            if k not in ignored and not k.startswith(CHOIX)]
    return make_response(view.render(
        "admin/conflit.html", objet=objet, champs=champs, mine=mine,
        entrees=[(e, champs_touches(e, libelles or {}, attributs)) for e in entrees],
        versions=versions, base=base, base_name=BASE, autre_name=AUTRE, choix_prefix=CHOIX,
        annuler=annuler, action=request.full_path.rstrip("?")), 409)


def conflit(view, *, objet: str, libelles: dict, autre: dict, mien: dict, objets: list,
            versions: dict[str, int], annuler: str, attributs: dict | None = None,
            lignes: dict | None = None, force: bool = False):
    """The conflict page of a stale save — None when nothing of the other person's would be
    undone (unless ``force``). ``autre`` / ``mien``: {field: ``fige(...)``} of the current
    rows and of the submission; ``objets``: the rows, (type, id), for who changed them."""
    base, depuis = lire_base(request.form.get(BASE))
    champs = comparer(libelles, base, autre, mien)
    if not force and not ecraserait(champs):
        return None
    entrees = historique(objets, depuis)
    attribuer(champs, entrees, attributs, lignes)
    return page_conflit(view, objet=objet, champs=champs, entrees=entrees, versions=versions,
                        base=signer(autre), annuler=annuler, libelles=libelles,
                        attributs=attributs)


def conflit_formulaire(view, form, autre_form, obj, *, objet: str, annuler: str,
                       attributs: dict | None = None, force: bool = False):
    """The conflict page of a WTForms edit form (``autre_form``: the same form on the row)."""
    return conflit(view, objet=objet, libelles=libelles(form), autre=instantane(autre_form),
                   mien=instantane(form), objets=[(type(obj).__name__, obj.id)],
                   versions={VERSION: obj.version}, annuler=annuler, attributs=attributs,
                   force=force)


def _rien(*_args, **_kwargs):
    return None


class VerrouModelView:
    """Optimistic locking on a Flask-Admin edit view (put it before the model view base)."""

    verrou_attributs: dict = {}

    def get_edit_form(self):
        form_class = super().get_edit_form()
        return type(f"{form_class.__name__}Verrou", (VerrouMixin, form_class), {})

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if obj is not None and request.method == "GET":
            poser(form, obj)
        return form

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        g.verrou_page = None
        response = super().edit_view()
        return g.pop("verrou_page", None) or response

    def update_model(self, form, model):
        for name in garder_l_autre(request.form):
            if name in form:
                form[name].populate_obj = _rien
        try:
            verifier(model, form[VERSION].data)
        except Perime:
            g.verrou_page = self._verrou_conflit(form, model)
            if g.verrou_page is not None:
                return False
        ok = super().update_model(form, model)
        if not ok and g.pop("verrou_stale", False):
            g.verrou_page = self._verrou_conflit(form, model, force=True)
        return ok

    def handle_view_exception(self, exc):
        if isinstance(exc, StaleDataError):  # a concurrent flush: answered by the page
            g.verrou_stale = True
            return True
        return super().handle_view_exception(exc)

    def _verrou_conflit(self, form, model, force=False):
        db.session.rollback()
        return conflit_formulaire(
            self, form, self._edit_form_class(None, obj=model), model, objet=str(model),
            annuler=self.get_save_return_url(model, is_created=False), attributs=self.verrou_attributs,
            force=force)
