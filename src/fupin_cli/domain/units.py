"""The units of a plan, indexed once: lookup by name, alias or pinyin; groups, their leaves, and back.

A task assigned to a group (各区（县）) is an obligation of each *leaf* unit the
group stands for, through nested groups.  Every question here is answered from
indexes built once per plan, so listing 20,000 units stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

from .errors import UsageError
from .text import normalize_name
from .values import Frozen


class Unit(Frozen):
    """A responsible unit; a group (各区（县）) has members and stands for each of them."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    note: str = ""
    line: int = 0

    def __init__(self, name: str, kind: str, aliases: tuple[str, ...] = (), members: tuple[str, ...] = (),
                 note: str = "", line: int = 0) -> None:
        vars(self).update(name=name, kind=kind, aliases=aliases, members=members, note=note, line=line)

    @property
    def is_group(self) -> bool:
        return bool(self.members)


class UnitIndex(Mapping[str, Unit]):
    """Canonical name → :class:`Unit`, in the official order of units.yaml, with lookups."""

    def __init__(self, units: Iterable[Unit], *, labels: dict[str, str] | None = None) -> None:
        """``labels`` (normalised name or alias → canonical name), when the caller has made them already
        (the validator does, to find duplicates), are taken as they are."""
        self._units: dict[str, Unit] = {unit.name: unit for unit in units}
        if labels is None:
            labels = {}
            for unit in self._units.values():
                for label in (unit.name, *unit.aliases):
                    labels[normalize_name(label)] = unit.name
        self._labels: dict[str, str] = labels
        self._parents: dict[str, list[str]] = {}
        for unit in self._units.values():
            for member in unit.members:
                self._parents.setdefault(member, []).append(unit.name)
        self._leaves: dict[str, tuple[str, ...]] = {}
        self._groups: dict[str, frozenset[str]] = {}

    # -- the mapping
    def __getitem__(self, name: str) -> Unit:
        return self._units[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, name: object) -> bool:
        return name in self._units

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnitIndex) and self._units == other._units

    __hash__ = None  # type: ignore[assignment]

    # -- lookups
    def lookup(self, text: str) -> str | None:
        """The canonical name of a name or alias as people write it (全角/半角, spaces, case aside)."""
        return self._labels.get(normalize_name(text))

    def labels(self) -> Iterator[str]:
        """Every name and alias, in the order of the units."""
        for unit in self._units.values():
            yield unit.name
            yield from unit.aliases

    def suggest(self, text: str) -> list[str]:
        """The units of the three names or aliases closest to ``text``, each unit once, by canonical name."""
        import difflib  # only to suggest names for one not found

        close = difflib.get_close_matches(text, list(self.labels()), n=3, cutoff=0.4)
        return list(dict.fromkeys(self._labels[normalize_name(label)] for label in close))

    def pinyin_matches(self, text: str) -> list[str]:
        """Units whose name or an alias spells ``text`` in pinyin (全拼 or 首字母); [] for non-Latin text."""
        query = re.sub(r"[\s'’-]", "", text).lower()
        if not query.isascii() or not query.isalpha():
            return []
        from pypinyin import (  # only for Latin input: keeps start-up fast
            Style,
            lazy_pinyin,
        )

        found = []
        for unit in self._units.values():
            for label in (unit.name, *unit.aliases):
                syllables = lazy_pinyin(label, errors="ignore")
                initials = "".join(s[0] for s in syllables if s)
                full = "".join(syllables)
                if query in (full, initials) or query == "".join(
                        lazy_pinyin(label, style=Style.FIRST_LETTER, errors="ignore")):
                    found.append(unit.name)
                    break
        return found

    def resolve(self, text: str, *, subject: str = "unit", what: str = "--unit") -> str:
        """The canonical unit a person means: name, alias, or unambiguous pinyin.

        ``what`` is how the message names the input (an option, a column …).
        """
        if not text or not text.strip():
            raise UsageError(f"{what} 不能为空", subject=subject)
        canonical = self.lookup(text)
        if canonical:
            return canonical
        matches = self.pinyin_matches(text)
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise UsageError(f"{what} “{text}” 可指多个单位：{'、'.join(matches)}，请写出中文名称", subject=subject)
        close = self.suggest(text)
        hint = f"；是否是指 {'、'.join(close)}？" if close else ""
        raise UsageError(f"{what}：未知的单位 “{text}”（fupin units 列出全部单位）{hint}", subject=subject)

    # -- groups
    def leaves(self, name: str) -> tuple[str, ...]:
        """The units ``name`` stands for: itself, or a group's members through nested groups, in order."""
        found = self._leaves.get(name)
        if found is None:
            unit = self._units[name]
            if not unit.members:
                found = (name,)
            else:
                ordered: dict[str, None] = {}  # ordered, O(1) per member: groups may hold thousands of villages
                for member in unit.members:
                    ordered.update(dict.fromkeys(self.leaves(member)))
                found = tuple(ordered)
            self._leaves[name] = found
        return found

    def leaf_order(self) -> dict[str, int]:
        """Leaf unit → its place in the official order: units.yaml's, each group replaced by its members in
        member order.  Made once (a report sorts several lists by it); not to be changed by callers."""
        found = self.__dict__.get("_leaf_order")
        if found is None:
            found = {}
            for name in self._units:
                for leaf in self.leaves(name):
                    found.setdefault(leaf, len(found))
            self._leaf_order = found
        return found

    def groups_of(self, name: str) -> frozenset[str]:
        """Every group that stands for ``name``, directly or through other groups."""
        found = self._groups.get(name)
        if found is None:
            seen: set[str] = set()
            frontier = [name]
            while frontier:
                for parent in self._parents.get(frontier.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        frontier.append(parent)
            found = self._groups[name] = frozenset(seen)
        return found

    def responsible(self, names: Iterable[str]) -> tuple[str, ...]:
        """The leaf units standing for ``names`` (a task's units), in the order they are named."""
        ordered: dict[str, None] = {}
        for name in names:
            ordered.update(dict.fromkeys(self.leaves(name)))
        return tuple(ordered)

    def related(self, name: str) -> set[str]:
        """Names whose tasks a unit carries: itself, the groups standing for it, and a group's leaves."""
        related = {name} | self.groups_of(name)
        if self._units[name].members:
            related.update(self.leaves(name))
        return related

