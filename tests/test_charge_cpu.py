"""The load run's server profile: the gunicorn hooks write each request's CPU time, the
report groups them by route, heaviest first."""
from __future__ import annotations

import importlib.util
import os
from types import SimpleNamespace

from bench import charge_cpu

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _config(monkeypatch, prefix: str):
    monkeypatch.setenv("CHARGE_CPU_LOG", prefix)
    spec = importlib.util.spec_from_file_location(
        "gunicorn_charge", os.path.join(ROOT, "bench", "gunicorn_charge.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_hooks_log_each_request_cpu_and_keep_the_project_settings(tmp_path, monkeypatch):
    conf = _config(monkeypatch, str(tmp_path / "cpu"))
    assert conf.wsgi_app == "wsgi:app" and conf.threads >= 1  # gunicorn.conf.py's settings

    def request(path):
        req = SimpleNamespace(method="GET", path=path)
        conf.pre_request(None, req)
        sum(i * i for i in range(20_000))  # some CPU
        conf.post_request(None, req, {}, SimpleNamespace(status="200 OK"))

    request("/connexion")
    charge_cpu.reset(str(tmp_path / "cpu"))  # the sign-ins are forgotten
    for path in ("/admin/plan/12/arbre", "/admin/plan/7/arbre", "/admin/fiche/3"):
        request(path)
    for fh in conf._files.values():
        fh.close()
    cpu = charge_cpu.read(str(tmp_path / "cpu"))
    assert sorted(cpu) == ["GET /admin/fiche/N", "GET /admin/plan/N/arbre"]
    assert len(cpu["GET /admin/plan/N/arbre"]) == 2 and all(
        s > 0 for s in cpu["GET /admin/plan/N/arbre"])


def test_table_puts_the_heaviest_route_first():
    table = charge_cpu.table({"GET /admin/": [0.01] * 10, "GET /admin/plan/N/arbre": [0.5, 1.5]},
                             elapsed=10.0)
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows[0] == "| `GET /admin/plan/N/arbre` | 2 | 2.0 | 95% | 1000 | 1500 |"
    assert "0.21 cœur" in table
    assert "non mesuré" in charge_cpu.table({}, elapsed=10.0)
