"""Printed documents: prescriptions and sick-leave certificates (PDF), their
numbers, and the signed machine-readable code that makes them unforgeable."""
