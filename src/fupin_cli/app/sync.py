"""``fupin sync``: share the data folder through git — commit, pull (union merge of journals), push —
all while holding the journal's write lock, so no fupin write can land while git rewrites the file.

git runs as a subprocess (``git -C <repository> …``).  Each failure becomes a :class:`SyncError`
in Chinese that names the git command to run by hand; git's own last words follow as the detail.
Nothing here prints: the result says what happened, the CLI words it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import FupinError, UsageError
from .context import RunContext

PUSH_ATTEMPTS = 3  # someone pushed between our pull and our push: pull again, at most this often
PLAN_FILES = ("tasks.yaml", "units.yaml", ".gitattributes", ".gitignore")


class SyncError(FupinError):
    """A git step of ``fupin sync`` failed; the message names the command to run by hand."""

    exit_code = 3


@dataclass
class SyncResult:
    repository: Path
    committed: str | None = None  # the commit message, when there was something to commit
    merged_lines: int = 0  # journal lines that came in from the remote
    pushed: bool = False
    remote: str | None = None  # None: the repository has no remote
    notes: list[str] = field(default_factory=list)


@dataclass
class _Git:
    root: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_MERGE_AUTOEDIT": "no"}
        try:
            done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", env=env, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise SyncError(f"无法运行 git：{exc.strerror}") from None
        if check and done.returncode != 0:
            raise self.failure(args, done)
        return done

    def command(self, *args: str) -> str:
        """The command a person would type, from the repository folder."""
        return f"cd {shlex.quote(str(self.root))} && git {' '.join(shlex.quote(a) for a in args)}"

    def failure(self, args, done: subprocess.CompletedProcess, what: str = "") -> SyncError:
        said = _last_words(done)
        return SyncError(f"{what or 'git 命令失败'}：{self.command(*args)}（git 说：{said}）")


def _last_words(done: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith(("hint:", "Auto-merging"))]
    return "；".join((useful or lines or ["没有输出"])[-2:])


def lines_lost_since_commit(journal: Path) -> list[str] | None:
    """Lines of the journal as last committed to git that the file no longer has (None: not in git).

    A journal only grows; committed lines that vanished were lost (a pull racing a write, a bad
    edit), and ``git commit -a`` would spread the loss to every clone.
    """
    if shutil.which("git") is None:
        return None
    journal = Path(os.path.realpath(journal))
    git = _Git(journal.parent)
    committed = git.run("show", f"HEAD:./{journal.name}", check=False)
    if committed.returncode != 0:
        return None  # not a repository, no commit yet, or the journal is not tracked
    try:
        now = set(journal.read_bytes().decode("utf-8", "replace").splitlines())
    except FileNotFoundError:
        now = set()
    except OSError:
        return None
    return [line for line in committed.stdout.splitlines() if line.strip() and line not in now]


def repository_of(folder: Path) -> Path:
    """The top of the git work tree holding ``folder``."""
    if shutil.which("git") is None:
        raise SyncError("没有找到 git 命令：fupin sync 通过 git 共享台账，请先安装 git")
    found = _Git(Path(folder)).run("rev-parse", "--show-toplevel", check=False)
    if found.returncode != 0:
        raise SyncError(f"数据文件夹 {folder} 不在 git 仓库中。先建立仓库：cd {shlex.quote(str(folder))} && git init "
                        f"&& git add . && git commit -m 清单，再用 git remote add origin 仓库地址 连接共享的仓库")
    return Path(found.stdout.strip())


def sync(context: RunContext, message: str | None = None) -> SyncResult:
    """Commit the data folder's changes, pull and push, holding the journal's lock throughout."""
    if context.data_dir is None:
        raise UsageError("fupin sync 需要数据文件夹：请用 --data 文件夹 或设置 FUPIN_DATA（文件夹应在 git 仓库中）",
                         subject="data")
    folder = Path(context.data_dir).resolve()
    root = repository_of(folder)
    git = _Git(root)
    journal = Path(os.path.realpath(context.journal_path))
    try:
        journal_in_repo = journal.relative_to(root)
    except ValueError:
        raise UsageError(f"台账 {context.journal_path} 不在 git 仓库 {root} 中，fupin sync 无法共享它；"
                         f"请用数据文件夹里的 journal.jsonl", subject="journal") from None
    merge = git.run("check-attr", "merge", "--", str(journal_in_repo)).stdout.strip()
    if not merge.endswith(": union"):
        raise SyncError(f"台账 {journal_in_repo} 没有设置按行合并（union），两处同时销号时 git 会报冲突。"
                        f"请先运行：cd {shlex.quote(str(root))} && echo '*.jsonl merge=union' >> .gitattributes "
                        f"&& git add .gitattributes && git commit -m 台账按行合并")
    result = SyncResult(repository=root)
    with context.store.locked():
        lost = lines_lost_since_commit(journal)
        if lost:
            raise SyncError(f"台账中有 {len(lost)} 行已提交的记录不见了（如：{lost[0][:80]}），这样提交会把它们从"
                            f"所有副本中删除，本次没有同步。请先查看：{git.command('diff', '--', str(journal_in_repo))}；"
                            f"恢复：{git.command('checkout', '--', str(journal_in_repo))}（之后新记的销号需重新登记）")
        before = _line_count(journal)
        result.committed = _commit(git, folder, journal, message)
        remotes = git.run("remote").stdout.split()
        if not remotes:
            result.notes.append(f"仓库没有远程仓库，只提交到了本地；要与其他办公室共享，运行："
                                f"{git.command('remote', 'add', 'origin')} 仓库地址")
            return result
        branch = git.run("rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
        upstream = git.run("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}", check=False)
        if upstream.returncode != 0:
            raise SyncError(f"当前分支 {branch} 还没有对应的远程分支；第一次请运行："
                            f"{git.command('push', '-u', remotes[0], branch)}，以后用 fupin sync 即可")
        result.remote = upstream.stdout.strip()
        for attempt in range(PUSH_ATTEMPTS):
            _pull(git)
            pushed = git.run("push", check=False)
            if pushed.returncode == 0:
                result.pushed = True
                break
            if not _rejected_as_behind(pushed):
                raise git.failure(("push",), pushed, "推送到远程仓库失败（本地提交已保留，可稍后再运行 fupin sync）")
        else:
            raise SyncError(f"推送一再被拒绝：其他办公室正在同时推送。请稍后再运行 fupin sync，或手工运行："
                            f"{git.command('pull', '--no-rebase')} && git push")
        result.merged_lines = max(0, _line_count(journal) - before)
    return result


def _commit(git: _Git, folder: Path, journal: Path, message: str | None) -> str | None:
    """Stage the data folder's tracked changes and fupin's own files; commit when there is anything."""
    git.run("add", "--update", "--", str(folder))
    own = [p for p in (*(folder / name for name in PLAN_FILES), journal) if p.exists()]
    if own:
        git.run("add", "--", *map(str, own))
    staged = git.run("diff", "--cached", "--quiet", check=False)
    if staged.returncode == 0:
        return None
    added = _added_lines(git, journal)
    text = message or (f"fupin sync：台账新增 {added} 行" if added else "fupin sync：更新清单")
    done = git.run("commit", "-m", text, check=False)
    if done.returncode != 0:
        if "tell me who you are" in done.stderr or "user.email" in done.stderr:
            raise SyncError("git 不知道提交人是谁。请先运行：git config --global user.name \"姓名\" && "
                            "git config --global user.email \"邮箱\"，再运行 fupin sync")
        raise git.failure(("commit", "-m", text), done, "提交失败")
    return text


def _added_lines(git: _Git, journal: Path) -> int:
    stat = git.run("diff", "--cached", "--numstat", "--", str(journal), check=False).stdout.split()
    return int(stat[0]) if stat and stat[0].isdigit() else 0


def _pull(git: _Git) -> None:
    pulled = git.run("pull", "--no-rebase", "--no-edit", check=False)
    if pulled.returncode == 0:
        return
    conflicted = git.run("diff", "--name-only", "--diff-filter=U", check=False).stdout.split()
    if conflicted:
        git.run("merge", "--abort", check=False)
        raise SyncError(f"与远程合并时这些文件有冲突：{'、'.join(conflicted)}。已撤销这次合并，本地提交都在。"
                        f"请手工合并：{git.command('pull', '--no-rebase')}，改好冲突的文件后 "
                        f"git add 文件 && git commit，再运行 fupin sync")
    raise git.failure(("pull", "--no-rebase"), pulled, "从远程仓库拉取失败（请检查网络或权限）")


def _rejected_as_behind(pushed: subprocess.CompletedProcess) -> bool:
    said = pushed.stderr
    return "[rejected]" in said or "fetch first" in said or "non-fast-forward" in said


def _line_count(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 0
