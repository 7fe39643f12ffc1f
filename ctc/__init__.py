"""CTC ledger: committees, positions, kommunbidrag and decisions in Beancount."""
