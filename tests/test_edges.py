"""The smaller faults of issue 11: ``--output`` onto what is not a regular file, extreme values.

Each ended in damage (``--output /dev/null --force`` as root replaced /dev/null with a file) or in an
internal error (exit 70); now each is refused with a clear message and exit code 2.
"""

from __future__ import annotations

import os
import stat

import pytest

AS_OF = ("--as-of", "2018-07-16")


@pytest.mark.parametrize("kind", ["fifo", "device node", "link to a fifo"])
def test_output_refuses_what_is_not_a_regular_file_even_with_force(fupin, tmp_path, kind):
    target = tmp_path / "out"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device node":
        if os.geteuid() != 0:
            pytest.skip("needs root to make a device node")
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
    else:
        os.mkfifo(tmp_path / "pipe")
        target.symlink_to(tmp_path / "pipe")
    before = os.lstat(target)
    result = fupin("overdue", *AS_OF, "--output", str(target), "--force")
    assert result.code == 2
    assert result.err == (f"错误：{target} 不是普通文件（可能是设备、管道或套接字），即使加了 --force 也不会覆盖它；"
                          f"请换一个文件名\n")
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev)


def test_output_with_force_still_replaces_a_regular_file_and_a_dangling_link(fupin, tmp_path):
    existing = tmp_path / "old.txt"
    existing.write_text("旧内容", encoding="utf-8")
    assert fupin("overdue", *AS_OF, "--output", str(existing), "--force").code == 0
    assert "逾期" in existing.read_text(encoding="utf-8")
    dangling = tmp_path / "link"
    dangling.symlink_to(tmp_path / "nowhere")
    assert fupin("overdue", *AS_OF, "--output", str(dangling), "--force").code == 0
    assert dangling.is_file() and not dangling.is_symlink()


@pytest.mark.parametrize("old, new, message", [
    ("valid_to: 2018-12-31", "valid_to: 9999-12-31", "valid_to 9999-12-31 超出可用范围（1900 年至 2100 年）"),
    ("valid_from: 2018-04-25", "valid_from: 0001-01-01", "valid_from 0001-01-01 超出可用范围（1900 年至 2100 年）"),
    ("warn_days: 14", "warn_days: 99999999999", "warn_days 应是 0 到 3660 之间的整数，而不是“99999999999”"),
])
def test_extreme_plan_values_are_refused(fupin, plan_dir, old, new, message):
    tasks = plan_dir / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    assert old in text
    tasks.write_text(text.replace(old, new), encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    for command in (["due"], ["overdue"], ["report", "weekly"], ["calendar", "--month", "2018-07"]):
        result = fupin(*command, *AS_OF, "--data", str(plan_dir))
        assert result.code == 2, result.err
        assert result.err.startswith(f"错误：{tasks}:{line}:") and message in result.err


@pytest.mark.parametrize("args, message", [
    (["due", "--within", "99999999999"], "--within 的值 99999999999 超出范围：应在 0 到 3660 之间"),
    (["calendar", "--month", "9999-12"], "--month 的值 “9999-12” 年份超出范围：应在 1900 到 2100 年之间"),
    (["calendar", "--month", "0001-01"], "--month 的值 “0001-01” 年份超出范围：应在 1900 到 2100 年之间"),
])
def test_extreme_option_values_are_refused(fupin, args, message):
    """Bounded by the CLI's one reader of numbers and dates (issue 11 saw exit 70 for each)."""
    result = fupin(*args, *AS_OF)
    assert result.code == 2
    assert result.err == f"错误：{message}\n"
