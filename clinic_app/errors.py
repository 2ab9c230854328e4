"""Typed errors a person can act on.

Each refusal the user can meet is its own class with an English message
template marked for translation (context ``errors``). Services raise them; the
window shows ``error.message`` translated; the CLI prints it. A traceback is
never the answer to bad input.
"""

from __future__ import annotations

from typing import Any, ClassVar

from clinic_app.i18n import QT_TRANSLATE_NOOP, Message


class ClinicError(Exception):
    """Base of every error meant for the person at the keyboard."""

    template: ClassVar[str] = QT_TRANSLATE_NOOP("errors", "Something went wrong.")

    def __init__(self, template: str | None = None, **params: Any) -> None:
        self.message = Message(template or type(self).template, params, context="errors")
        super().__init__(str(self.message))


# --- storage and login -------------------------------------------------------


class StoreError(ClinicError):
    template = QT_TRANSLATE_NOOP("errors", "The clinic database could not be opened.")


class WrongPassword(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors", "Wrong user name or password. Check the keyboard layout and Caps Lock."
    )


class NotAClinicDatabase(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The file {path} is not a clinic database, or it is damaged. "
        "Choose the clinic's data folder or restore a backup.",
    )


class NoClinicDatabase(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors", "There is no clinic database in {path}. Create a clinic first."
    )


class KeySlotsMissing(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The clinic's key file {path} is missing: no password can open the database "
        "without it. Put it back from a copy of this folder, or restore the clinic "
        "from a backup.",
    )


class ClinicAlreadyExists(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors", "A clinic database already exists in {path}; nothing was changed."
    )


class FolderNotUsable(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The folder {path} cannot hold the clinic's data: it is a file, or it cannot be "
        "created or written. Choose another folder.",
    )


class DatabaseUnreadable(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The clinic database cannot be read: its key was changed (log in again) or the "
        "file is damaged (restore the latest backup). Nothing more was written.",
    )


class DatabaseBusy(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The clinic database is busy: another program is writing to it. "
        "Try again in a moment; nothing was lost.",
    )


class NewerSchema(StoreError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This clinic database was written by a newer version of the program "
        "(schema {found}, this program knows {known}). Install the newer version.",
    )


class AccountDisabled(ClinicError):
    template = QT_TRANSLATE_NOOP("errors", "This account is disabled. Ask the clinic admin.")


class PermissionDenied(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors", "Your role does not allow you to {action}. Ask a colleague who may."
    )


class PasswordChangeRequired(PermissionDenied):
    """Logged in with a temporary password an admin set: only changing it is allowed."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "You logged in with a temporary password. Choose your own password first "
        "(My password…); until then nothing else can be done.",
    )


# --- input --------------------------------------------------------------------


class InvalidInput(ClinicError):
    """A form field is missing or impossible; ``field`` names it for the window."""

    template = QT_TRANSLATE_NOOP("errors", "Please check the form.")

    def __init__(self, template: str | None = None, *, field: str = "", **params: Any) -> None:
        self.field = field
        super().__init__(template, **params)


class NotFound(ClinicError):
    template = QT_TRANSLATE_NOOP("errors", "The record was not found; it may have been removed.")
