"""One table of role -> allowed actions, enforced in every service function.

The window hides what a role may not do, but the rule is here: a service calls
``require(actor, Action.X)`` before it reads or writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clinic_app.errors import PermissionDenied
from clinic_app.i18n import QT_TRANSLATE_NOOP


class Role(StrEnum):
    NURSE = "nurse"
    DOCTOR = "doctor"
    STOREKEEPER = "storekeeper"
    ADMIN = "admin"


class Action(StrEnum):
    SEARCH_PATIENTS = "search_patients"
    OPEN_CHART = "open_chart"
    REGISTER_PATIENT = "register_patient"
    RECORD_CONSULTATION = "record_consultation"
    RECORD_ALLERGY = "record_allergy"
    DIAGNOSE = "diagnose"
    PRESCRIBE = "prescribe"
    ISSUE_SICK_LEAVE = "issue_sick_leave"
    PRINT_DOCUMENT = "print_document"
    VIEW_STOCK = "view_stock"
    RECEIVE_STOCK = "receive_stock"
    DISPENSE = "dispense"
    VIEW_PRESCRIPTIONS = "view_prescriptions"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    ENROL_CLINIC = "enrol_clinic"
    SYNC = "sync"
    WRITE_OFF_STOCK = "write_off_stock"
    RECORD_CONSENT = "record_consent"
    EMERGENCY_ACCESS = "emergency_access"
    REVIEW_EMERGENCY_ACCESS = "review_emergency_access"
    VIEW_AUDIT = "view_audit"
    EXPORT_DEIDENTIFIED = "export_deidentified"
    BACKUP = "backup"
    RESTORE = "restore"


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.NURSE: frozenset(
        {
            Action.SEARCH_PATIENTS,
            Action.OPEN_CHART,
            Action.REGISTER_PATIENT,
            Action.RECORD_CONSULTATION,
            Action.RECORD_ALLERGY,
            Action.RECORD_CONSENT,
            Action.EMERGENCY_ACCESS,
            Action.SYNC,
        }
    ),
    Role.DOCTOR: frozenset(
        {
            Action.SEARCH_PATIENTS,
            Action.OPEN_CHART,
            Action.REGISTER_PATIENT,
            Action.RECORD_CONSULTATION,
            Action.RECORD_ALLERGY,
            Action.DIAGNOSE,
            Action.PRESCRIBE,
            Action.ISSUE_SICK_LEAVE,
            Action.PRINT_DOCUMENT,
            Action.VIEW_PRESCRIPTIONS,
            Action.VIEW_STOCK,
            Action.RECORD_CONSENT,
            Action.EMERGENCY_ACCESS,
            Action.SYNC,
        }
    ),
    Role.STOREKEEPER: frozenset(
        {
            Action.VIEW_STOCK,
            Action.RECEIVE_STOCK,
            Action.DISPENSE,
            Action.WRITE_OFF_STOCK,
            Action.VIEW_PRESCRIPTIONS,
            Action.EMERGENCY_ACCESS,
            Action.SYNC,
        }
    ),
    Role.ADMIN: frozenset(
        {
            Action.MANAGE_USERS,
            Action.MANAGE_SETTINGS,
            Action.ENROL_CLINIC,
            Action.VIEW_STOCK,
            Action.VIEW_AUDIT,
            Action.REVIEW_EMERGENCY_ACCESS,
            Action.EXPORT_DEIDENTIFIED,
            Action.BACKUP,
            Action.RESTORE,
            Action.EMERGENCY_ACCESS,
            Action.SYNC,
        }
    ),
}


@dataclass(frozen=True)
class Actor:
    """The person at the keyboard, as the services see them."""

    user_id: str
    username: str
    display_name: str
    roles: frozenset[Role]

    def may(self, action: Action) -> bool:
        return any(action in PERMISSIONS[role] for role in self.roles)


# What each action is called in a refusal (translated in the window, context "actions").
ACTION_NAMES: dict[Action, str] = {
    Action.SEARCH_PATIENTS: QT_TRANSLATE_NOOP("actions", "search patients"),
    Action.OPEN_CHART: QT_TRANSLATE_NOOP("actions", "open a patient's record"),
    Action.REGISTER_PATIENT: QT_TRANSLATE_NOOP("actions", "register or edit a patient"),
    Action.RECORD_CONSULTATION: QT_TRANSLATE_NOOP("actions", "record a consultation"),
    Action.RECORD_ALLERGY: QT_TRANSLATE_NOOP("actions", "record an allergy"),
    Action.DIAGNOSE: QT_TRANSLATE_NOOP("actions", "add a diagnosis"),
    Action.PRESCRIBE: QT_TRANSLATE_NOOP("actions", "write a prescription"),
    Action.ISSUE_SICK_LEAVE: QT_TRANSLATE_NOOP("actions", "issue a sick-leave certificate"),
    Action.PRINT_DOCUMENT: QT_TRANSLATE_NOOP("actions", "print a document"),
    Action.VIEW_STOCK: QT_TRANSLATE_NOOP("actions", "see the stock"),
    Action.RECEIVE_STOCK: QT_TRANSLATE_NOOP("actions", "receive stock"),
    Action.DISPENSE: QT_TRANSLATE_NOOP("actions", "dispense medicines"),
    Action.VIEW_PRESCRIPTIONS: QT_TRANSLATE_NOOP("actions", "see prescriptions"),
    Action.MANAGE_USERS: QT_TRANSLATE_NOOP("actions", "manage user accounts and keys"),
    Action.MANAGE_SETTINGS: QT_TRANSLATE_NOOP("actions", "change the clinic's settings"),
    Action.ENROL_CLINIC: QT_TRANSLATE_NOOP("actions", "enrol the clinic with central"),
    Action.SYNC: QT_TRANSLATE_NOOP("actions", "synchronise with central"),
    Action.WRITE_OFF_STOCK: QT_TRANSLATE_NOOP("actions", "write off stock"),
    Action.RECORD_CONSENT: QT_TRANSLATE_NOOP("actions", "record a patient's consent"),
    Action.EMERGENCY_ACCESS: QT_TRANSLATE_NOOP("actions", "open a record in an emergency"),
    Action.REVIEW_EMERGENCY_ACCESS: QT_TRANSLATE_NOOP("actions", "review emergency accesses"),
    Action.VIEW_AUDIT: QT_TRANSLATE_NOOP("actions", "read the audit trail"),
    Action.EXPORT_DEIDENTIFIED: QT_TRANSLATE_NOOP("actions", "export statistics"),
    Action.BACKUP: QT_TRANSLATE_NOOP("actions", "back up the clinic"),
    Action.RESTORE: QT_TRANSLATE_NOOP("actions", "restore the clinic"),
}


def require(actor: Actor, action: Action) -> None:
    if not actor.may(action):
        raise PermissionDenied(action=ACTION_NAMES.get(action, action.value))


def parse_roles(text: str) -> frozenset[Role]:
    return frozenset(Role(part) for part in text.split(",") if part)


def format_roles(roles: frozenset[Role] | set[Role]) -> str:
    return ",".join(sorted(role.value for role in roles))
