"""Beancount plugins that check the domain rules of the ledger."""
