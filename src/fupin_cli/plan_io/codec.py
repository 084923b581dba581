"""The validated plan as marshal data and back, for the plan cache: data only, never code.

pickle would rebuild any object a file names, which is how a planted cache
runs code; marshal builds only numbers, strings, tuples, lists, dicts and sets.
Objects are written as tagged lists and rebuilt only for the classes named in
:data:`CLASSES`; anything else in a cache file makes it a miss.

Encoding (a list is always a tag, a tuple or a scalar is always itself)::

    ["d", ordinal]           a date             ["p", "…"]          a Path
    ["t", [items]]           a tuple holding objects
    ["l", [items]]  a list  ["L", [values]] a list of plain values
    ["m", {key: encoded}] a dict   ["M", {key: value}] a dict of plain values
    ["f", [items]]           a frozenset        ["O", class, (attr, …), (value, …)]  attributes plain
    ["o", class, {attr: encoded}]  an object    ["e", class, {attr: encoded}]  one of fupin's errors

Strings are written interned, so marshal interns them again on loading: a unit's name in the plan is
then the very object the journal index's ledger holds (its names are interned too), and the reports'
hot loops (a set of a task's units less a cell's completions: a province's overdue list makes 1.2
million such lookups) find each by identity instead of comparing its characters.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePath
from sys import intern

from ..domain.errors import PhraseError, PlanError
from ..domain.model import Occurrence, Plan, Rule, Settings, Task
from ..domain.plans import PlanSet
from ..domain.units import Unit, UnitIndex
from .loaded import LoadedPlan, LoadedPlans

CLASSES = {cls.__name__: cls for cls in (LoadedPlans, LoadedPlan, PlanSet, Plan, Task, Rule, Settings, Unit, UnitIndex,
                                         Occurrence)}
ERRORS = {cls.__name__: cls for cls in (PlanError, PhraseError)}
_PLAIN = (str, int, float, bool, type(None))
_keys: dict[tuple, tuple] = {}


class NotEncodable(TypeError):
    """A value the codec does not know (a new field of a new type): the plan is then not cached."""


def encode(value):
    kind = type(value)
    if kind is str:
        return intern(value)
    if kind in _PLAIN:
        return value
    if kind is tuple:
        items = [encode(item) for item in value]
        return tuple(items) if all(_raw(item) for item in items) else ["t", items]
    if kind is list:
        items = [encode(item) for item in value]
        return ["L" if all(_raw(item) for item in items) else "l", items]
    if kind is dict:
        items = {intern(key) if type(key) is str else key: encode(item) for key, item in value.items()}
        return ["M" if all(_raw(item) for item in items.values()) else "m", items]
    if kind is frozenset:
        return ["f", [encode(item) for item in value]]
    if kind is date:
        return ["d", value.toordinal()]
    if isinstance(value, PurePath):
        return ["p", str(value)]
    name = kind.__name__
    if CLASSES.get(name) is kind:
        attrs = {intern(key): encode(item) for key, item in vars(value).items()}
        if all(_raw(item) for item in attrs.values()):
            # The names once per class (marshal writes a shared tuple once), the values as a tuple.
            keys = _keys.setdefault((name, tuple(attrs)), tuple(attrs))
            return ["O", name, keys, tuple(attrs.values())]
        return ["o", name, attrs]
    if ERRORS.get(name) is kind:
        return ["e", name, {key: encode(item) for key, item in vars(value).items()}]
    raise NotEncodable(f"cannot cache a {name}")


def _raw(encoded) -> bool:
    """True when ``encoded`` decodes to itself (no tag anywhere inside)."""
    return type(encoded) is not list


def decode(value):
    if type(value) is not list:
        return value
    tag = value[0]
    if tag == "O":
        obj = object.__new__(CLASSES[value[1]])
        obj.__dict__.update(zip(value[2], value[3]))
        return obj
    if tag == "o":
        obj = object.__new__(CLASSES[value[1]])
        obj.__dict__.update({key: decode(item) for key, item in value[2].items()})
        return obj
    if tag == "M" or tag == "L":
        return value[1]  # a dict or list marshal has just made, holding nothing to decode
    if tag == "d":
        return date.fromordinal(value[1])
    if tag == "m":
        return {key: decode(item) for key, item in value[1].items()}
    if tag == "t":
        return tuple(decode(item) for item in value[1])
    if tag == "l":
        return [decode(item) for item in value[1]]
    if tag == "p":
        return Path(value[1])
    if tag == "f":
        return frozenset(decode(item) for item in value[1])
    if tag == "e":
        cls = ERRORS[value[1]]
        attrs = {key: decode(item) for key, item in value[2].items()}
        error = cls.__new__(cls)
        Exception.__init__(error, attrs.get("message", ""))
        error.__dict__.update(attrs)
        return error
    raise ValueError(f"unknown tag {tag!r}")
