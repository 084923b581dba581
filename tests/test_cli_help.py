"""Help pages: Chinese, wrapped by display width at 80 columns, and the README's tables of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperGroup

from fupin_cli.cli.app import app
from fupin_cli.cli.help import wrap_cells
from fupin_cli.domain.text import display_width

README = Path(__file__).resolve().parents[1] / "README.md"
CLICK_ENGLISH = re.compile(r"Usage:|Options:|Arguments:|Commands:|Show this message|\[default|\[required\]|"
                           r"Install completion|Show completion|env var")
CLOSING, OPENING = "，。、；：？！）》", "（《"


def all_commands(group, path=("fupin",)):
    yield path, group
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            yield from all_commands(command, (*path, name))
        else:
            yield (*path, name), command


ROOT = typer.main.get_command(app)
PAGES = list(all_commands(ROOT))


@pytest.mark.parametrize("path, command", PAGES, ids=[" ".join(p) for p, _ in PAGES])
def test_help_is_chinese_and_fits_80_columns(fupin, monkeypatch, path, command):
    monkeypatch.setenv("COLUMNS", "80")
    result = fupin(*path[1:], "--help")
    assert result.code == 0, result.err
    page = result.out
    assert page.startswith(f"用法：{' '.join(path)} [选项]")
    assert "选项：" in page and "-h, --help" in page and "显示本帮助并退出。" in page
    assert not CLICK_ENGLISH.search(page), page
    for line in page.splitlines():
        assert display_width(line) <= 80, line
        assert not line.strip() or line.strip()[0] not in CLOSING, line
        assert not line.rstrip() or line.rstrip()[-1] not in OPENING, line
    # No Latin word is cut: every word of the source texts is whole somewhere on the page.
    sources = [command.help or ""] + [getattr(p, "help", "") or "" for p in command.params]
    for word in set(re.findall(r"[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9]", " ".join(sources))):
        assert word in page, (word, page)
    for param in command.params:
        if param.param_type_name == "option":
            assert all(name in page for name in param.opts), param.opts


def test_the_root_help_lists_every_command_whole(fupin, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    page = fupin("--help").out
    commands = page.split("命令：\n", 1)[1]
    names = [line.split()[0] for line in commands.splitlines() if line.startswith("  ") and line[2] != " "]
    assert names == list(ROOT.commands)
    assert "init      把随软件安装的清单复制到文件夹，供本单位编辑；之后用 --data 文件夹" in page
    assert "Write an editable copy of the shipped plan." in page


def test_help_follows_a_narrower_terminal_and_stops_at_80(fupin, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    wide = fupin("done", "--help").out
    assert max(display_width(line) for line in wide.splitlines()) == 78  # click's 80 columns, less a margin
    monkeypatch.setenv("COLUMNS", "60")
    narrow = fupin("done", "--help").out
    assert max(display_width(line) for line in narrow.splitlines()) <= 58


def test_wrap_cells_counts_wide_characters_twice_and_keeps_words_whole():
    text = "以哪一天为“今天”；默认为计划时区的今天。环境变量 FUPIN_TODAY。写法：2018-07-15、今天、上周五。"
    assert wrap_cells(text, 30, "  ", "  ") == [
        "  以哪一天为“今天”；默认为计划",
        "  时区的今天。环境变量",
        "  FUPIN_TODAY。写法：",
        "  2018-07-15、今天、上周五。",
    ]
    assert wrap_cells("单位组（如 各区（县））要写明", 12) == ["单位组（如", "各区（县））", "要写明"]
    assert wrap_cells("例：fupin done 8.2 --by 张三", 20, at_spaces_only=True) == ["例：fupin done 8.2", "--by 张三"]
    assert wrap_cells("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


# ---------------------------------------------------------------- the README's tables

def leaf_commands():
    for path, command in PAGES:
        if not isinstance(command, TyperGroup):
            yield " ".join(path[1:]), command


def readme_rows(header: str) -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    start = text.index(header)
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _commands_in(cell: str) -> set[str]:
    cell = re.sub(r"（[^（）]*(（[^（）]*）[^（）]*)*）", "", cell)  # notes in brackets, nested ones too
    return {name.strip() for name in re.split(r"[、；;]", cell) if name.strip()}


def test_the_readme_option_table_names_every_option_of_every_command():
    rows = readme_rows("| 选项 | 命令 | 取值 |")
    table = [(set(re.findall(r"`(-[^`]+)`", names)), _commands_in(commands)) for names, commands, _ in rows]
    missing = []
    for name, command in leaf_commands():
        for param in command.params:
            for option in param.opts:
                if param.param_type_name == "option" and not any(
                        option in options and name in commands for options, commands in table):
                    missing.append(f"{name} {option}")
    for param in ROOT.params:
        if not any(param.opts[0] in options and "fupin" in commands for options, commands in table):
            missing.append(f"fupin {param.opts[0]}")
    assert missing == []
    # … and names no option a command does not have.
    known = {(name, option) for name, command in leaf_commands() for p in command.params for option in p.opts}
    known |= {("fupin", option) for p in ROOT.params for option in p.opts}
    extra = [(c, o) for options, commands in table for c in commands for o in options if (c, o) not in known]
    assert extra == []


def test_the_readme_format_table_is_each_commands_choices():
    rows = readme_rows("| 命令 | `--format` |")
    documented = {name: re.findall(r"`([a-z]+)`", formats) for names, formats in rows for name in _commands_in(names)}
    actual = {name: list(next(p for p in command.params if p.name == "fmt").type.choices)
              for name, command in leaf_commands() if any(p.name == "fmt" for p in command.params)}
    assert documented == actual
    from fupin_cli.cli.options import FormatName

    for name, command in leaf_commands():
        fmt = next((p for p in command.params if p.name == "fmt"), None)
        if fmt is not None and isinstance(fmt.type, FormatName) and name not in ("done", "progress", "extend", "waive"):
            assert {"text", "csv"} <= set(fmt.type.choices), name  # every command that prints rows
