"""Importers that turn exports (Excel, SIE 4, CSV) into ledger entries, in four layers.

An import goes up through the layers, each a subpackage that imports only
from the layers below it (and from the `ctc` core), never from above:

1. `reading`: a file. Tell what it is (`filetype`); open a workbook safely
   (`workbook`: the zip package `package`, the compound file `compound`,
   BIFF records `biff` and `xls`, a first read under limits `sandbox`),
   read it whole as text when it is big (`fastread`, `screen`); read a SIE 4
   file (`sie`) or a CSV export (`text`, `delimited`); read one cell exactly
   (`cells`), find the sheet, header row and columns of the data (`layout`);
   the file's and each row's identity (`identity`) and the shape of a
   rejected row (`rejection`).
2. `kinds`: a file kind's rows. Each kind's columns and the rules its rows'
   own cells keep: the finance-system export (`utfall`), the positions roster
   (`roster`), the transfer decision (`vaxling`), kommunbidrag
   (`kommunbidrag`), a SIE 4 file as the export's rows (`sie`), the register
   row reader they share (`rows`), and which kind a file is (`recognise`).
3. `booking`: rows -> entries. Each kind's rows checked against the ledger
   (`context`) and turned into entries with their identities and the file's
   control figures (`extraction`), by the kind's beangulp importer
   (`importer` is their shared base; `utfall`, `roster`, `vaxling`,
   `kommunbidrag`).
4. `writing`: the transactional write. Which ledger file each entry goes to,
   and every file's change planned as one journaled transaction
   (`ledger_files`, on `ctc.transaction`; the lock is `ctc.lock`).

On top: `registry` (the importer of each kind), `run` (`ctc import` and its
undo as library functions), `summary` (what an import did, as text and JSON)
and `templates` (Excel templates of the files filled in by hand, generated
from a ledger's registers, with exactly the headers the kinds read).
"""
