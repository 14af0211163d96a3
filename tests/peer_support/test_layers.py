"""The peer-support app's place among the modules: no import cycle through it, matching keeps no
coordinator workflow, and suggestions rank through the one engine (matching.services.match_rank)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from peer_support import selectors
from peer_support import services as peer_services

ROOT = Path(__file__).resolve().parents[2]
APPS = ("marketplace", "profiles", "matching", "peer_support", "messaging", "payments", "ratings", "notifications")


def _graph() -> dict[str, set[str]]:
    modules = {}
    for app in APPS:
        for file in (ROOT / app).rglob("*.py"):
            if "migrations" in file.parts:
                continue
            parts = list(file.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = file

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, file in modules.items():
        package = name if file.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(file.read_text())):  # function-level imports count too
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
                prefix = ".".join([*base, node.module]) if node.module else ".".join(base)
                if not node.level:
                    prefix = node.module
                targets = [prefix, *(f"{prefix}.{a.name}" for a in node.names)]
            else:
                continue
            found |= {t for t in map(resolve, targets) if t and t != name}
        graph[name] = found
    return graph


def _reaches(graph, start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def test_no_import_cycle_runs_through_a_peer_support_module():
    graph = _graph()
    in_cycle = [m for m in graph if m.startswith("peer_support") and _reaches(graph, m, m)]
    assert in_cycle == []


def test_matching_holds_no_coordinator_workflow():
    assert not list((ROOT / "matching").glob("coordinator_*.py"))
    assert not (ROOT / "marketplace" / "templates" / "matching" / "coordinator").exists()
    graph = _graph()
    assert not [m for m in graph if m.startswith("matching") and any(t.startswith("peer_support") for t in graph[m])]


def test_suggestions_are_ranked_by_the_one_engine(referral, coordinator, pat, monkeypatch):
    calls = []
    real = selectors.engine.match_rank

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(selectors.engine, "match_rank", spy)
    found = selectors.referral_suggestions(referral=referral, viewer=coordinator)
    assert calls and [s.profile for s in found.shown] == [pat]
    assert peer_services.engine is selectors.engine


def test_peer_support_asks_messaging_through_the_port_and_an_unanswered_port_fails_loudly(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from messaging import introductions
    from profiles import ports

    assert "messaging" not in {name.split(".")[0] for name in _graph()["peer_support.services"]}
    assert ports._introductions_leave is introductions.introductions_leave  # messaging answered in ready()
    monkeypatch.setattr(ports, "_introductions_leave", None)
    with pytest.raises(ImproperlyConfigured, match="introductions_leave"):
        ports.introductions_leave(1, 2)
