"""Excel's column names: A, B, ..., Z, AA, ... and their 0-based indexes.

Readers need them both ways: a sheet's `<dimension>` and cell references name
columns by letters, and every rejection names its column as the user sees it.
"""

from __future__ import annotations


def column_letter(index: int) -> str:
    """The column name of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of a column name: A -> 0, AA -> 26 (the inverse of `column_letter`)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1
