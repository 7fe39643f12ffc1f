"""The `ctc` commands, one module each; `ctc.cli` assembles them."""
