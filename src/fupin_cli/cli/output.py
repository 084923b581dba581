"""Writing what a command shows: in the format chosen once, to the terminal, a pipe or a file."""

import os
import stat
import sys
from pathlib import Path

from ..domain.errors import OutputError, UsageError
from ..domain.text import terminal_safe
from ..output.formats import FORMATS, Target, View, formats_for


def choices(view_offers: set[str], *, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The ``--format`` choices of a command whose view offers ``view_offers``."""
    return formats_for(frozenset(view_offers), exclude=exclude)


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise UsageError(f"--format 的值 “{value}” 无效，可选：{'、'.join(allowed)}", subject="format")
    return value


def _columns() -> int | None:
    env = os.environ.get("COLUMNS", "")
    return int(env) if env.isdigit() and int(env) > 0 else None


def _target(output: Path | None, wide: bool = False) -> Target:
    """A file is as wide as its content; a pipe follows COLUMNS when set; a terminal its own width."""
    if output is not None:
        return Target(terminal=False, wide=wide)
    if not sys.stdout.isatty():
        return Target(terminal=False, width=_columns(), wide=wide)
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        width = None
    return Target(terminal=True, width=_columns() or width, wide=wide)


def show(view: View, fmt: str, output: Path | None = None, force: bool = False, *, wide: bool = False) -> None:
    """Render ``view`` in ``fmt`` and write it to stdout or ``output``."""
    emit(FORMATS[fmt].render(view, _target(output, wide)), output, force, binary=FORMATS[fmt].binary)


def emit(text_or_bytes, output: Path | None, force: bool, *, binary: bool = True) -> None:
    """Write rendered output to stdout, or to ``output`` (never over an existing file without --force).

    Bytes are written as they are: a binary format's (refused on a terminal) or UTF-8 text (JSON)."""
    if output is None:
        if isinstance(text_or_bytes, bytes):
            if binary and sys.stdout.isatty():
                raise UsageError("该格式是二进制文件（xlsx、docx），请用 --output 文件名 写入文件", subject="output")
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is None and not binary:  # a stream of text only (a caller's StringIO): JSON as text
                sys.stdout.write(text_or_bytes.decode("utf-8"))
                return
            sys.stdout.flush()
            buffer.write(text_or_bytes)
        else:
            sys.stdout.write(text_or_bytes)
        return
    write_output(output, text_or_bytes, force)
    print(f"已写入 {terminal_safe(str(output), keep_newlines=True)}", file=sys.stderr)


def write_output(path: Path, content, force: bool) -> None:
    """Write ``content`` to ``path``: a new file, or (with ``force``) over a regular file.

    Anything else is refused, even with ``force``: a folder, a device (as root, ``--force`` onto
    /dev/null would replace it), a FIFO, a socket, or a link to one of them.
    """
    if path.is_symlink() or path.exists():
        if not force:
            raise OutputError(f"文件已存在：{path}（如要覆盖，加 --force）")
        if path.is_dir():
            raise OutputError(f"{path} 是文件夹，不能写入报表")
        try:
            mode = path.stat().st_mode  # through a link: what it points at
        except FileNotFoundError:
            mode = None  # a dangling link: replaced by the new file
        except OSError as exc:
            raise OutputError(f"无法写入 {path}：{exc.strerror}") from None
        if mode is not None and not stat.S_ISREG(mode):
            raise OutputError(f"{path} 不是普通文件（可能是设备、管道或套接字），即使加了 --force 也不会覆盖它；"
                              f"请换一个文件名")
    import tempfile  # only a file written needs it (random and hashlib with it: ~3 ms of every run)

    data = content if isinstance(content, bytes) else content.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    try:
        # Write beside the target and rename: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a printout is for sharing
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        from ..journal.jsonl.files import describe_oserror

        raise OutputError(f"无法写入 {path}：{describe_oserror(exc)}") from None


def warn(message: str) -> None:
    """A warning for people, on stderr."""
    print(f"提示：{terminal_safe(message, keep_newlines=True)}", file=sys.stderr)
