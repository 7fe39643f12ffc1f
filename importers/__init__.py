"""Importers that turn Excel files into ledger entries."""
