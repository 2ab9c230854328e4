"""The clinic's encrypted local store (SQLCipher) and its key slots."""
