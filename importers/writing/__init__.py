"""Layer 4 of the importers, the transactional write: entries into the ledger's files.

Which file each imported entry goes to, every file of an import written or
none (`ledger_files`, on `ctc.files`' atomic replace), and the lock that keeps
two imports from writing into one ledger at once (`lock`). It works on
Beancount entries and file texts, so it needs nothing from the layers below.

May import: the lower layers of `ctc.importers` (today it needs none), this
layer and the `ctc` core.
"""
