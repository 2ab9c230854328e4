"""House rules that code review alone would let slip."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_core_never_imports_qt() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "clinic_app").rglob("*.py")
        if "ui" not in path.relative_to(ROOT / "clinic_app").parts[:1]
        and any(name.split(".")[0] in {"PySide6", "shiboken6"} for name in _imports(path))
    ]
    assert offenders == []


def test_central_does_not_depend_on_the_desktop_window() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "central").rglob("*.py")
        if any(name.startswith(("PySide6", "clinic_app.ui")) for name in _imports(path))
    ]
    assert offenders == []
