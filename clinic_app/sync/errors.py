"""What can go wrong while talking to central, in words a nurse can act on."""

from __future__ import annotations

from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP


class SyncError(ClinicError):
    """Base of every sync refusal or failure."""

    template = QT_TRANSLATE_NOOP("errors", "Sync with the central server failed.")


class ServerUnreachable(SyncError):
    """No answer: connection refused, name not found, link down, or too slow."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "The central server cannot be reached. Work continues offline; sync will retry by itself.",
    )


class ServerUnreachableOnce(ServerUnreachable):
    """The same, said by a one-shot command (nothing retries after it)."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "The central server cannot be reached. Nothing was lost: the changes wait in this "
        "clinic; run the command again when the link is back (the window retries by itself).",
    )


class ServerAnswerInvalid(SyncError):
    """An answer came, but not one central gives (a 5xx, a web page, broken JSON)."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "The central server gave an answer this program cannot use ({detail}). "
        "Nothing was lost; sync will retry. If this goes on, tell the clinic admin.",
    )


class EnrolmentUnreachable(ServerUnreachable):
    """Enrolling: nothing answered at the address (nothing retries an enrolment)."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "Nothing answered at {url}. Check the server address (it looks like "
        "https://central.example.org, without /api/v1) and this computer's connection, "
        "then enrol again.",
    )


class EnrolmentAnswerInvalid(ServerAnswerInvalid):
    """Enrolling: something answered, but not central (a web site, a wrong port)."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "The address {url} answered, but not as a central server does ({detail}). "
        "Check the address with central's operator, then enrol again.",
    )


class ServerAddressInvalid(SyncError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The central server address {url} is not valid. It looks like "
        "https://central.example.org — ask the admin for the right one.",
    )


class TokenRefused(SyncError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This clinic's access to central was refused or revoked. "
        "Ask the admin to enrol the clinic again.",
    )


class UpgradeRequired(SyncError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The central server needs a newer version of this program. "
        "Work continues offline; ask the admin to install the update.",
    )


class EnrolmentRefused(SyncError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Central refused the enrolment: wrong central user name or password. "
        "Check them with the central operator and try again.",
    )


class SiteCodeTaken(EnrolmentRefused):
    """Central has another clinic with this site code (it is printed in document numbers)."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "Central already has a clinic with site code {code}. Choose another site code.",
    )


class EnrolmentInvalid(EnrolmentRefused):
    """Central refused a field of the enrolment (site code, name, key); ``detail`` says which."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "Central refused the enrolment: {detail}. Correct this clinic's settings and enrol again.",
    )


class ChangesRefused(SyncError):
    """Central understood the batch and said no (another site's record, master data)."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "Central refused some of this clinic's changes ({reason}). They are kept here; "
        "ask the admin to contact central support.",
    )


class NotEnrolled(SyncError):
    template = QT_TRANSLATE_NOOP(
        "errors", "This clinic is not enrolled with central yet. Ask the admin to enrol it."
    )


class SyncAlreadyRunning(SyncError):
    template = QT_TRANSLATE_NOOP("errors", "A sync is already running; wait for it to finish.")
