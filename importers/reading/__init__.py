"""Layer 1 of the importers, reading a file: workbooks, cells, the fast path, the header.

Everything here is about the file itself, whatever kind it is: opening it
safely, reading its sheets row by row or (when big) whole as text and
screening them column-wise, reading one cell exactly, finding the header row
and the columns of each field, and the identity of the file and its rows.

May import: the `ctc` core (errors, progress, the mapping, provenance keys)
and other modules of this layer; nothing else of `ctc.importers`.
"""
