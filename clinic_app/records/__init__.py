"""Patients and their clinical records: consultations, vitals, allergies,
diagnoses, prescriptions and sick-leave certificates."""
