"""Layer 2 of the importers, a file kind's rows: each kind's columns and row rules.

One module per kind of file (`utfall`, `roster`, `vaxling`, `kommunbidrag`)
declares its columns and reads its rows by the rules their own cells keep;
`rows` reads a register sheet's rows by field, and `recognise` lists the
kinds and tells which one a workbook is. Nothing here looks at the ledger.

May import: `ctc.importers.reading`, this layer and the `ctc` core.
"""
