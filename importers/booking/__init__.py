"""Layer 3 of the importers, booking: a kind's rows -> entries with their row identities.

One module per kind (`utfall`, `roster`, `vaxling`, `kommunbidrag`) checks
the rows against the ledger's registers (`context`) and turns them into
entries, each with its row identity and the amount it adds to the control
totals (`extraction`); its beangulp importer (on the shared base `importer`)
hands them on. Nothing here writes a file.

May import: `ctc.importers.kinds`, `ctc.importers.reading`, this layer and
the `ctc` core.
"""
