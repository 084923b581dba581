"""click's usage errors, said in Chinese (click only speaks English)."""

from __future__ import annotations

try:  # typer ≥ 0.29 carries its own copy of click
    from typer._click import exceptions as click
except ImportError:  # older typer runs on click itself
    from click import exceptions as click

ClickException = click.ClickException
NoArgsIsHelpError = getattr(click, "NoArgsIsHelpError", None)


def _param_name(exc) -> str:
    param = getattr(exc, "param", None)
    if param is not None:
        opts = getattr(param, "opts", None) or [param.name or ""]
        return "、".join(opts)
    return getattr(exc, "param_hint", None) or ""


def chinese_usage_message(exc) -> str:
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "fupin"
    if isinstance(exc, click.NoSuchOption):
        hint = f"；是否是指 {'、'.join(sorted(exc.possibilities))}？" if exc.possibilities else ""
        text = f"没有选项 {exc.option_name}{hint}"
    elif isinstance(exc, click.MissingParameter):
        is_argument = getattr(exc.param, "param_type_name", "") == "argument"
        text = f"缺少{'参数' if is_argument else '选项'} {_param_name(exc)}"
    elif isinstance(exc, click.BadOptionUsage):
        text = f"选项 {exc.option_name} 用法不对：{exc.message}"
    elif isinstance(exc, click.BadParameter):
        text = f"{_param_name(exc)} 的值无效：{exc.message}"
    elif isinstance(exc, click.UsageError) and "No such command" in exc.message:
        name = exc.message.split("'")[1] if "'" in exc.message else exc.message
        text = f"没有命令 “{name}”；fupin --help 列出全部命令"
    elif isinstance(exc, click.UsageError) and "unexpected extra argument" in exc.message:
        text = f"多余的参数：{exc.message.split('(')[-1].rstrip(')')}"
    else:
        text = exc.format_message()
    return f"错误：{text}\n用法见：{command} --help"
