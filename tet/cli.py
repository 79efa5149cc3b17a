"""Flask CLI commands: ``flask --app app seed --demo`` and friends."""
from __future__ import annotations

import click
from flask import Flask, current_app

from tet.config import DEMO_PASSWORD
from tet.formats import pluriel


def register_cli(app: Flask) -> None:
    _register_copy(app)
    _register_import(app)
    _register_export(app)
    _register_digest(app)

    @app.cli.command("seed")
    @click.option("--demo", is_flag=True, help="Comptes de démonstration (mot de passe tet-demo).")
    @click.option("--france", is_flag=True,
                  help="Toutes les communes, EPCI et EPT de France (référentiel officiel).")
    @click.option("--scale", type=click.IntRange(1, 100), default=None,
                  help="Données de charge synthétiques à N % de la taille nationale (1 à 100).")
    def seed(demo: bool, france: bool, scale: int | None) -> None:
        """Charge les données de référence (et, avec --demo, les comptes de démonstration)."""
        from seeds.demo import load_demo
        from seeds.demo_indicateurs import load_demo_indicateurs
        from seeds.demo_maturite import load_demo_maturite
        from seeds.maturite import load_shipped
        from tet.maturite.questionnaire import active_version as maturite_active
        from seeds.demo_plans import load_demo_plans
        from seeds.demo_historique import load_demo_historique
        from seeds.demo_projets import load_demo_projets
        from seeds.reference import load_reference
        from tet.comptes.audit import acting_as

        with acting_as(None, context="flask seed"):
            ref = load_reference()
            version = load_shipped()
        click.echo(f"Référentiels : {pluriel(ref['thematiques'], 'thématique')}, "
                   f"{pluriel(ref['actions'], 'action')} de référentiel, "
                   f"{pluriel(ref['indicateurs'], 'indicateur')} ajoutés.")
        active = maturite_active() if version else None
        click.echo(f"Questionnaire de maturité : version {active.numero} active." if active
                   else "Questionnaire de maturité : fichier absent, rien de chargé.")
        if france:
            with acting_as(None, context="flask seed --france"):
                _seed_france()
        if scale is not None:
            with acting_as(None, context="flask seed --scale"):
                _seed_scale(scale)
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
            load_demo_historique()
            for key, count in load_demo_maturite().items():
                created[key] += count
            projets = load_demo_projets()
        click.echo(
            "Démo prête : {opsn} OPSN, {collectivites} collectivités, {users} comptes, "
            "{plans} plans créés (mot de passe : tet-demo).".format(**created)
        )
        if projets:
            click.echo("Appel à projets de démonstration chargé (porteurs, comité, décisions).")

    @app.cli.command("create-support")
    @click.argument("email")
    @click.password_option()
    def create_support(email: str, password: str) -> None:
        """Crée (ou promeut) un compte du support national."""
        from tet.extensions import db
        from tet.comptes.models import User
        from tet.colonnes import utcnow
        from tet.comptes import services as accounts

        user = accounts.find_user(email) or User(email=email)
        user.is_support = True
        user.active = True
        user.email_verifie_le = user.email_verifie_le or utcnow()  # vouched for by the operator
        try:
            accounts.set_password(user, password)
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc))
        from tet.comptes.audit import acting_as

        with acting_as(None, context="flask create-support"):
            db.session.add(user)
            db.session.commit()
        click.echo(f"Compte support prêt : {user.email}")


def _seed_france() -> None:
    import time

    from seeds.france import load_france

    start = time.perf_counter()
    counts = load_france()
    click.echo(
        "Référentiel des collectivités : {lues} lues, {creees} créées, {mises_a_jour} mises à "
        "jour, {demo_ignorees} de démonstration laissées telles quelles ; liens EPCI ↔ "
        "communes : {liens_ajoutes} ajoutés, {liens_retires} retirés".format(**counts)
        + f" ({time.perf_counter() - start:.1f} s).")


def _seed_scale(n: int) -> None:
    """``seed --scale N``: synthetic national-scale activity (refused in production)."""
    import time

    from seeds import scale

    if not current_app.config["ALLOW_DEMO_SEED"]:
        raise click.ClickException("Refusé : la configuration de production n'accepte pas "
                                   "les données de charge synthétiques.")
    began = time.perf_counter()
    try:
        counts = scale.generate(n / 100, echo=click.echo)
    except scale.ScaleError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"Données de charge ({n} %) en {time.perf_counter() - began:.0f} s : "
               + ", ".join(f"{table} {count}" for table, count in sorted(counts.items())))


def _register_digest(app: Flask) -> None:
    @app.cli.command("digest")
    @click.option("--dry-run", is_flag=True, help="Affiche qui recevrait quoi, sans rien envoyer.")
    @click.option("--date", "jour", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="Date de référence (AAAA-MM-JJ ; par défaut aujourd'hui).")
    def digest(dry_run: bool, jour) -> None:
        """Envoie à chaque pilote le résumé hebdomadaire de ses fiches (une fois par semaine)."""
        from tet.accueil_digest import envoyer

        n = envoyer(jour.date() if jour else None, dry_run=dry_run, echo=click.echo)
        verbe = {(True, False): "recevrait", (True, True): "recevraient",
                 (False, False): "a reçu", (False, True): "ont reçu"}[dry_run, n > 1]
        click.echo(f"{n} pilote{'s' if n > 1 else ''} {verbe} le résumé." if n else
                   "Aucun résumé à envoyer cette semaine.")


