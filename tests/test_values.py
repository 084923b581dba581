"""The value classes that replaced dataclasses on the start-up path behave as the dataclasses did."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from datetime import date

import pytest

from fupin_cli.app.context import TodayNotice
from fupin_cli.domain.model import Obligation, Occurrence, Plan, Rule, Settings, Task
from fupin_cli.domain.obligations import Scope
from fupin_cli.domain.periods import KINDS, PeriodKind
from fupin_cli.domain.plans import PlanSet
from fupin_cli.domain.units import Unit, UnitIndex
from fupin_cli.domain.values import Frozen, Record, replace
from fupin_cli.output.document import Chart, Column, Document, PageBreak, Paragraphs, Table
from fupin_cli.output.formats import Format, Target, View
from fupin_cli.output.layout import Layout, Prepared
from fupin_cli.phrases.families import Built, Context, Family, Point
from fupin_cli.phrases.parser import Reading, _Found
from fupin_cli.plan_io.loaded import LoadedPlan, LoadedPlans

CLASSES = [Rule, Occurrence, Task, Settings, Plan, Obligation, Scope, PeriodKind, PlanSet, Unit, Column, Table, Chart,
           Paragraphs, PageBreak, Document, Target, View, Format, Layout, Prepared, Point, Context, Built, Family,
           Reading, _Found, LoadedPlan, LoadedPlans, TodayNotice]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_init_takes_the_fields_in_order(cls):
    """``__init__`` names the annotated fields in order, so replace() and the plan cache's codec (which stores
    ``vars()``) see what a dataclass gave."""
    assert list(inspect.signature(cls).parameters) == list(cls._fields)
    assert cls.__match_args__ == cls._fields


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_defaults_are_the_class_defaults(cls):
    """A default in ``__init__`` is the one the annotation gives; lists default to a new empty list each."""
    for name, parameter in inspect.signature(cls).parameters.items():
        if parameter.default is inspect.Parameter.empty:
            continue
        if name in vars(cls):
            assert parameter.default == vars(cls)[name], name
        else:  # a default_factory=list field of old: None stands for a new list
            assert parameter.default is None, name


def _sample(cls):
    values = {name: f"<{name}>" for name, p in inspect.signature(cls).parameters.items()
              if p.default is inspect.Parameter.empty}
    if cls is PlanSet:
        values["plans"] = ("a plan",)
    return cls(**values)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_vars_hold_the_fields_in_order(cls):
    obj = _sample(cls)
    assert list(vars(obj)) == list(cls._fields)


def _twin(cls, frozen: bool, eq: bool = True):
    """The dataclass ``cls`` used to be."""
    specs = []
    for name, parameter in inspect.signature(cls).parameters.items():
        if parameter.default is inspect.Parameter.empty:
            specs.append((name, object))
        elif parameter.default is None and name not in vars(cls):
            specs.append((name, object, dataclasses.field(default_factory=list)))
        else:
            specs.append((name, object, dataclasses.field(default=parameter.default)))
    return dataclasses.make_dataclass(cls.__name__, specs, frozen=frozen, eq=eq)


def test_a_rule_behaves_as_the_frozen_dataclass():
    twin = _twin(Rule, frozen=True)
    values = dict(kind="month", after_days=10, since=date(2018, 1, 1), words="每月10日前", span=(0, 6))
    rule, old = Rule(**values), twin(**values)
    assert repr(rule) == repr(old)
    assert rule == Rule(**values) and hash(rule) == hash(Rule(**values))
    assert hash(rule) == hash(old)  # both hash the tuple of the fields
    assert rule != Rule(**{**values, "after_days": 11})
    assert rule != old and rule != tuple(vars(rule).values())  # never equal to another class
    assert vars(replace(rule, words="", span=None)) == vars(dataclasses.replace(old, words="", span=None))
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'kind'"):
        rule.kind = "year"
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'kind'"):
        del rule.kind
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        replace(rule, colour="red")
    assert copy.copy(rule) == rule and pickle.loads(pickle.dumps(rule)) == rule
    assert rule.meaning == Rule(kind="month", after_days=10, since=date(2018, 1, 1))


def test_a_table_behaves_as_the_mutable_dataclass():
    twin = _twin(Table, frozen=False)
    columns = [Column("id", "编号")]
    table, old = Table("逾期", columns, [{"id": "1.1"}]), twin("逾期", columns, [{"id": "1.1"}])
    assert repr(table) == repr(old)
    assert table == Table("逾期", columns, [{"id": "1.1"}])
    assert table != Table("逾期", columns, [])
    with pytest.raises(TypeError, match="unhashable"):
        hash(table)
    table.note = "说明"  # mutable, as before
    assert table.note == "说明"
    assert Document("t").lines == [] and Document("t").lines is not Document("t").lines
    assert replace(table, rows=[]).rows == [] and table.rows == [{"id": "1.1"}]


def test_plans_are_equal_only_to_themselves():
    """Plan and PlanSet were ``eq=False`` dataclasses: identity, hashable by identity."""
    units = UnitIndex([Unit("市民政局", "bureau")])
    fields = dict(title="清单", doc_no="", issuer="", issued=None, valid_from=date(2018, 1, 1),
                  valid_to=date(2018, 12, 31), timezone="Asia/Shanghai", settings=Settings(), tasks=(), units=units)
    a, b = Plan(**fields), Plan(**fields)
    assert a == a and a != b and hash(a) != hash(b)
    assert PlanSet((a,)) != PlanSet((a,))
    with pytest.raises(ValueError):
        PlanSet(())


def test_subclass_fields_extend_the_base():
    class Base(Frozen):
        a: int

        def __init__(self, a: int) -> None:
            vars(self).update(a=a)

    class More(Base):
        b: int = 2

        def __init__(self, a: int, b: int = 2) -> None:
            vars(self).update(a=a, b=b)

    assert More._fields == ("a", "b") and repr(More(1)) == "test_subclass_fields_extend_the_base.<locals>.More(a=1, b=2)"
    assert Base(1) != More(1)


def test_replace_passes_dataclasses_on():
    @dataclasses.dataclass(frozen=True)
    class Old:
        a: int

    assert replace(Old(1), a=2) == Old(2)


def test_recursive_repr_does_not_loop():
    record = Paragraphs([])
    record.lines.append(record)
    assert repr(record) == "Paragraphs(lines=[...], style='body')"


def test_period_kinds_and_formats_are_the_registries():
    assert KINDS["month"] == KINDS["month"] and isinstance(KINDS["month"], PeriodKind)
    assert Format("json", "records") == Format("json", "records")
    assert Target() == Target(False, None, False) and hash(Target()) == hash(Target())
