"""``done`` never creates a journal that should exist, and new journals get the folder's permissions.

Issue 11: a ``git pull`` deletes and recreates the journal; ``done`` appending with ``O_CREAT`` in that
gap made a fresh one-line journal (3,018 lines → 1, and ``check`` passed).  Now a journal fupin has
seen before is never created afresh: missing, or shorter than when fupin last read it, the write is
refused (exit 2) and the message says why.  Journals are created by ``init`` or by the first write
to a new path, with what the umask allows, and group-writable when the folder is.
"""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

AS_OF = ("--as-of", "2018-10-15")


def done(fupin, unit: str = "金平区", period: str = "2018-06", *extra: str):
    return fupin("done", "5.1", "--unit", unit, "--period", period, *AS_OF, *extra)


def test_a_journal_that_vanished_is_not_created_afresh(fupin, journal_path):
    assert done(fupin).code == 0
    assert done(fupin, "龙湖区").code == 0
    size = journal_path.stat().st_size
    assert fupin("overdue", "--format", "json", *AS_OF).code == 0  # fupin reads it: the index remembers it
    journal_path.unlink()  # git's gap
    result = done(fupin, "濠江区")
    assert result.code == 2
    assert result.err == (f"错误：{journal_path}: 台账文件不存在，但 fupin 之前读写过它（当时 {size} 字节）：可能 git 或其他程序"
                          f"正在替换它，也可能被删除了。为免新建一个空台账而丢失记录，本次没有写入。请稍后重试；如果确实要从空台账"
                          f"重新开始，先运行 touch '{journal_path}'，再运行 fupin check，然后销号\n")
    assert not journal_path.exists()
    check = fupin("check")
    assert check.code == 1 and f"{journal_path}: 台账不存在了，但 fupin 上次读取时它有 {size} 字节" in check.out


def test_the_lock_file_remembers_the_journal_without_a_cache(fupin, journal_path, monkeypatch):
    monkeypatch.setenv("FUPIN_NO_CACHE", "1")
    assert done(fupin).code == 0
    size = journal_path.stat().st_size
    assert (journal_path.parent / "journal.jsonl.lock").read_text() == f"{size}\n"
    journal_path.unlink()
    result = done(fupin, "龙湖区")
    assert result.code == 2 and "台账文件不存在，但 fupin 之前读写过它" in result.err
    assert not journal_path.exists()


def test_a_journal_shorter_than_last_seen_is_not_written_until_checked(fupin, journal_path):
    for unit in ("金平区", "龙湖区", "濠江区"):
        assert done(fupin, unit).code == 0
    assert fupin("overdue", "--format", "json", *AS_OF).code == 0
    lines = journal_path.read_bytes().splitlines(keepends=True)
    seen = journal_path.stat().st_size
    journal_path.write_bytes(lines[0])  # git rewriting it, half written
    result = done(fupin, "潮阳区")
    assert result.code == 2
    assert result.err == (f"错误：{journal_path}: 台账比 fupin 上次读取时短（现在 {len(lines[0])} 字节，上次 {seen} 字节）："
                          f"可能 git 或其他程序正在改写它，本次没有写入。请稍后重试；如果是有意删改了台账，先运行 fupin check "
                          f"查看，然后再销号\n")
    assert journal_path.read_bytes() == lines[0]
    check = fupin("check")
    assert check.code == 1 and f"台账比 fupin 上次读取时短（现在 {len(lines[0])} 字节，上次 {seen} 字节）" in check.out
    assert done(fupin, "潮阳区").code == 0  # check has shown it: the journal as it is now is the truth
    assert len(journal_path.read_bytes().splitlines()) == 2


def test_first_use_of_a_new_path_creates_the_journal(fupin, tmp_path):
    (tmp_path / "新的").mkdir()  # a folder that is not there is refused (tests/test_journal_folder.py)
    fresh = tmp_path / "新的" / "台账.jsonl"
    result = done(fupin, "金平区", "2018-06", "--journal", str(fresh))
    assert result.code == 0, result.err
    assert len(fresh.read_bytes().splitlines()) == 1


def test_init_creates_the_journal_empty(fupin, tmp_path):
    folder = tmp_path / "office"
    assert fupin("init", str(folder)).code == 0
    assert (folder / "journal.jsonl").read_bytes() == b""
    assert "*.lock" in (folder / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("umask, group_writable_folder, expected", [
    (0o022, False, 0o644),
    (0o002, False, 0o664),
    (0o077, False, 0o600),
    (0o022, True, 0o664),  # a shared office folder: every member of the group can record
])
def test_new_journals_honour_the_umask_and_the_folder(fupin, tmp_path, umask, group_writable_folder, expected):
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o2775 if group_writable_folder else 0o755)
    journal = folder / "journal.jsonl"
    old = os.umask(umask)
    try:
        assert done(fupin, "金平区", "2018-06", "--journal", str(journal)).code == 0
        assert fupin("init", str(folder / "office")).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(journal.stat().st_mode) == expected
    assert stat.S_IMODE((folder / "journal.jsonl.lock").stat().st_mode) == expected
    if not group_writable_folder:
        assert stat.S_IMODE((folder / "office" / "journal.jsonl").stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as another member of the group")
def test_another_member_of_the_group_can_write_a_shared_journal(fupin, tmp_path):
    """Created by the first clerk (umask 022) in a group folder; the second clerk (nobody, same group)
    can open both the journal and its lock for writing."""
    import shutil
    import tempfile
    from pathlib import Path

    office_group = 4242
    outside = Path(tempfile.mkdtemp(prefix="fupin-office-"))  # pytest's own folders are private to root
    outside.chmod(0o755)
    request_cleanup = shutil.rmtree
    folder = outside / "shared"
    folder.mkdir()
    os.chown(folder, 0, office_group)
    folder.chmod(0o2775)
    journal = folder / "journal.jsonl"
    old = os.umask(0o022)
    try:
        assert done(fupin, "金平区", "2018-06", "--journal", str(journal)).code == 0
    finally:
        os.umask(old)

    def as_second_clerk():
        os.setgroups([office_group])
        os.setgid(65534)
        os.setuid(65534)

    try:
        for target in (journal, folder / "journal.jsonl.lock"):
            assert target.stat().st_gid == office_group
            opened = subprocess.run(["/bin/sh", "-c", f"exec 3>>'{target}'"], preexec_fn=as_second_clerk,
                                    capture_output=True, text=True)
            assert opened.returncode == 0, opened.stderr
    finally:
        request_cleanup(outside, ignore_errors=True)