def _register_copy(app: Flask) -> None:
    @app.cli.command("copy-collectivite")
    @click.argument("src_siren")
    @click.argument("dst_siren")
    @click.option("--dry-run", is_flag=True, help="Montre ce qui serait copié, sans rien écrire.")
    def copy_collectivite(src_siren: str, dst_siren: str, dry_run: bool) -> None:
        """Copie liens au référentiel, indicateurs personnalisés et valeurs de SRC vers DST."""
        from tet.plans import copie

        try:
            plan = (copie.preview(src_siren, dst_siren) if dry_run
                    else copie.apply(src_siren, dst_siren, None))
        except copie.CopieError as exc:
            raise click.ClickException(str(exc))
        verb = "serait copié" if dry_run else "a été copié"
        click.echo(f"{plan.source.nom} → {plan.cible.nom} : voici ce qui {verb}.")
        click.echo(f"  indicateurs personnalisés créés : {len(plan.indicateurs_crees)}"
                   + (f" ({', '.join(plan.indicateurs_crees)})" if plan.indicateurs_crees else ""))
        click.echo(f"  indicateurs personnalisés déjà présents : {len(plan.indicateurs_repris)}")
        click.echo(f"  valeurs ajoutées : {plan.valeurs_ajoutees}, remplacées : "
                   f"{plan.valeurs_remplacees}, identiques : {plan.valeurs_identiques}")
        click.echo(f"  liens au référentiel ajoutés : {len(plan.liens_referentiel)}")
        if dry_run:
            click.echo("Simulation : rien n'a été écrit.")


def _register_import(app: Flask) -> None:
    @app.cli.command("import-plans")
    @click.argument("fichier", type=click.Path(exists=True, dir_okay=False))
    @click.option("--collectivite", "siren", required=True, help="SIREN de la collectivité.")
    @click.option("--dry-run", is_flag=True, help="Vérifie et résume sans rien écrire.")
    def import_plans(fichier: str, siren: str, dry_run: bool) -> None:
        """Importe les plans d'un classeur : notre modèle (une feuille par plan) ou celui de
        Territoires en Transitions, reconnu à son en-tête."""
        import os

        from tet.extensions import db
        from tet.comptes.models import Collectivite
        from tet.plans import (
            import_lecture as plan_import,
            import_application as plan_import_apply,
        )
        from tet.classeur import Limites

        coll = db.session.scalar(db.select(Collectivite).where(Collectivite.siren == siren))
        if coll is None:
            raise click.ClickException(f"Aucune collectivité avec le SIREN {siren}.")
        try:
            lecture = plan_import.read(fichier, Limites.from_config(current_app.config),
                                       os.path.basename(fichier))
        except plan_import.ClasseurRefuse as exc:
            raise click.ClickException(str(exc))
        for p in lecture.problemes:
            click.echo(("ERREUR " if p.bloquant else "attention ") + str(p))
        if lecture.erreurs:
            raise click.ClickException(f"{pluriel(len(lecture.erreurs), 'erreur')} : "
                                       "rien n'a été importé.")
        vus = len(lecture.problemes)
        try:
            bilan = (plan_import_apply.simulate(lecture, coll) if dry_run else
                     plan_import_apply.apply(lecture, coll, None, os.path.basename(fichier)))
        except ValueError as exc:
            raise click.ClickException(f"Rien n'a été importé : {exc}")
        for p in lecture.problemes[vus:]:
            click.echo(("ERREUR " if p.bloquant else "attention ") + str(p))
        if lecture.erreurs:
            raise click.ClickException(f"{pluriel(len(lecture.erreurs), 'erreur')} : "
                                       "rien n'a été importé.")
        click.echo(f"Plans créés : {len(bilan.plans_crees)}, mis à jour : "
                   f"{len(bilan.plans_mis_a_jour)} ; fiches créées : {bilan.fiches_creees}, "
                   f"mises à jour : {bilan.fiches_mises_a_jour}.")
        if dry_run:
            click.echo("Simulation : rien n'a été écrit.")


def _register_export(app: Flask) -> None:
    @app.cli.command("export")
    @click.argument("name", type=click.Choice(["maturite", "fiches", "indicateurs"]))
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
    @click.option("--region")
    @click.option("--type", "type_")
    @click.option("--plan-type")
    @click.option("--lettre", type=click.Choice(list("ABCDE")))
    @click.option("--nominatif", is_flag=True, help="Noms et SIREN (anonymisé sinon).")
    def export(name, out, region, type_, plan_type, lettre, nominatif) -> None:
        """Extrait national pour les partenaires, inscrit au journal."""
        from tet import exports, xlsx

        filtres = exports.Filtres(region, type_, plan_type, lettre, nominatif)
        counted = {}
        xlsx.build_to_file(out, lambda wb: counted.setdefault(
            "n", exports.partenaires(wb, name, filtres)))
        exports.log_partner_export(name, filtres, None)
        click.echo(f"{pluriel(counted['n'], 'ligne écrite', 'lignes écrites')} dans {out} ({filtres.describe()}).")
