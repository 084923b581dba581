"""report notice: one 督办通知单 per unit — to stdout, one file, or one file per unit."""

from __future__ import annotations

from support import report_plans as rp

AS_OF = ("--as-of", "2018-07-16")


def run_on(fupin, tmp_path, *args):
    data, journal = rp.folder(tmp_path)
    return fupin("report", "notice", *args, "--data", str(data), "--journal", str(journal), *AS_OF)


def test_notice_json_lists_overdue_and_due_soon_with_the_deadline_words(fupin, tmp_path):
    result = run_on(fupin, tmp_path, "--unit", "西区", "--format", "json")
    assert result.code == 0, result.err
    record = result.json()
    assert (record["as_of"], record["within"]) == ("2018-07-16", 14)
    [notice] = record["notices"]
    assert (notice["unit"], notice["number"]) == ("西区", "20180716-01")
    assert [(r["task"], r["period"], r["deadline"]) for r in notice["overdue"]] == [
        ("2", "2018-Q1", "每季度末"), ("2", "2018-Q2", "每季度末")]
    assert [(r["task"], r["due"], r["days"]) for r in notice["due_soon"]] == [("4", "2018-07-20", 4)]


def test_notice_text_reads_as_a_letter(fupin, tmp_path):
    out = run_on(fupin, tmp_path, "--unit", "西区").out
    lines = out.splitlines()
    assert lines[0] == "督办通知单（西区）" and lines[2] == "编号：20180716-01" and lines[4] == "西区："
    assert "　　根据《测试清单》（测试〔2018〕1号），截至2018年7月16日，你单位承担的任务中有 2 项逾期未完成、" \
           "1 项将在 14 天内到期，明细如下。" in out
    assert "督办事项（2 项任务：逾期 2 期，14 天内到期 1 期）" in out
    assert "2018年第一季度、第二季度" in out and "2018年7月20日：7月20日" in out
    assert "督办单位：测试办（盖章）" in out and "签收人（西区）" in out


def test_a_group_gives_a_page_per_member_with_something_to_urge(fupin, tmp_path):
    record = run_on(fupin, tmp_path, "--unit", "各区", "--format", "json").json()
    assert [n["unit"] for n in record["notices"]] == ["东区", "西区"]
    assert [n["number"] for n in record["notices"]] == ["20180716-01", "20180716-02"]


def test_a_unit_with_nothing_to_urge_gets_a_notice_saying_so(fupin, tmp_path):
    out = run_on(fupin, tmp_path, "--unit", "乙局").out
    assert "你单位没有逾期未完成或 14 天内到期的任务。" in out and "督办事项" not in out


def test_each_unit_writes_one_file_per_unit(fupin, tmp_path):
    folder = tmp_path / "通知单"
    result = run_on(fupin, tmp_path, "--each-unit", "--output-dir", str(folder))
    assert result.code == 0, result.err
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["督办通知单-东区-20180716.html", "督办通知单-甲局-20180716.html", "督办通知单-西区-20180716.html"]
    assert "督办通知单（西区）" in (folder / "督办通知单-西区-20180716.html").read_text(encoding="utf-8")
    assert "编号：20180716-03" in (folder / "督办通知单-西区-20180716.html").read_text(encoding="utf-8")
    assert result.err.count("已写入") == 3
    again = run_on(fupin, tmp_path, "--each-unit", "--output-dir", str(folder))
    assert again.code == 2 and "已存在" in again.err and "--force" in again.err
    forced = run_on(fupin, tmp_path, "--each-unit", "--output-dir", str(folder), "--format", "docx", "--force")
    assert forced.code == 0 and len(list(folder.glob("*.docx"))) == 3


def test_notice_needs_a_unit_or_each_unit(fupin, tmp_path):
    for args, words in ((("--format", "json"), "请用 --unit 指定单位，或用 --each-unit"),
                        (("--unit", "甲局", "--each-unit"), "--unit 与 --each-unit 只能选一个"),
                        (("--unit", "甲局", "--output-dir", str(tmp_path / "d")), "--output-dir 需与 --each-unit 同用"),
                        (("--each-unit", "--output-dir", str(tmp_path / "d"), "--format", "table"),
                         "--format 的值 “table” 无效")):
        result = run_on(fupin, tmp_path, *args)
        assert result.code == 2 and words in result.err, (args, result.err)
        assert not (tmp_path / "d").exists()


def test_file_names_are_safe(fupin):
    from fupin_cli.cli.commands.reports import notice_file_name
    from datetime import date

    assert notice_file_name("a/b:c\x1b[31m", date(2018, 7, 16), "docx") == "督办通知单-a_b_c-20180716.docx"
    assert notice_file_name("..", date(2018, 7, 16), "html") == "督办通知单-单位-20180716.html"
