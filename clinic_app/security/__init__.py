"""Accounts, roles and permissions; key slots live in clinic_app.storage.keys."""
