"""Names people read for roles and audited actions (the stored values are English codes)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from clinic_app.security.permissions import Role, parse_roles


def role_label(role: Role) -> str:
    return {
        Role.NURSE: QCoreApplication.translate("roles", "Nurse"),
        Role.DOCTOR: QCoreApplication.translate("roles", "Doctor"),
        Role.STOREKEEPER: QCoreApplication.translate("roles", "Storekeeper"),
        Role.ADMIN: QCoreApplication.translate("roles", "Clinic admin"),
    }[role]


def roles_text(stored: str) -> str:
    """``"doctor,nurse"`` -> "Doctor, Nurse" in the chosen language; unknown codes as they are."""
    try:
        roles = parse_roles(stored)
    except ValueError:
        return stored
    return ", ".join(sorted(role_label(role) for role in roles))


def action_label(action: str) -> str:
    """An audited action as a short phrase; an action not listed here shows its code."""
    labels = {
        "login": QCoreApplication.translate("audit", "Logged in"),
        "logout": QCoreApplication.translate("audit", "Logged out"),
        "unlock": QCoreApplication.translate("audit", "Unlocked the screen"),
        "unlock_session": QCoreApplication.translate("audit", "Unlocked the screen"),
        "login_failed": QCoreApplication.translate("audit", "Failed log-in"),
        "failed_login": QCoreApplication.translate("audit", "Failed log-in"),
        "permission_change": QCoreApplication.translate("audit", "Changed roles"),
        "dispense_prescription": QCoreApplication.translate("audit", "Dispensed a prescription"),
        "write_off_expired": QCoreApplication.translate("audit", "Wrote off expired stock"),
        "export": QCoreApplication.translate("audit", "De-identified export"),
        "create_user": QCoreApplication.translate("audit", "Created a user"),
        "change_password": QCoreApplication.translate("audit", "Changed their password"),
        "reset_password": QCoreApplication.translate("audit", "Reset a password"),
        "set_roles": QCoreApplication.translate("audit", "Changed roles"),
        "disable_user": QCoreApplication.translate("audit", "Disabled a user"),
        "enable_user": QCoreApplication.translate("audit", "Enabled a user"),
        "new_recovery_key": QCoreApplication.translate("audit", "New recovery key"),
        "search_patients": QCoreApplication.translate("audit", "Searched patients"),
        "register_patient": QCoreApplication.translate("audit", "Registered a patient"),
        "open_chart": QCoreApplication.translate("audit", "Opened a chart"),
        "emergency_access": QCoreApplication.translate("audit", "Emergency access"),
        "emergency_search": QCoreApplication.translate("audit", "Emergency search"),
        "list_emergency_accesses": QCoreApplication.translate("audit", "Listed emergency accesses"),
        "review_emergency_access": QCoreApplication.translate(
            "audit", "Reviewed an emergency access"
        ),
        "record_consultation": QCoreApplication.translate("audit", "Recorded a consultation"),
        "record_allergy": QCoreApplication.translate("audit", "Recorded an allergy"),
        "add_diagnosis": QCoreApplication.translate("audit", "Added a diagnosis"),
        "write_prescription": QCoreApplication.translate("audit", "Wrote a prescription"),
        "issue_sick_leave": QCoreApplication.translate("audit", "Issued a sick-leave certificate"),
        "print_document": QCoreApplication.translate("audit", "Printed a document"),
        "record_consent": QCoreApplication.translate("audit", "Recorded consent"),
        "set_consent_policy": QCoreApplication.translate("audit", "Changed the consent rule"),
        "set_idle_lock_minutes": QCoreApplication.translate("audit", "Changed the idle lock"),
        "view_audit": QCoreApplication.translate("audit", "Viewed the audit trail"),
        "verify_audit": QCoreApplication.translate("audit", "Verified the audit trail"),
        "recovery_used": QCoreApplication.translate("audit", "Opened with the recovery key"),
        "rekey": QCoreApplication.translate("audit", "Changed the clinic's key"),
        "view_chart_openings": QCoreApplication.translate("audit", "Viewed who opened a chart"),
        "receive_stock": QCoreApplication.translate("audit", "Received stock"),
        "dispense": QCoreApplication.translate("audit", "Dispensed a prescription"),
        "write_off_stock": QCoreApplication.translate("audit", "Wrote off stock"),
        "backup": QCoreApplication.translate("audit", "Made a backup"),
        "backup_clinic": QCoreApplication.translate("audit", "Made a backup"),
        "restore": QCoreApplication.translate("audit", "Restored a backup"),
        "restore_clinic": QCoreApplication.translate("audit", "Restored a backup"),
        "export_deidentified": QCoreApplication.translate("audit", "De-identified export"),
        "enrol_clinic": QCoreApplication.translate("audit", "Enrolled with central"),
        "sync": QCoreApplication.translate("audit", "Synchronised"),
        "import_icd11": QCoreApplication.translate("audit", "Imported ICD-11 codes"),
    }
    return labels.get(action, action)


def outcome_label(outcome: str) -> str:
    return {
        "ok": QCoreApplication.translate("audit", "done"),
        "denied": QCoreApplication.translate("audit", "refused"),
        "refused": QCoreApplication.translate("audit", "refused"),
        "failed": QCoreApplication.translate("audit", "failed"),
        "broken": QCoreApplication.translate("audit", "broken"),
    }.get(outcome, outcome)


def object_label(kind: str) -> str:
    """What an audited action was about; an unlisted kind shows its code."""
    return {
        "allergy": QCoreApplication.translate("audit", "Allergy"),
        "audit_trail": QCoreApplication.translate("audit", "Audit trail"),
        "backup": QCoreApplication.translate("audit", "Backup"),
        "catalogue": QCoreApplication.translate("audit", "Drug catalogue"),
        "clinic": QCoreApplication.translate("audit", "Clinic"),
        "code_list": QCoreApplication.translate("audit", "Code list"),
        "diagnosis": QCoreApplication.translate("audit", "Diagnosis"),
        "emergency_access": QCoreApplication.translate("audit", "Emergency access"),
        "encounter": QCoreApplication.translate("audit", "Consultation"),
        "export": QCoreApplication.translate("audit", "Export"),
        "patient": QCoreApplication.translate("audit", "Patient"),
        "patient_consent": QCoreApplication.translate("audit", "Consent"),
        "patient_search": QCoreApplication.translate("audit", "Search"),
        "prescription": QCoreApplication.translate("audit", "Prescription"),
        "setting": QCoreApplication.translate("audit", "Setting"),
        "sick_leave_certificate": QCoreApplication.translate("audit", "Sick-leave certificate"),
        "stock_movement": QCoreApplication.translate("audit", "Stock movement"),
        "user": QCoreApplication.translate("audit", "User account"),
    }.get(kind, kind)
