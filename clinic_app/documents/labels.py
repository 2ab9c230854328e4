"""Every word printed on a document, per language, in one place.

Printed documents speak the clinic's language (setting ``language``, French by
default), not the user's screen language: a prescription goes to a
pharmacist, a certificate to an employer. These labels are therefore plain
tables here rather than Qt translations; to print in another language, add a
table with the same keys (a test checks the keys match).
"""

from __future__ import annotations

from collections.abc import Mapping

FRENCH: Mapping[str, str] = {
    "prescription_title": "ORDONNANCE",
    "certificate_title": "CERTIFICAT D'ARRÊT DE TRAVAIL",
    "kind_initial": "Arrêt initial",
    "kind_extension": "Prolongation de l'arrêt n° {number}",
    "copy_patient": "Volet patient",
    "copy_employer": "Volet employeur",
    "duplicate": "DUPLICATA",
    "duplicate_notice": "DUPLICATA — réimprimé le {when}",
    "site": "Site {site}",
    "number": "N°",
    "date": "Date",
    "issued_on": "Délivré le",
    "prescriber": "Prescripteur",
    "doctor": "Médecin",
    "patient": "Patient",
    "document": "Document",
    "born_on": "Né(e) le {date}",
    "age_years": "{n} ans",
    "age_months": "{n} mois",
    "birth_unknown": "Date de naissance inconnue",
    "sex": "Sexe",
    "sex_female": "Féminin",
    "sex_male": "Masculin",
    "sex_other": "Autre",
    "sex_unknown": "Non précisé",
    "national_id": "N° national / sécurité sociale",
    "not_given": "non renseigné",
    "drug": "Médicament et posologie",
    "duration": "Durée",
    "quantity": "Quantité",
    "duration_days": "{n} j",
    "signature": "Signature et cachet du médecin",
    "statement": (
        "Je soussigné(e), {doctor}, certifie avoir examiné la personne ci-dessus et "
        "que son état de santé nécessite un arrêt de travail."
    ),
    "statement_extension": (
        "Je soussigné(e), {doctor}, certifie avoir examiné la personne ci-dessus et "
        "que son état de santé nécessite la prolongation de son arrêt de travail."
    ),
    "period_start": "Du (inclus)",
    "period_days": "Nombre de jours",
    "period_end": "Au (inclus)",
    "outings": "Sorties autorisées",
    "yes": "Oui",
    "no": "Non",
    "diagnosis": "Diagnostic (CIM-11)",
    "no_diagnosis": "Non précisé",
    "employer_notice": "Ce volet ne mentionne pas le diagnostic (secret médical).",
    "verify_notice": ("Code signé électroniquement par la clinique : vérifiable hors ligne."),
    "page": "Page {n} / {total}",
}

ENGLISH: Mapping[str, str] = {
    "prescription_title": "PRESCRIPTION",
    "certificate_title": "SICK-LEAVE CERTIFICATE",
    "kind_initial": "Initial certificate",
    "kind_extension": "Extension of certificate no. {number}",
    "copy_patient": "Patient's copy",
    "copy_employer": "Employer's copy",
    "duplicate": "DUPLICATE",
    "duplicate_notice": "DUPLICATE — reprinted on {when}",
    "site": "Site {site}",
    "number": "No.",
    "date": "Date",
    "issued_on": "Issued on",
    "prescriber": "Prescriber",
    "doctor": "Doctor",
    "patient": "Patient",
    "document": "Document",
    "born_on": "Born on {date}",
    "age_years": "{n} years",
    "age_months": "{n} months",
    "birth_unknown": "Date of birth unknown",
    "sex": "Sex",
    "sex_female": "Female",
    "sex_male": "Male",
    "sex_other": "Other",
    "sex_unknown": "Not stated",
    "national_id": "National / social-security no.",
    "not_given": "not given",
    "drug": "Drug and dosage",
    "duration": "Duration",
    "quantity": "Quantity",
    "duration_days": "{n} d",
    "signature": "Doctor's signature and stamp",
    "statement": (
        "I, the undersigned {doctor}, certify that I examined the person above and "
        "that their state of health requires leave from work."
    ),
    "statement_extension": (
        "I, the undersigned {doctor}, certify that I examined the person above and "
        "that their state of health requires their leave from work to be extended."
    ),
    "period_start": "From (included)",
    "period_days": "Number of days",
    "period_end": "To (included)",
    "outings": "Outings allowed",
    "yes": "Yes",
    "no": "No",
    "diagnosis": "Diagnosis (ICD-11)",
    "no_diagnosis": "Not stated",
    "employer_notice": "This copy does not state the diagnosis (medical secrecy).",
    "verify_notice": "Code signed electronically by the clinic: checkable offline.",
    "page": "Page {n} / {total}",
}

LABELS: Mapping[str, Mapping[str, str]] = {"fr": FRENCH, "en": ENGLISH}
DEFAULT_LANGUAGE = "fr"


def printed_labels(language: str | None) -> Mapping[str, str]:
    """The labels for ``language``, or French when the clinic's language has none."""
    return LABELS.get((language or DEFAULT_LANGUAGE).lower()[:2], LABELS[DEFAULT_LANGUAGE])
