"""Settings read from environment variables: development, test and production."""
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from tet.secret_key import weakness

DEMO_PASSWORD = "tet-demo"
DEV_SECRET_FILE = "secret_key"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "oui", "on"}


def _int(name: str) -> int:
    value = os.environ[name].strip()
    try:
        return int(value)
    except ValueError:
        raise RuntimeError(f"{name} doit être un nombre entier (reçu : {value!r}).") from None


def _dev_secret(instance_path: str) -> str:
    """A random key kept in instance/ (git-ignored) so sessions survive restarts."""
    path = Path(instance_path) / DEV_SECRET_FILE
    if path.exists():
        if path.stat().st_mode & 0o077:  # readable by others: owner only
            path.chmod(0o600)
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


class BaseConfig:
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PASSWORD_HASH_METHOD = "scrypt"
    PASSWORD_MIN_LENGTH = 10
    RESET_TOKEN_MAX_AGE = 3600  # seconds
    SIGNUP_TOKEN_MAX_AGE = 48 * 3600  # seconds: sign-up and join links
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    # per address: failures allowed freely in the window, then a doubling wait (seconds)
    LOGIN_ADDRESS_FREE_FAILURES = 10
    LOGIN_ADDRESS_MAX_DELAY = 30
    PROXY_COUNT = 0  # reverse proxies in front of the app (ProxyFix), 0 = none
    TRUSTED_HOSTS = None  # production: PUBLIC_URL's host (+ TET_TRUSTED_HOSTS)
    HSTS = False
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "TeT back-office <ne-pas-repondre@tet.local>"
    ALLOW_DEMO_SEED = True
    PUBLIC_URL = "http://127.0.0.1:5000"  # base of every link sent by e-mail
    ADMIN_PAGE_SIZE = 50
    DOCUMENTS_FOLDER = None  # default: instance/documents
    DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    IMPORT_MAX_BYTES = 10 * 1024 * 1024  # the workbook as uploaded
    IMPORT_MAX_UNCOMPRESSED = 30 * 1024 * 1024  # all its parts once decompressed
    IMPORT_MAX_PARTS = 500  # parts in the archive
    IMPORT_MAX_RATIO = 100  # compression ratio of a part above 1 Mo
    IMPORT_MAX_SHEETS = 50
    IMPORT_MAX_ROWS = 10_000  # per sheet
    IMPORT_MAX_TOTAL_ROWS = 10_000  # the whole workbook: keeps an import well within 30 s
    IMPORT_MAX_COLUMNS = 200
    IMPORT_MAX_CELL_CHARS = 32_767
    IMPORT_PREVIEW_TTL = 3600  # seconds an unconfirmed import preview is kept
    IMPORT_PREVIEW_MAX_PER_USER = 5  # pending previews per user (the oldest go first)
    BENCHMARK_MIN_GROUPE = 5  # other collectivités with an official index, to publish a group


def from_environment(config: dict) -> None:
    """Overlay the settings given as environment variables."""
    if os.environ.get("DATABASE_URL"):
        config["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(os.environ["DATABASE_URL"])
    if os.environ.get("SECRET_KEY"):
        config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    for key in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER", "PUBLIC_URL"):
        if os.environ.get(key):
            config[key] = os.environ[key]
    if os.environ.get("DOCUMENTS_FOLDER"):
        config["DOCUMENTS_FOLDER"] = os.environ["DOCUMENTS_FOLDER"]
    if os.environ.get("BENCHMARK_MIN_GROUPE"):
        config["BENCHMARK_MIN_GROUPE"] = _int("BENCHMARK_MIN_GROUPE")
    if os.environ.get("MAIL_PORT"):
        config["MAIL_PORT"] = _int("MAIL_PORT")
    if os.environ.get("MAIL_USE_TLS"):
        config["MAIL_USE_TLS"] = _bool("MAIL_USE_TLS")
    if os.environ.get("TET_PROXY_COUNT"):
        config["PROXY_COUNT"] = _int("TET_PROXY_COUNT")


def normalise_db_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` URLs use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def configure(app, test_config: dict | None) -> None:
    """Fill ``app.config`` for the environment named by ``TET_ENV``."""
    app.config.from_object(BaseConfig)
    env = (test_config or {}).get("TET_ENV") or os.environ.get("TET_ENV", "development")
    app.config["TET_ENV"] = env
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "tet.sqlite3"
    )
    if env == "production":
        app.config.update(
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
            PREFERRED_URL_SCHEME="https",
            ALLOW_DEMO_SEED=False,
            PUBLIC_URL=None,
            HSTS=True,
        )
    from_environment(app.config)
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        if env == "production":
            raise RuntimeError(
                "SECRET_KEY manquante : la configuration de production refuse de démarrer "
                "sans clé secrète propre (variable d'environnement SECRET_KEY)."
            )
        app.config["SECRET_KEY"] = _dev_secret(app.instance_path)
    if env == "production":
        check_production(app.config)


def check_production(config) -> None:
    """Refuse to start with a guessable key or without an https ``PUBLIC_URL``; pin the
    hosts the app answers to (a forged Host header gets a 400)."""
    problem = weakness(config.get("SECRET_KEY") or "")
    if problem:
        raise RuntimeError(
            f"SECRET_KEY trop faible ({problem}) : la configuration de production refuse "
            "de démarrer. Générez-en une, par exemple : "
            "python -c 'import secrets; print(secrets.token_hex(32))'."
        )
    public = urlsplit(config.get("PUBLIC_URL") or "")
    if public.scheme != "https" or not public.hostname:
        raise RuntimeError(
            "PUBLIC_URL manquante ou pas en https : la configuration de production refuse de "
            "démarrer (ex. PUBLIC_URL=https://tet.exemple.fr ; elle sert aux liens des "
            "e-mails)."
        )
    if config.get("TRUSTED_HOSTS") is None:
        extra = os.environ.get("TET_TRUSTED_HOSTS", "")
        config["TRUSTED_HOSTS"] = [public.hostname] + [
            h.strip() for h in extra.split(",") if h.strip()
        ]
