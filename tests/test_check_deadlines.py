"""``fupin check`` never says 检查通过 over a deadline it cannot read: exit 1, task id, file and line."""

from __future__ import annotations

from support.plans import plan_folder

TASKS = """\
- {id: "1", text: 月报, units: [甲局], deadline: 每月25日前}
- {id: "2", text: 汛前检查, units: [乙局], deadline: 每年汛期前}
- {id: "3", text: 年报, units: [乙局], deadline: "2019年脱贫摘帽"}
"""


def test_check_fails_on_every_unreadable_deadline(fupin, tmp_path):
    folder = plan_folder(tmp_path / "plan", TASKS)
    tasks = folder / "tasks.yaml"
    lines = tasks.read_text(encoding="utf-8").splitlines()
    line_of = {task: next(i + 1 for i, text in enumerate(lines) if f'id: "{task}"' in text) for task in ("2", "3")}
    result = fupin("check", "--data", str(folder))
    assert result.code == 1
    assert "检查通过" not in result.out
    assert f"{tasks}:{line_of['2']}:" in result.out and "任务 2 的完成时限无法识别" in result.out
    assert "因地因年而异" in result.out
    assert f"{tasks}:{line_of['3']}:" in result.out and "任务 3 的完成时限无法识别" in result.out
    assert "“2019年”" in result.out and "^" in result.out
    # Reports still run, and say that some deadlines were not counted.
    due = fupin("due", "--data", str(folder), "--as-of", "2018-07-01", "--format", "json")
    assert due.code == 0 and "有 2 项任务的完成时限无法识别" in due.err


def test_check_fails_on_an_unreadable_schedule_phrase(fupin, tmp_path):
    folder = plan_folder(tmp_path / "plan", '- {id: "1", text: 月报, units: [甲局], schedule: [每月32日前]}')
    result = fupin("check", "--data", str(folder))
    assert result.code == 1
    assert "tasks.yaml:" in result.out + result.err and "超出范围" in result.out + result.err


def test_check_passes_a_plan_it_reads_whole(fupin, tmp_path):
    folder = plan_folder(tmp_path / "plan", '- {id: "1", text: 月报, units: [甲局], deadline: 每月5日和20日前}')
    result = fupin("check", "--data", str(folder))
    assert result.code == 0, result.out + result.err
