"""What the commands ask and say, in the person's language.

Secrets come from the environment, else the terminal. A script or a service
has no terminal to answer a prompt: rather than let ``getpass`` fall back to
echoing on stderr (with its Python warning), the command stops and names the
variable that gives the answer.

What a command says (``say``) and its errors are in ``--language``, else the
machine's locale: French or English, from the window's own catalogue (context
"cli" for the commands' lines).
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any, TextIO

from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP, Message


class NoTerminal(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This command must ask for a password or a name, and there is no terminal to "
        "ask it at: set {env} (or give it as an option).",
    )


def ask(prompt: str, env: str, *, secret: bool = True) -> str:
    """``$env`` if set, else typed at the terminal (hidden when ``secret``)."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise NoTerminal(env=env)
    return getpass.getpass(prompt) if secret else input(prompt)


def command_language(explicit: str | None) -> str:
    """``--language``, else the locale's (French or English)."""
    if explicit is not None:
        return explicit
    locale = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    return "fr" if (locale or "").lower().startswith("fr") else "en"


def in_language(message: Message, language: str | None) -> str:
    """``message`` rendered in the command's language (English if no catalogue)."""
    language = command_language(language)
    if language == "en":
        return message.render()
    try:
        from clinic_app.ui.i18n import console_text

        return console_text(message, language)
    except Exception:  # no Qt on this machine: the English text still says it
        return message.render()


def say(
    language: str | None, template: str, *, stream: TextIO | None = None, **params: Any
) -> None:
    """Print one of the commands' lines (``template`` marked in context "cli")."""
    print(in_language(Message(template, params, "cli"), language), file=stream or sys.stdout)
