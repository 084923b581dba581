"""Secrets in route configuration: ``${NAME}`` placeholders, the secrets file, redaction.

A route value may contain ``${NAME}`` placeholders (``NAME`` = letters, digits,
``_``, not starting with a digit).  Each is replaced by the environment
variable ``NAME`` or, when the environment has none, by the line ``NAME=value``
of the secrets file that the environment variable ``FUPIN_SECRETS`` names.

The secrets file: UTF-8, one ``NAME=value`` a line, blank lines and lines
starting with ``#`` ignored, a value may be wrapped in matching single or
double quotes.  It must be a regular file owned by the user running fupin,
readable by nobody else (``chmod 600``); otherwise fupin refuses it (exit 2).

A secret's value never appears in an error message, a repr or a log line:
messages name the placeholder, ``Secret`` shows itself as ``***`` and
``redact`` masks every known secret in any text shown to a person.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

from ..domain.errors import FupinError

SECRETS_ENV = "FUPIN_SECRETS"
MASK = "***"

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_PLACEHOLDER = re.compile(r"\$\{(" + _NAME + r")\}")
_LINE = re.compile(r"\s*(" + _NAME + r")\s*=(.*)")


class SecretError(FupinError):
    """A secret cannot be found or the secrets file cannot be used; exit 2."""


class Secret:
    """A secret string that shows itself as ``***``; ``reveal()`` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return repr(MASK)

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return format(MASK, spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac

        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self):
        # Pickling would write the value wherever the pickle goes.
        raise TypeError("a Secret cannot be pickled")


def redact(text: str, secrets: Iterable[str | Secret]) -> str:
    """``text`` with every occurrence of each secret (also URL-encoded) replaced by ``***``."""
    from urllib.parse import quote, quote_plus

    forms: set[str] = set()
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if value:
            forms.update((value, quote(value, safe=""), quote_plus(value)))
    # Longest first, so a secret containing another is masked whole.
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def placeholders(value: str) -> list[str]:
    """The names of the ``${NAME}`` placeholders in ``value``, in order."""
    return _PLACEHOLDER.findall(value)


class SecretStore:
    """Where ``${NAME}`` values come from: the environment first, then the secrets file."""

    def __init__(self, environ: Mapping[str, str], file_values: Mapping[str, str] | None = None,
                 file: str | None = None) -> None:
        self._environ = dict(environ)
        self._file_values = dict(file_values or {})
        self.file = file

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> SecretStore:
        """The store for ``environ``, with the secrets file ``environ[FUPIN_SECRETS]`` if set."""
        path = environ.get(SECRETS_ENV) or None
        values = read_secrets_file(path) if path else {}
        return cls(environ, values, path)

    def __repr__(self) -> str:
        return f"SecretStore(file={self.file!r}, names={sorted(self._file_values)!r})"

    def get(self, name: str, *, where: str) -> str:
        """The value of secret ``name``; ``where`` says which setting asked for it."""
        for source, values in (("环境变量", self._environ), ("密钥文件", self._file_values)):
            if name in values:
                if values[name] == "":
                    raise SecretError(f"{where}：{source}里的 {name} 是空的，"
                                      f"占位符 ${{{name}}} 需要一个值")
                return values[name]
        if self.file:
            hint = f"请设置环境变量 {name}，或在密钥文件 {self.file} 里加一行 {name}=…"
        else:
            hint = (f"请设置环境变量 {name}，或把它写进一个权限为 600 的密钥文件，"
                    f"并用环境变量 {SECRETS_ENV} 指向该文件")
        raise SecretError(f"{where}：找不到占位符 ${{{name}}} 的值；{hint}")

    def resolve(self, value: str, *, where: str) -> tuple[str, tuple[str, ...]]:
        """``value`` with its placeholders filled in, and the secret values used.

        A ``${`` that does not start a well-formed placeholder is an error rather
        than text sent as written.
        """
        used: list[str] = []

        def fill(match: re.Match) -> str:
            secret = self.get(match.group(1), where=where)
            used.append(secret)
            return secret

        bad = value.find("${")
        while bad != -1:
            if not _PLACEHOLDER.match(value, bad):
                raise SecretError(f"{where}：第 {bad + 1} 个字符处的 “${{” 不是完整的占位符；"
                                  f"占位符写作 ${{名称}}，名称由字母、数字和下划线组成，不以数字开头")
            bad = value.find("${", bad + 2)
        return _PLACEHOLDER.sub(fill, value), tuple(used)


def read_secrets_file(path: str) -> dict[str, str]:
    """The ``NAME=value`` pairs of the secrets file at ``path``, after checking who may read it."""
    import stat

    try:
        # O_NONBLOCK: opening a FIFO must not hang; anything but a regular file is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise SecretError(f"找不到密钥文件 {path}（环境变量 {SECRETS_ENV} 指向它）") from None
    except OSError as exc:
        raise SecretError(f"打不开密钥文件 {path}：{exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SecretError(f"密钥文件 {path} 不是普通文件")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise SecretError(f"密钥文件 {path} 不属于当前用户（属于 uid {info.st_uid}）；"
                              f"请用自己的账户创建它，并执行 chmod 600 {path}")
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            raise SecretError(f"密钥文件 {path} 的权限是 {mode:04o}，同组或其他用户也能读写；"
                              f"请执行 chmod 600 {path}")
        chunks = []
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
    finally:
        os.close(fd)
    try:
        text = b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SecretError(f"密钥文件 {path} 不是 UTF-8 编码（第 {exc.start + 1} 个字节）") from None
    return parse_secrets(text, path)


def parse_secrets(text: str, path: str) -> dict[str, str]:
    """Parse secrets-file text; errors name the line, never its content (it may hold a secret)."""
    values: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if not match:
            raise SecretError("这一行不是 名称=值 的写法（名称由字母、数字和下划线组成，不以数字开头）",
                              file=path, line=number)
        name, value = match.group(1), match.group(2).strip()
        if name in values:
            raise SecretError(f"{name} 重复定义（第 {first_line[name]} 行已有）", file=path, line=number)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
        first_line[name] = number
    return values
