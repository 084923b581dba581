"""A journal path someone named whose folder is not there is a typing slip: refused, nothing created.

Only fupin's own default place (the user's data folder, for the shipped plan) is created on first use.
"""

from __future__ import annotations

DONE = ("done", "8.2", "--unit", "市残联", "--period", "2018-06", "--date", "2018-07-03", "--as-of", "2018-07-15")


def test_done_refuses_a_journal_in_a_folder_that_is_not_there(fupin, tmp_path):
    journal = tmp_path / "没有的文件夹" / "台账.jsonl"
    result = fupin(*DONE, "--journal", str(journal))
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"错误：{journal}: 台账所在的文件夹 {journal.parent} 不存在（路径写错了？）；什么也没有写入\n"
    assert not journal.parent.exists()


def test_fupin_journal_naming_a_missing_folder_is_refused_too(fupin, tmp_path, monkeypatch):
    journal = tmp_path / "a" / "b" / "journal.jsonl"
    monkeypatch.setenv("FUPIN_JOURNAL", str(journal))
    result = fupin(*DONE)
    assert result.code == 2
    assert "台账所在的文件夹" in result.err
    assert not (tmp_path / "a").exists()


def test_the_default_journal_of_the_shipped_plan_gets_its_folder(fupin, tmp_path, monkeypatch):
    monkeypatch.delenv("FUPIN_JOURNAL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    result = fupin(*DONE)
    assert result.code == 0, result.err
    journal = tmp_path / "data-home" / "fupin" / "journal.jsonl"
    assert [line["task"] for line in map(__import__("json").loads, journal.read_text().splitlines())] == ["8.2"]
