"""Flask CLI commands: ``flask --app app seed --demo`` and friends."""
from __future__ import annotations

import click
from flask import Flask, current_app

from tet.config import DEMO_PASSWORD


def register_cli(app: Flask) -> None:
    @app.cli.command("seed")
    @click.option("--demo", is_flag=True, help="Comptes de démonstration (mot de passe tet-demo).")
    def seed(demo: bool) -> None:
        """Charge les données de référence (et, avec --demo, les comptes de démonstration)."""
        from seeds.demo import load_demo
        from seeds.demo_indicateurs import load_demo_indicateurs
        from seeds.demo_plans import load_demo_plans
        from seeds.reference import load_reference
        from tet.services.audit import acting_as

        with acting_as(None, context="flask seed"):
            ref = load_reference()
        click.echo("Référentiels : {thematiques} thématique(s), {actions} action(s) de "
                   "référentiel, {indicateurs} indicateur(s) ajoutés.".format(**ref))
        if not demo:
            return
        if not current_app.config["ALLOW_DEMO_SEED"]:
            raise click.ClickException(
                "Refusé : la configuration de production n'accepte pas les comptes de "
                f"démonstration (mot de passe « {DEMO_PASSWORD} »)."
            )
        with acting_as(None, context="flask seed --demo"):
            created = load_demo()
            created.update(load_demo_plans())
            load_demo_indicateurs()
        click.echo(
            "Démo prête : {opsn} OPSN, {collectivites} collectivités, {users} comptes, "
            "{plans} plans créés (mot de passe : tet-demo).".format(**created)
        )

    @app.cli.command("create-support")
    @click.argument("email")
    @click.password_option()
    def create_support(email: str, password: str) -> None:
        """Crée (ou promeut) un compte du support national."""
        from tet.extensions import db
        from tet.models import User
        from tet.services import accounts

        user = accounts.find_user(email) or User(email=email)
        user.is_support = True
        user.active = True
        try:
            accounts.set_password(user, password)
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc))
        db.session.add(user)
        db.session.commit()
        click.echo(f"Compte support prêt : {user.email}")
