"""SIE 4 and CSV exports: the same rows, rules, identities and totals as a workbook export."""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, run_ctc
from test_import_errors import ledger_state
from workbooks import export

from ctc.importers.reading.delimited import sniff_separator
from ctc.importers.reading.sie import read_sie, tokens
from ctc.importers.run import run_import, run_undo
from ctc.ledger import load_ledger

D = Decimal
EXAMPLES = ROOT / "importers" / "examples"
TOTALS_2018 = {
    "2018|AoS": "237105.20",
    "2018|FrN": "238218.56",
    "2018|FsN": "235991.84",
    "2018|GrN": "234878.48",
    "2018|KS": "2276158.37",
    "2018|KuN": "233765.12",
}
"""The example's 2018 programme rows per committee, as its workbook holds them."""


def dry_run_json(main: Path, path: Path, *extra: str) -> dict:
    result = run_ctc("import", "--ledger", str(main), "--dry-run", "--json", *extra, str(path))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["files"][0]


@pytest.mark.parametrize("name", ["utfall_2018.xlsx", "utfall_2018.se", "utfall_2018.csv"])
def test_the_example_year_gives_the_same_control_totals_in_every_format(example_copy, name):
    summary = dry_run_json(example_copy, EXAMPLES / name)
    assert summary["kind"] == "utfall"
    assert summary["programme_rows"] == 192
    assert summary["programme_total"] == "3456117.57"
    assert summary["by_year_committee"] == TOTALS_2018
    rows, left_out = {"utfall_2018.xlsx": (192, 0), "utfall_2018.se": (390, 198)}.get(
        name, (195, 3)
    )
    assert (summary["rows"], summary["not_programme"]) == (rows, left_out)
    assert summary["rejected"] == []


