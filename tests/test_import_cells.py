"""Reading single cells exactly: amounts, dates, periods, codes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ctc.importers.reading.cells import (
    CellError,
    parse_amount,
    parse_code,
    parse_date,
    parse_fte,
    parse_period,
    period_end,
)

D = Decimal


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("12 345,67", D("12345.67")),
        ("-1 234,00", D("-1234.00")),
        ("1 234,50 kr", D("1234.50")),
        ("1\u00a0234,50", D("1234.50")),
        ("1\u2009234,50", D("1234.50")),
        ("1\u202f234,50", D("1234.50")),
        ("\u22121 234,00", D("-1234.00")),
        ("1.234,50", D("1234.50")),
        ("1,234.50", D("1234.50")),
        ("(500,00)", D("-500.00")),
        ("500,00-", D("-500.00")),
        ("SEK 12", D("12.00")),
        (52476.52, D("52476.52")),
        (0.1 + 0.2, D("0.30")),
        (12, D("12.00")),
        (-0.07, D("-0.07")),
    ],
)
def test_amounts_become_exact_ore(cell, amount):
    parsed = parse_amount(cell)
    assert parsed == amount
    assert parsed.as_tuple().exponent == -2


@pytest.mark.parametrize("cell", ["12,34,56", "tolv", "", "1 234,567", 12.345, True, "--5"])
def test_unreadable_amounts_are_refused_with_a_reason(cell):
    with pytest.raises(CellError):
        parse_amount(cell)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        (datetime.date(2019, 3, 10), datetime.date(2019, 3, 10)),
        (datetime.datetime(2019, 3, 10, 0, 0), datetime.date(2019, 3, 10)),
        ("2019-03-10", datetime.date(2019, 3, 10)),
        ("2019-03-10 00:00:00", datetime.date(2019, 3, 10)),
        ("20190310", datetime.date(2019, 3, 10)),
        ("2019/03/10", datetime.date(2019, 3, 10)),
        ("2019.3.10", datetime.date(2019, 3, 10)),
        (20190310, datetime.date(2019, 3, 10)),
        (43534.0, datetime.date(2019, 3, 10)),
    ],
)
def test_dates_in_every_form(cell, day):
    assert parse_date(cell) == day


@pytest.mark.parametrize(
    "cell", ["2019-02-30", "igår", "10/3/2019", "2019-03/10", "#REF!", 12.5, ""]
)
def test_unreadable_dates_are_refused(cell):
    with pytest.raises(CellError):
        parse_date(cell)


def test_periods_and_the_closing_period():
    assert parse_period("201903") == (2019, 3)
    assert parse_period(201913.0) == (2019, 13)
    assert parse_period("2019-03") == (2019, 3)
    assert period_end(2019, 13) == datetime.date(2019, 12, 31)
    assert period_end(2024, 2) == datetime.date(2024, 2, 29)
    for bad in ("201914", "201900", "2019", "mars"):
        with pytest.raises(CellError):
            parse_period(bad)


def test_codes_written_as_numbers_stay_exact():
    assert parse_code(5011.0) == "5011"
    assert parse_code(" 310310 ") == "310310"
    assert parse_code(110240) == "110240"


def test_fte_in_several_forms():
    assert parse_fte("75 %") == D("0.75")
    assert parse_fte("0,5") == D("0.5")
    assert parse_fte(1.0) == D("1")
