"""Replacing files atomically and durably (`ctc.files`), and an import's staged write."""

from __future__ import annotations

import os
import stat

import pytest

from ctc import files
from ctc.files import atomic_write, replace_file, stage_bytes
from ctc.importers.writing.ledger_files import Changes


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_replaces_the_file_keeps_its_mode_and_syncs_file_and_folder(
    tmp_path, monkeypatch
):
    path = tmp_path / "books" / "main.beancount"
    atomic_write(path, "gammal\n")
    path.chmod(0o640)
    synced = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic_write(path, "ny\r\n")
    assert path.read_bytes() == b"ny\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert synced == ["file", "folder"]
    assert leftovers(path.parent) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("old", encoding="utf-8")

    def broken(handle):
        handle.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_file(path, broken)
    assert path.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []


def test_a_staged_file_is_not_in_place_until_committed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old", encoding="utf-8")
    pending = stage_bytes(path, b"new")
    assert path.read_text(encoding="utf-8") == "old"
    assert pending.temporary.read_bytes() == b"new"
    pending.discard()
    assert path.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path) == []
    stage_bytes(path, b"new").commit()
    assert path.read_text(encoding="utf-8") == "new"


def test_changes_write_every_file_before_renaming_and_put_back_on_a_failed_rename(tmp_path):
    old = tmp_path / "positions.beancount"
    old.write_bytes(b"; gammal\r\n")
    archive = tmp_path / "documents" / "x.xlsx"
    source = tmp_path / "x.xlsx"
    source.write_bytes(b"PK")
    changes = Changes(tmp_path)
    changes.set_text(old, changes.current(old) + "; ny\n")
    changes.set_text(tmp_path / "costs" / "2024.beancount", "; kostnader\n")
    changes.copies[archive] = source
    assert changes.current(old) == "; gammal\r\n; ny\n"  # read as bytes: line ends kept
    transaction = changes.begin()
    staged = [tmp_path / e.staged for e in transaction.journal.files]
    assert [p.read_bytes() for p in staged] == [b"; gammal\r\n; ny\n", b"; kostnader\n", b"PK"]
    assert old.read_bytes() == b"; gammal\r\n"

    def full(action, path):
        if action == "rename" and path == archive:
            raise OSError("no space")

    files.fault_hook = full
    try:
        with pytest.raises(OSError, match="no space"):
            transaction.apply()
    finally:
        files.fault_hook = None
    transaction.rollback()
    assert old.read_bytes() == b"; gammal\r\n"
    assert not (tmp_path / "costs").exists()
    assert not (tmp_path / "documents").exists()
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["positions.beancount", "x.xlsx"]
