"""Translation for the window: one place renders core messages and compiles catalogues.

The core carries English templates as :class:`clinic_app.i18n.Message` values
marked with ``QT_TRANSLATE_NOOP(context, text)``. The window translates the
template with ``QCoreApplication.translate(context, template)`` and only then
fills in the parameters, so a translator sees ``{label}`` and never a patient's
value.

Run ``python -m clinic_app.ui.i18n update`` after adding strings (it re-runs
``pyside6-lupdate`` over ``clinic_app/``, keeping existing translations), then
translate the new entries in ``resources/translations/clinic_app_fr.ts`` and run
``python -m clinic_app.ui.i18n compile`` (the build does this; the window also
compiles a missing ``.qm`` on the fly when ``lrelease`` is at hand).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from clinic_app.errors import ClinicError
from clinic_app.i18n import Message
from clinic_app.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
TRANSLATED = ("fr",)  # English is the source language: no catalogue
DEFAULT_LANGUAGE = "fr"
CATALOGUE = "clinic_app"
_SOURCE_ROOT = Path(__file__).resolve().parents[1]  # clinic_app/

# Parameter names whose value is itself a marked string of another context:
# the vital-sign label inside "Body temperature: 377 Cel is impossible".
_PARAM_CONTEXTS = {"label": "vitals", "action": "actions"}
# Numbers the core hands over as text (45.5): written the language's way (45,5).
_NUMBER_PARAMS = frozenset({"value", "low", "high"})
_DECIMAL = re.compile(r"-?\d+\.\d+")

# UCUM codes are exact for machines; people read the usual symbols.
UNIT_SYMBOLS = {
    "mm[Hg]": "mmHg",
    "Cel": "°C",
    "/min": "/min",
    "%": "%",
    "kg": "kg",
    "cm": "cm",
    "kg/m2": "kg/m²",
}


def translations_dir() -> Path:
    return resource_path("translations")


def ts_path(language: str) -> Path:
    return translations_dir() / f"{CATALOGUE}_{language}.ts"


def unit_symbol(ucum: str) -> str:
    return UNIT_SYMBOLS.get(ucum, ucum)


def tr_message(
    message: Message, translate: Callable[[str, str], str] = QCoreApplication.translate
) -> str:
    """The message in the installed language, its parameters filled in."""
    params: dict[str, Any] = {}
    for name, value in message.params.items():
        if isinstance(value, Message):
            value = tr_message(value, translate)
        elif isinstance(value, str) and name in _PARAM_CONTEXTS:
            value = translate(_PARAM_CONTEXTS[name], value)
        elif isinstance(value, str) and name == "unit":
            value = unit_symbol(value)
        elif isinstance(value, float) or (
            name in _NUMBER_PARAMS and _DECIMAL.fullmatch(str(value))
        ):
            value = QLocale().toString(float(value), "g", 6)  # 45,5 in French
        params[name] = value
    translated = translate(message.context, message.template)
    return Message(message.template, params, message.context).render(translated)


def tr_error(error: ClinicError) -> str:
    return tr_message(error.message)


def console_text(message: Message, language: str) -> str:
    """``message`` in ``language`` for a command's line.

    Read straight from the catalogue: no application object is made and no
    locale set, so nothing of it outlives the message (a later window, or test,
    makes its own ``QApplication``).
    """
    qm = _qm_file(language) if language in LANGUAGES and language != "en" else None
    catalogue = QTranslator()
    if qm is None or not catalogue.load(str(qm)):
        return message.render()

    def translate(context: str, text: str) -> str:
        return catalogue.translate(context, text) or text

    return tr_message(message, translate)


# --- catalogues ------------------------------------------------------------------


def _tool(name: str) -> str | None:
    """``lrelease`` / ``lupdate`` from PySide6 (the wheel ships them) or the PATH."""
    try:
        import PySide6

        bundled = Path(PySide6.__file__).parent
        for candidate in (bundled / name, bundled / f"{name}.exe"):
            if candidate.is_file():
                return str(candidate)
    except ImportError:  # pragma: no cover - PySide6 is a dependency of the window
        pass
    for command in (f"pyside6-{name}", name):
        found = shutil.which(command)
        if found:
            return found
    return None


def compile_translations(languages: tuple[str, ...] = TRANSLATED) -> list[Path]:
    """Write ``clinic_app_<lang>.qm`` next to each ``.ts``; return the files written."""
    lrelease = _tool("lrelease")
    if lrelease is None:
        raise RuntimeError("lrelease was not found (it comes with PySide6)")
    written = []
    for language in languages:
        source = ts_path(language)
        if not source.is_file():
            continue
        target = source.with_suffix(".qm")
        subprocess.run([lrelease, "-silent", str(source), "-qm", str(target)], check=True)
        written.append(target)
    return written


def update_translations(languages: tuple[str, ...] = TRANSLATED) -> None:
    """Re-extract every marked string of ``clinic_app/`` into the ``.ts`` files."""
    lupdate = _tool("lupdate")
    if lupdate is None:
        raise RuntimeError("lupdate was not found (it comes with PySide6)")
    translations_dir().mkdir(parents=True, exist_ok=True)
    for language in languages:
        subprocess.run(
            [
                lupdate,
                "-silent",
                "-extensions",
                "py",
                "-locations",
                "relative",
                "-target-language",
                language,
                str(_SOURCE_ROOT),
                "-ts",
                str(ts_path(language)),
            ],
            check=True,
        )


def _qm_file(language: str) -> Path | None:
    """The compiled catalogue, compiled now if only the ``.ts`` is there."""
    compiled = ts_path(language).with_suffix(".qm")
    source = ts_path(language)
    stale = (
        compiled.is_file()
        and source.is_file()
        and (source.stat().st_mtime > compiled.stat().st_mtime)
    )
    if (not compiled.is_file() or stale) and source.is_file():
        try:
            compile_translations((language,))
        except (OSError, RuntimeError, subprocess.CalledProcessError) as exc:
            # The window still works, in English; the build should have compiled it.
            log.warning("translations for %s not compiled: %s", language, type(exc).__name__)
    return compiled if compiled.is_file() else None


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install Qt's own and the clinic's catalogues for ``language``; return them.

    English is the source language: nothing to install but the locale.
    """
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    QLocale.setDefault(
        QLocale(QLocale.Language.French if language == "fr" else QLocale.Language.English)
    )
    installed: list[QTranslator] = []
    if language == "en":
        return installed
    qt_base = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load(f"qtbase_{language}", qt_folder):
        app.installTranslator(qt_base)
        installed.append(qt_base)
    ours = QTranslator(app)
    qm = _qm_file(language)
    if qm is not None and ours.load(str(qm)):
        app.installTranslator(ours)
        installed.append(ours)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for translator in translators:
        app.removeTranslator(translator)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    command = args[0] if args else ""
    if command == "compile":
        for path in compile_translations():
            print(path)
        return 0
    if command == "update":
        update_translations()
        print("updated:", ", ".join(str(ts_path(lang)) for lang in TRANSLATED))
        return 0
    print("usage: python -m clinic_app.ui.i18n compile|update", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
