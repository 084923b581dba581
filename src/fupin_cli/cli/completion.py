"""Tab completion for bash and zsh: the hook scripts, what they get back, and installing them.

typer's own hooks lose what fupin offers: its bash hook falls back to file
names whenever nothing matches, and its zsh hook filters candidates by the
typed prefix, so pinyin (``mz`` → 市民政局) never shows.  fupin's hooks ask
the program, which answers with candidates already filtered (any of them may
replace the typed word), or with the word ``::files`` / ``::folders`` when the
value is a path and the shell's own file-name completion should answer.
"""

from __future__ import annotations

import os
from pathlib import Path

from .clicklib import shell_completion

ShellComplete = shell_completion.ShellComplete

COMPLETE_VAR = "_FUPIN_COMPLETE"
FILES, FOLDERS = "::files", "::folders"

BASH_SCRIPT = r"""
_fupin_completion() {
    local -a answer
    # mapfile, not answer=( $(…) ): a candidate is never split or expanded as a file-name pattern.
    mapfile -t answer < <(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD _FUPIN_COMPLETE=complete_bash "$1")
    if [[ "${answer[0]}" == "::files" || "${answer[0]}" == "::folders" ]]; then
        compopt -o default
        COMPREPLY=()
    else
        COMPREPLY=( "${answer[@]}" )
    fi
    return 0
}
complete -F _fupin_completion fupin
""".strip() + "\n"

ZSH_SCRIPT = r"""
#compdef fupin

_fupin_completion() {
  local -a values descriptions
  local line
  local answer="$(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _FUPIN_COMPLETE=complete_zsh fupin)"
  case "$answer" in
    "::files") _files; return ;;
    "::folders") _files -/; return ;;
  esac
  for line in "${(@f)answer}"; do
    [[ -z "$line" ]] && continue
    values+=("${line%%$'\t'*}")
    descriptions+=("${line//$'\t'/  -- }")
  done
  (( ${#values} )) && compadd -U -l -d descriptions -a values
}

compdef _fupin_completion fupin
""".strip() + "\n"


class _Completion(ShellComplete):
    """Candidates for the word being typed, or the marker for file-name completion."""

    def answer(self, args: list[str], incomplete: str) -> tuple[str | None, list]:
        from .options import PathValue

        ctx = shell_completion._resolve_context(self.cli, self.ctx_args, self.prog_name, args)
        obj, incomplete = shell_completion._resolve_incomplete(ctx, args, incomplete)
        param_type = getattr(obj, "type", None)
        if isinstance(param_type, PathValue):
            return (FOLDERS if param_type.folder else FILES), []
        return None, obj.shell_complete(ctx, incomplete)

    def format_completion(self, item) -> str:  # required by click; fupin formats in ``complete``
        return item.value

    def source_vars(self) -> dict:  # required by click; fupin's scripts have nothing to fill in
        return {}


class BashCompletion(_Completion):
    name = "bash"
    source_template = BASH_SCRIPT

    def source(self) -> str:
        return BASH_SCRIPT

    def get_completion_args(self) -> tuple[list[str], str]:
        words = shell_completion.split_arg_string(os.environ["COMP_WORDS"])
        index = int(os.environ["COMP_CWORD"])
        return words[1:index], (words[index] if index < len(words) else "")

    def complete(self) -> str:
        marker, items = self.answer(*self.get_completion_args())
        return marker or "\n".join(item.value for item in items)


class ZshCompletion(_Completion):
    name = "zsh"
    source_template = ZSH_SCRIPT

    def source(self) -> str:
        return ZSH_SCRIPT

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = shell_completion.split_arg_string(line)
        args = words[1:]
        if args and not line.endswith(" "):
            return args[:-1], args[-1]
        return args, ""

    def complete(self) -> str:
        marker, items = self.answer(*self.get_completion_args())
        if marker:
            return marker
        return "\n".join(item.value + (f"\t{item.help}" if item.help else "") for item in items)


def register() -> None:
    """Make fupin's classes answer ``_FUPIN_COMPLETE=complete_bash|complete_zsh`` (typer's stay for fish)."""
    shell_completion.add_completion_class(BashCompletion, "bash")
    shell_completion.add_completion_class(ZshCompletion, "zsh")


def script(shell: str) -> str:
    if shell == "bash":
        return BASH_SCRIPT
    if shell == "zsh":
        return ZSH_SCRIPT
    from ..domain.errors import UsageError

    raise UsageError(f"暂不支持 {shell} 的 Tab 补全；支持 bash 和 zsh", subject="shell")


def detect_shell() -> str:
    """The user's shell: $SHELL when it is bash or zsh, else the parent process's (shellingham)."""
    login = Path(os.environ.get("SHELL", "")).name
    if login in ("bash", "zsh"):
        return login
    try:
        import shellingham

        return shellingham.detect_shell()[0]
    except Exception:  # no /proc, an unknown parent: say the login shell is not supported
        return login or "sh"


def install(shell: str, home: Path) -> Path:
    """Write the hook for ``shell`` under ``home`` and load it from the shell's start-up file."""
    if shell == "bash":
        target = home / ".bash_completions" / "fupin.sh"
        rc, line = home / ".bashrc", f"source '{target}'"
    elif shell == "zsh":
        target = home / ".zfunc" / "_fupin"
        rc, line = home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
    else:
        script(shell)  # says which shells are supported
        raise AssertionError(shell)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script(shell), encoding="utf-8")
    existing = rc.read_text(encoding="utf-8") if rc.exists() else ""
    if line not in existing:
        with rc.open("a", encoding="utf-8") as handle:
            handle.write(("" if existing.endswith("\n") or not existing else "\n") + line + "\n")
    return target
