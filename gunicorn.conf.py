"""Gunicorn settings, read from the environment (``gunicorn wsgi:app`` loads this file
from the working directory; ``-c gunicorn.conf.py`` names it explicitly).

    GUNICORN_BIND      address to listen on           (default 127.0.0.1:8000, behind a proxy)
    GUNICORN_WORKERS   worker processes               (default 2 × CPU + 1, at most 8)
    GUNICORN_THREADS   threads per worker             (default 4: the gthread worker, whose
                       heartbeat does not wait for a request, so a long export is not
                       killed at GUNICORN_TIMEOUT and short pages are served beside it)
    GUNICORN_TIMEOUT   seconds before a silent worker is killed and restarted (default 60)
    GUNICORN_ACCESSLOG access log file, "-" = stdout (journald), "" = none (default "-")
"""
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name} doit être un nombre entier (reçu : {value!r}).")


wsgi_app = "wsgi:app"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # a worker is replaced now and then (memory of big exports returned)
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
# client address (the proxy's X-Forwarded-For), request line without query string, status,
# bytes, duration in ms, user agent. Paths of e-mailed links carry one-use tokens: keep
# this log as private as the database.
access_log_format = '%({x-forwarded-for}i)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
