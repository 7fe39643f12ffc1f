"""Reports on the ledger: yearly cost, transfers, positions, budget."""
