"""Layer 4 of the importers, the transactional write: entries into the ledger's files.

Which file each imported entry goes to, and every file of an import written
or none (`ledger_files`, planned here and written as one journaled transaction
by `ctc.transaction`, under the ledger's lock `ctc.lock`). It works on
Beancount entries and file texts, so it needs nothing from the layers below.

May import: the lower layers of `ctc.importers` (today it needs none), this
layer and the `ctc` core.
"""