def add_to_mapping(main: Path, toml: str) -> None:
    """Append tables to the ledger's mapping file."""
    mapping = main.with_name("mapping.toml")
    mapping.write_text(mapping.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")


# --- SIE 4 ----------------------------------------------------------------------------------


def ksumma(lines: list[str], codec: str) -> int:
    """The checksum a writer puts last: CRC-32 over the fields, unquoted, braces left out."""
    value = 0
    for line in lines:
        for field in tokens(line):
            if field not in ("{", "}"):
                value = zlib.crc32(field.encode(codec), value)
    return value


VISMA_LIKE = [
    "#FLAGGA\t0",
    '#PROGRAM\t"Ekonomisystem X"\t"12.4"',
    "#FORMAT\tPC8",
    "#GEN\t20230201\tadmin",
    "#SIETYP\t4",
    '#FNAMN\t"Exempelstaden \\"syntetisk\\""',
    "#RAR\t0\t20220101\t20221231",
    "#RAR\t-1\t20210101\t20211231",
    '#DIM\t1\t"Resultatenhet"',
    '#UNDERDIM\t21\t"Enhet"\t1',
    '#DIM\t6\t"Projekt"',
    '#DIM\t9\t"Motpart"',
    '#OBJEKT\t1\t"110240"\t"Stadskontoret"',
]
"""Another writer's conventions: tabs, escaped quotes, a sub-dimension, two fiscal years."""
VISMA_VOUCHERS = [
    '#VER\tL\t"101"\t20220125\t"Lön januari"\t20220126\t"Lönesystemet"',
    "{",
    '\t#TRANS\t5011\t{1 "110240" 6 "CTC"}\t41000.00\t""\t""\t1',
    '\t#TRANS\t5611\t{1 "110240" 6 "CTC"}\t12882.2\t20220125\t"Arbetsgivaravgifter"',
    "\t#TRANS\t1930\t{}\t-53882.20",
    "}",
    '#VER\tI\t7\t20220203\t"Utbildning \\"CTC\\" vår"',
    "{",
    '\t#TRANS\t7010\t{21 "310310" 6 "CTC"}\t18750.50',
    '\t#RTRANS\t7010\t{1 "310310" 6 "OMRLYFT"}\t999.99\t20220204\t"Rättelse"',
    '\t#TRANS\t7010\t{1 "310310" 6 "OMRLYFT"}\t999.99\t20220204\t"Rättelse"',
    '\t#BTRANS\t6410\t{1 "650031" 6 "CTC"}\t5000.00\t20220204\t"Fel rad"',
    "\t#TRANS\t2440\t{}\t-19750.49",
    "}",
    '#VER\tI\t8\t20211228\t"Kurs, kreditering"',
    "{",
    '\t#TRANS\t6410\t{1 "650031" 6 "CTC" 9 "520101"}\t-1200.00\t20211228',
    "\t#TRANS\t2440\t{}\t1200",
    "}",
]


def visma_like(path: Path, vouchers: list[str] = VISMA_VOUCHERS, codec: str = "utf-8") -> Path:
    """A SIE 4E file in another writer's conventions; declared PC8, written in `codec`."""
    lines = [*VISMA_LIKE, "#KSUMMA", *vouchers]
    lines.append(f"#KSUMMA\t{ksumma(vouchers, codec)}")
    path.write_bytes("\n".join(lines).encode(codec) + b"\n")
    return path


def test_sie_from_another_writer_counts_rtrans_once_and_btrans_never(example_copy, tmp_path):
    path = visma_like(tmp_path / "huvudbok.si")
    summary = dry_run_json(example_copy, path)
    assert summary["by_year_committee"] == {
        "2021|FrN": "-1200.00",
        "2022|AoS": "18750.50",
        "2022|KS": "53882.20",
    }
    assert (summary["rows"], summary["programme_rows"], summary["not_programme"]) == (8, 4, 4)
    assert summary["programme_total"] == "71432.70"


def test_sie_rows_keep_their_line_voucher_and_the_dimensions_mapped(example_copy, tmp_path):
    path = visma_like(tmp_path / "huvudbok.sie")
    add_to_mapping(example_copy, "[sie]\ncounterparty_dimension = 9\n")
    summary = run_import([path], example_copy)
    assert summary.files[0].imported == 4
    entries = sorted(
        (
            e
            for e in load_ledger(example_copy).entries
            if e.meta.get("source_file") == path.name and "source_row" in e.meta
        ),
        key=lambda e: e.meta["source_row"],
    )
    assert [e.meta["source_row"] for e in entries] == [17, 18, 23, 31]
    assert [e.meta["voucher"] for e in entries] == ["L 101", "L 101", "I 7", "I 8"]
    assert "source_sheet" not in entries[0].meta
    assert entries[2].meta["responsibility"] == "310310"  # from sub-dimension 21 of dimension 1
    assert entries[3].meta["counterparty"] == "520101"
    assert entries[2].narration == 'Utbildning "CTC" vår'
    assert (tmp_path / "ledger" / "documents").is_dir()


def test_a_sie_file_imported_twice_adds_nothing_and_undo_takes_it_back(example_copy, tmp_path):
    original = ledger_state(example_copy)
    path = visma_like(tmp_path / "huvudbok.se")
    assert run_import([path], example_copy).files[0].imported == 4
    again = run_import([path], example_copy)
    assert (again.files[0].imported, again.files[0].duplicates, again.written) == (0, 4, ())
    undone = run_undo(str(path), example_copy)
    assert undone.removed == 4
    assert ledger_state(example_copy) == original


def test_an_overlapping_sie_file_adds_only_its_new_vouchers(example_copy, tmp_path):
    first = visma_like(tmp_path / "jan.se", VISMA_VOUCHERS[:6])
    both = visma_like(tmp_path / "jan_feb.se", VISMA_VOUCHERS[:14])
    run_import([first], example_copy)
    summary = run_import([both], example_copy)
    (file,) = summary.files
    assert (file.programme_rows, file.imported, file.duplicates) == (3, 1, 2)
    assert file.total_imported == D("18750.50")


def test_sie_declared_pc8_but_written_in_windows_1252_is_read_right(tmp_path):
    path = visma_like(tmp_path / "ansi.se", codec="cp1252")
    sie = read_sie(path)
    assert sie.codec == "cp1252"
    assert sie.problems == []
    assert sie.rows[0].text == "Lön januari"
    assert sie.checksum == "ok"


def test_a_voucher_that_does_not_balance_is_refused_with_its_line(example_copy, tmp_path):
    broken = [*VISMA_VOUCHERS]
    broken[4] = "\t#TRANS\t1930\t{}\t-53882.00"
    path = visma_like(tmp_path / "obalans.se", broken)
    result = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert result.returncode == 1
    assert "verifikationen L 101 balanserar inte: raderna summerar till 0,20 kr (rad 15)" in (
        result.stderr
    )


def test_a_wrong_checksum_is_refused(example_copy, tmp_path):
    path = visma_like(tmp_path / "ändrad.se")
    text = (
        path.read_text(encoding="utf-8")
        .replace("41000.00", "41000.10")
        .replace("-53882.20", "-53882.30")
    )
    path.write_text(text, encoding="utf-8")
    result = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert result.returncode == 1
    assert "kontrollsumman #KSUMMA" in result.stderr and "stämmer inte" in result.stderr


def test_a_voucher_outside_the_fiscal_years_is_refused(example_copy, tmp_path):
    late = [v.replace("20211228", "20201228") for v in VISMA_VOUCHERS]
    path = visma_like(tmp_path / "fel_ar.se", late)
    result = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert result.returncode == 1
    assert "utanför räkenskapsåren i #RAR" in result.stderr


def test_a_sie_file_of_balances_only_is_refused(example_copy, tmp_path):
    path = tmp_path / "saldon.se"
    path.write_bytes(b"#FLAGGA 0\n#SIETYP 2\n#RAR 0 20220101 20221231\n#UB 0 1930 100.00\n")
    result = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert result.returncode == 1
    assert "SIE-filen är av typ 2" in result.stderr and "SIE typ 4" in result.stderr


# --- CSV and text -------------------------------------------------------------------------

COMMA_UTF8 = (
    "\ufeffExport från ekonomisystemet,,,,,,\r\n"
    ",,,,,,\r\n"
    "Bokföringsdatum,Verifikation,Konto,Ansvar,Projekt,Beskrivning,Belopp\r\n"
    '2021-01-25,V1,5011,110240,CTC,"Lön, januari",41000.00\r\n'
    '2021-01-25,V2,5611,110240,CTC,"Arbetsgivar-\r\navgifter",12882.20\r\n'
    ",,,,,,\r\n"
    '2021-02-03,V3,7010,310310,CTC,"Kurs ""CTC""","18,750.50"\r\n'
    "2021-02-03,V4,7010,310310,OMRLYFT,Annat,999.99\r\n"
    "20210309,V5,6410,650031,CTC,Kurs,-1200\r\n"
)
"""Another writer: commas, UTF-8 with BOM, dot decimals, quoted fields (one over two lines)."""


def test_a_comma_separated_utf8_export_from_another_writer(example_copy, tmp_path):
    path = tmp_path / "export.txt"
    path.write_bytes(COMMA_UTF8.encode("utf-8"))
    summary = dry_run_json(example_copy, path)
    assert summary["by_year_committee"] == {
        "2021|AoS": "18750.50",
        "2021|FrN": "-1200.00",
        "2021|KS": "53882.20",
    }
    assert (summary["rows"], summary["programme_rows"], summary["not_programme"]) == (5, 4, 1)
    text = run_ctc("import", "--ledger", str(example_copy), "--dry-run", str(path)).stdout
    assert "Textfil: avgränsare komma, teckenkodning UTF-8 med BOM (upptäckta)." in text


def test_a_tab_separated_windows_1252_export_with_a_sum_row(example_copy, tmp_path):
    rows = [
        "Datum\tKonto\tAnsvar\tProjekt\tText\tBelopp",
        "2021-01-25\t5011\t110240\tCTC\tLön – januari, 10 €\t41 000,00",
        "2021-03-09\t6410\t650031\tCTC\tKurs\t−1 200,00",
        "Summa\t\t\t\t\t39 800,00",
    ]
    path = tmp_path / "utfall.tsv"
    path.write_bytes("\r\n".join(rows).replace("−", "-").encode("cp1252"))
    result = run_import([path], example_copy)
    (file,) = result.files
    assert (file.imported, file.total_imported) == (2, D("39800.00"))
    assert "1 summarad(er) stämmer med raderna ovanför." in file.notes
    assert "teckenkodning Windows-1252" in file.notes[0] and "tabb" in file.notes[0]
    texts = {e.narration for e in load_ledger(example_copy).entries if hasattr(e, "narration")}
    assert "Månadslön" in texts  # personnel text replaced by the account's name
    assert "Kurs" in texts


def test_a_wrong_sum_row_in_a_csv_names_its_row(example_copy, tmp_path):
    path = tmp_path / "summa.csv"
    path.write_text(
        "Datum;Konto;Ansvar;Projekt;Belopp\n2021-01-25;5011;110240;CTC;100,00\n\nTotalt;;;;99,00\n",
        encoding="utf-8",
    )
    result = run_ctc("import", "--ledger", str(example_copy), str(path))
    assert result.returncode == 1
    assert "summaraden säger 99,00" in result.stderr and "rad 4" in result.stderr
    assert "blad" not in result.stderr


def test_the_mapping_fixes_separator_and_encoding(example_copy, tmp_path):
    path = tmp_path / "en_kolumn.csv"
    path.write_bytes(
        "Datum|Konto|Ansvar|Projekt|Belopp\n2021-01-25|5011|110240|CTC|1,5\n".encode("latin-1")
    )
    add_to_mapping(example_copy, '[csv]\nseparator = "|"\nencoding = "latin-1"\n')
    summary = run_import([path], example_copy, dry_run=True)
    assert summary.files[0].programme_total == D("1.50")
    assert (
        "avgränsare lodstreck, teckenkodning ISO-8859-1 (enligt mappningen)"
        in (summary.files[0].notes[0])
    )


def test_csv_rows_are_the_same_rows_as_in_a_workbook(example_copy, tmp_path):
    xlsx = export(tmp_path / "utfall.xlsx")
    csv = tmp_path / "utfall.csv"
    csv.write_text(
        "Ver.datum;Ver.nr;Konto;Ansvar;Projekt;Text;Belopp\n"
        "2021-01-25;V1;5011;110240;CTC;Månadslön Anna Andersson;41000\n"
        "2021-01-25;V2;5611;110240;CTC;Arbetsgivaravgifter;12 882,20\n",
        encoding="utf-8",
    )
    run_import([xlsx], example_copy)
    summary = run_import([csv], example_copy)
    assert (summary.files[0].imported, summary.files[0].duplicates) == (0, 2)


def test_excels_separator_line_decides_and_is_not_a_row(example_copy, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(
        'sep=,\nDatum,Konto,Ansvar,Projekt,Belopp\n2021/01/25,5011,110240,CTC,"1,5"\n'
        "2021.01.26,5011,110240,CTC,x\n",
        encoding="utf-8",
    )
    summary = run_import([path], example_copy, dry_run=True)
    (file,) = summary.files
    assert [(r.row, r.column, r.reason) for r in file.rejected] == [(3, "E", "oläsbart belopp 'x'")]
    assert file.by_year_committee == {"2021|KS": D("1.50")}
    assert "avgränsare komma" in file.notes[0]


def test_sie_amounts_with_a_comma_or_trailing_zeros_are_exact(tmp_path):
    path = tmp_path / "komma.se"
    path.write_text(
        "#FLAGGA 0\n#SIETYP 4\n#VER A 1 20220101\n{\n#TRANS 5011 {} 10,50\n"
        "#TRANS 1930 {} -10.500\n#TRANS 1930 {} 0.001\n}\n",
        encoding="utf-8",
    )
    sie = read_sie(path)
    assert [row.amount for row in sie.rows] == [D("10.50"), D("-10.500")]
    assert sie.problems == [(7, "oläsbart belopp '0.001' (väntade t.ex. -1234.50)")]


def test_the_separator_is_the_one_that_splits_consistently():
    assert sniff_separator("a;b;c\n1,5;2,5;3\n") == ";"
    assert sniff_separator("a,b,c\n1,2,3\n") == ","
    assert sniff_separator("a\tb\n1,5\t2\n") == "\t"


def test_the_mapping_checks_its_sie_and_csv_tables():
    from ctc.errors import UserError
    from ctc.source_formats import parse_source_formats

    formats = parse_source_formats({"sie": {"project_dimension": 0, "activity_dimension": 20}}, "m")
    assert (formats.sie.responsibility, formats.sie.project, formats.sie.activity) == (1, None, 20)
    assert parse_source_formats({"csv": {"separator": "tab"}}, "m").csv.separator == "\t"
    with pytest.raises(UserError, match=r'separator ska vara ";", ",", "\|" eller "tab"'):
        parse_source_formats({"csv": {"separator": ":"}}, "m")
    with pytest.raises(UserError, match="okänd teckenkodning 'klingon'"):
        parse_source_formats({"csv": {"encoding": "klingon"}}, "m")
    with pytest.raises(UserError, match="project_dimension ska vara ett dimensionsnummer"):
        parse_source_formats({"sie": {"project_dimension": "sex"}}, "m")
