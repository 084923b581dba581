"""``fupin sync``: the way to share a data folder between offices through git."""

from typing import Annotated, Optional

import typer

from ...domain.text import terminal_safe
from ..options import DataOpt, JournalOpt, Text, context


def sync_cmd(
    message: Annotated[Optional[str], typer.Option("--message", "-m", click_type=Text("说明"),
                                                   help="提交说明；默认写明台账新增几行。", show_default=False)] = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """与其他办公室同步：提交数据文件夹的改动，从远程拉取（台账按行合并）并推送；全程锁住台账。Share through git.

    例：fupin sync --data ./扶贫数据
    """
    from ...app.sync import sync

    ctx = context(data=data, journal=journal)
    result = sync(ctx, message)
    print(terminal_safe(f"已提交：{result.committed}") if result.committed else "没有需要提交的改动。")
    for note in result.notes:
        print(terminal_safe(f"提示：{note}"))
    if result.remote is not None:
        print(terminal_safe(f"已与 {result.remote} 同步：拉取到 {result.merged_lines} 行新台账记录，"
                            + ("已推送。" if result.pushed else "未推送。")))


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("sync")(sync_cmd)
