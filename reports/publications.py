"""The published reports a ledger records, and whether each still reproduces.

`ctc report published` lists every `custom "published"` record (see
`ctc.published`): the decision that published it, when, which report and
span, how many figures it printed and how many of them differ today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctc.published import publication_drifts, publications
from ctc.reports.result import Column, Report, Row, Table
from ctc.reports.sources import notice, provenance

if TYPE_CHECKING:
    from ctc.ledger import Ledger

LABELS = {
    "sv": {
        "title": "{programme}: publicerade rapporter",
        "sheet": "Publicerade",
        "table": "Publicerade rapporter och om deras siffror stämmer i dag",
        "decision": "Beslut",
        "date": "Datum",
        "report": "Rapport",
        "span": "Urval",
        "figures": "Siffror",
        "differ": "Avviker",
        "none": "Huvudboken har inga publicerade rapporter (ctc report … --publish BESLUT).",
        "note": (
            "Avviker: siffror som inte längre blir desamma när rapporten räknas om; "
            "ctc check visar vilka, med hur mycket och vilka poster som ändrats sedan."
        ),
    },
    "en": {
        "title": "{programme}: published reports",
        "sheet": "Published",
        "table": "Published reports and whether their figures hold today",
        "decision": "Decision",
        "date": "Date",
        "report": "Report",
        "span": "Selection",
        "figures": "Figures",
        "differ": "Differ",
        "none": "The ledger records no published reports (ctc report … --publish DECISION).",
        "note": (
            "Differ: figures that no longer come out the same when the report is computed "
            "again; ctc check shows which, by how much and which entries changed since."
        ),
    },
}


def _text(key: str, lang: str) -> str:
    return LABELS.get(lang, LABELS["sv"])[key]


def publications_report(ledger: Ledger, lang: str = "sv") -> Report:
    """Every published report of the ledger, with how many of its figures differ today."""
    from ctc.errors import UserError

    frame = ledger.frame
    found = publications(ledger.entries)
    if not found:
        raise UserError(_text("none", lang))
    columns = (
        Column("decision", _text("decision", lang)),
        Column("date", _text("date", lang), "date"),
        Column("report", _text("report", lang)),
        Column("span", _text("span", lang)),
        Column("figures", _text("figures", lang), "int"),
        Column("differ", _text("differ", lang), "int"),
    )
    rows = tuple(
        Row(
            (
                p.decision,
                p.entry.date,
                p.kind,
                p.span,
                len(p.figures),
                len(publication_drifts(frame, ledger.entries, p)),
            )
        )
        for p in found
    )
    table = Table(_text("sheet", lang), _text("table", lang), columns, rows, (_text("note", lang),))
    return Report(
        name="published",
        title=_text("title", lang).format(programme=frame.programme),
        tables=(table,),
        records=Table("records", "records", columns, rows),
        provenance=provenance(frame, []),
        notice=notice(frame, lang),
        unit="kr",
        lang=lang,
    )
