"""Gunicorn settings of the load run: the project's own (``gunicorn.conf.py``), plus the CPU
time of each request in the worker, appended to ``$CHARGE_CPU_LOG.<pid>`` as « method path
status seconds ». The gthread worker serves a request on one thread from ``pre_request`` to
``post_request`` (the body of a streamed export included), so ``time.thread_time`` there is
the request's own Python CPU, not its neighbours'. Read by ``bench/charge.py``."""
import os
import runpy
import threading
import time

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
globals().update({k: v for k, v in runpy.run_path(os.path.join(_ROOT, "gunicorn.conf.py"))
                  .items() if not k.startswith("_")})
_LOG = os.environ.get("CHARGE_CPU_LOG", "")
_lock = threading.Lock()
_files: dict[int, object] = {}


def pre_request(_worker, req):
    req.charge_cpu = time.thread_time()


def post_request(_worker, req, _environ, resp):
    began = getattr(req, "charge_cpu", None)
    if not _LOG or began is None:
        return
    line = f"{req.method} {req.path} {str(resp.status).split()[0]} " \
           f"{time.thread_time() - began:.4f}\n"
    with _lock:
        fh = _files.get(os.getpid())
        if fh is None:
            fh = _files[os.getpid()] = open(f"{_LOG}.{os.getpid()}", "a", buffering=1)  # noqa: SIM115
        fh.write(line)
