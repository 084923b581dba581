"""Value classes that cost nothing to define: what ``@dataclass`` gives, without its code generation.

A dataclass compiles its ``__init__``, ``__repr__``, ``__eq__`` (and, frozen,
``__hash__``, ``__setattr__``, ``__delattr__``) from source text when its
module is imported: about 1 ms a class here, some 20 ms of every run's start
for the classes a report touches.  The classes on that path write their
``__init__`` by hand (it stores the fields in order, so ``vars()`` is what a
dataclass's would be: the plan cache's codec relies on it) and take the rest
from :class:`Frozen` or :class:`Record`, by the field names their annotations
list.  Behaviour is the dataclass's: equality only between objects of the same
class, by fields in order; frozen ones hash by their fields and refuse
assignment with :class:`dataclasses.FrozenInstanceError`; mutable ones are
unhashable; the repr is ``Name(field=value, …)``.  :func:`replace` stands for
:func:`dataclasses.replace` (and passes real dataclasses on to it).
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from operator import attrgetter
from reprlib import recursive_repr

__all__ = ["Frozen", "Record", "replace", "FrozenInstanceError"]


def _fields_of(cls) -> tuple[str, ...]:
    inherited = ()
    for base in reversed(cls.__mro__[1:]):
        inherited += tuple(name for name in base.__dict__.get("_fields", ()) if name not in inherited)
    own = cls.__dict__.get("__annotations__", {})
    return inherited + tuple(name for name in own if name not in inherited and name != "_fields")


def _no_values(obj) -> tuple:
    return ()


class _Fields:
    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _values = staticmethod(_no_values)  # obj → the tuple of its fields' values

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = fields = _fields_of(cls)
        cls.__match_args__ = fields
        if len(fields) > 1:
            cls._values = staticmethod(attrgetter(*fields))
        elif fields:
            get = attrgetter(fields[0])
            cls._values = staticmethod(lambda obj: (get(obj),))

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values(self) == self._values(other)
        return NotImplemented


class Frozen(_Fields):
    """A frozen value: equal and hashed by its fields, no attribute can be set or deleted."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values(self))

    def __setattr__(self, name: str, value) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


class Record(_Fields):
    """A mutable record: equal by its fields, not hashable."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]


def replace(obj, /, **changes):
    """A copy of ``obj`` with ``changes``, as :func:`dataclasses.replace` makes one."""
    if not isinstance(obj, _Fields):
        from dataclasses import replace as dataclass_replace

        return dataclass_replace(obj, **changes)
    for name in changes:
        if name not in obj._fields:
            raise TypeError(f"{obj.__class__.__qualname__}.__init__() got an unexpected keyword argument {name!r}")
    values = {name: getattr(obj, name) for name in obj._fields}
    values.update(changes)
    return obj.__class__(**values)
