"""Where the shipped data files are: icons, fonts, code lists, translations."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """A file under ``resources/``: inside the installed package, or the source tree."""
    for base in (_PACKAGE / "_resources", _PACKAGE.parent / "resources"):
        candidate = base.joinpath(*parts)
        if candidate.exists():
            return candidate
    return (_PACKAGE.parent / "resources").joinpath(*parts)
