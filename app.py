"""Application factory: configuration, extensions, back-office, blueprints, CLI."""
from __future__ import annotations

import os

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True,
                template_folder="templates", static_folder="static")
    os.makedirs(app.instance_path, exist_ok=True)

    from tet.config import configure

    configure(app, test_config)

    from tet import cache_http, extensions, http_security
    from tet import recherche

    http_security.init_app(app)
    cache_http.init_app(app)

    extensions.db.init_app(app)
    extensions.migrate.init_app(app, extensions.db,
                                directory=os.path.join(app.root_path, "migrations"),
                                include_name=recherche.include_name)
    extensions.csrf.init_app(app)
    extensions.babel.init_app(app, locale_selector=lambda: "fr",
                              timezone_selector=lambda: "Europe/Paris")
    extensions.login_manager.init_app(app)

    from tet import registre  # noqa: F401  (every domain's policies)
    from tet.comptes import audit
    from tet.plans import agregats as plan_agregats
    from tet.plans import versions_fiche

    audit.register()
    versions_fiche.register()
    plan_agregats.register()

    from admin_views import init_admin

    init_admin(app)

    from admin_views.sante import bp as sante_bp

    app.register_blueprint(sante_bp)

    from tet.cli import register_cli

    register_cli(app)
    return app
