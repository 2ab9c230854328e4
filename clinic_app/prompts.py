"""Secrets asked for at the command line: from the environment, else at the terminal.

A script or a service has no terminal to answer a prompt: rather than let
``getpass`` fall back to echoing on stderr (with its Python warning), the
command stops and names the variable that gives the answer.
"""

from __future__ import annotations

import getpass
import os
import sys

from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP


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
