"""A real gunicorn for the deployment test and the load run: ``flask db upgrade``, then
``gunicorn -c gunicorn.conf.py`` on a free port of 127.0.0.1, ready once ``/sante``
answers 200; always stopped in bounded time (SIGTERM to its process group, then SIGKILL)."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sante(port: int, host: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/sante", headers={"Host": host})
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


def start(env: dict, log_path: str, host: str, wait: float = 120,
          config: str = "gunicorn.conf.py") -> subprocess.Popen:
    """Upgrade the schema of ``env["DATABASE_URL"]``, start gunicorn with ``config``
    (relative to the project), wait for /sante."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=1800)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", config],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn s'est arrêté :\n" + open(log_path).read()[-3000:])
        if _sante(port, host) == 200:
            return proc
        time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"gunicorn ne répond pas en {wait:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
