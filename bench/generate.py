"""Synthetic plans and journals for the fupin benchmark, deterministic from a seed.

    python bench/generate.py [--sizes city,bigcity,province] [--out bench/out] [--force]

Each size is written to ``<out>/<size>/`` as ``tasks.yaml``, ``units.yaml`` (the
formats documented in README.md) and ``journal.jsonl`` (JSON Lines written
directly, not through the CLI), plus ``meta.json`` (generator version, seed,
counts, the as-of date the benchmark stands on).  A size is regenerated only
when ``meta.json`` is missing or its version/seed/parameters differ.

Realism:

* units are city (or province) bureaus plus groups 各区（县） → districts,
  各镇 → towns, 贫困村 → villages (and 各地级市 → cities for the province);
* tasks use deadline words fupin's parser reads (the README's families);
* only a minority of tasks reach the villages; which ones is chosen so that
  the journal size matches the target without inventing entries;
* journal entries name real (task, leaf unit, period) triples, with the period
  labels fupin itself computes (``domain.schedule.Timetable``); old periods are
  mostly done, recent ones less, a few current periods are done early;
* ~1% of completions are voided later (half of them re-recorded), ~0.5% of
  lines appear twice, as after a git union merge.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

try:
    import orjson

    def _dumps(obj) -> bytes:
        return orjson.dumps(obj) + b"\n"
except ImportError:  # pragma: no cover
    def _dumps(obj) -> bytes:
        return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

GENERATOR_VERSION = 4
HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"


@dataclass(frozen=True)
class Size:
    name: str
    seed: int
    tasks: int
    bureaus: int
    cities: int
    districts: int
    towns: int
    villages: int
    valid_from: str
    valid_to: str
    entries: int
    as_of: str  # the day the benchmark stands on (inside the window)
    month: str  # the month for `fupin calendar --month`
    prefix: str  # 市 or 省


SIZES: dict[str, Size] = {
    "city": Size("city", 2018, tasks=60, bureaus=10, cities=0, districts=7, towns=70, villages=120,
                 valid_from="2018-01-01", valid_to="2018-12-31", entries=10_000,
                 as_of="2018-10-15", month="2018-10", prefix="市"),
    "bigcity": Size("bigcity", 2019, tasks=300, bureaus=40, cities=0, districts=12, towns=150,
                    villages=1795, valid_from="2018-01-01", valid_to="2020-12-31", entries=100_000,
                    as_of="2020-07-15", month="2020-07", prefix="市"),
    "province": Size("province", 2020, tasks=300, bureaus=60, cities=21, districts=122, towns=1600,
                     villages=18193, valid_from="2018-01-01", valid_to="2020-12-31",
                     entries=1_000_000, as_of="2020-07-15", month="2020-07", prefix="省"),
}

# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

_CHARS = ("东西南北中上下新大小长青红白金银石山水河湖海江溪塘坑田园林竹桃李梅松柏龙凤鹤马云天星月阳"
          "光明华兴隆安平和顺富贵吉祥福寿康宁泰丰盛荣昌德仁义礼文武美秀嘉永通广远乐清洋沙岭岗湾港"
          "埔头尾前后寮厝陂围洲")
_BUREAUS = ["民政局", "财政局", "人社局", "卫生健康局", "教育局", "住建局", "农业农村局", "水务局",
            "交通运输局", "自然资源局", "残联", "妇联", "团委", "总工会", "医保局", "统计局",
            "审计局", "发展改革局", "工业和信息化局", "商务局", "文化广电旅游局", "林业局", "生态环境局",
            "市场监管局", "应急管理局", "退役军人事务局", "司法局", "公安局", "税务局", "供销社",
            "金融工作局", "人民银行分行", "农商银行", "邮政储蓄银行", "农业银行分行", "保险行业协会",
            "红十字会", "科协", "工商联", "档案局", "政务服务数据管理局", "信访局", "地方志办",
            "机关事务管理局", "体育局", "气象局", "国资委", "粮食和物资储备局", "移民工作局", "扶贫办",
            "组织部", "宣传部", "统战部", "农办", "编办", "政研室", "督查室", "老干部局", "党校", "社科联",
            "电视台", "日报社", "慈善总会", "青年联合会"]
_DISTRICTS = ["金平区", "龙湖区", "濠江区", "潮阳区", "潮南区", "澄海区", "南澳县"]
_CATEGORIES = ["产业扶贫", "医疗保险和医疗救助", "危房改造政策落实", "帮扶项目", "干部管理", "扶贫政策体系",
               "扶贫资金筹集及使用监管", "抓党建促脱贫攻坚", "残疾人脱贫工作", "社会保障政策落实", "社会扶贫",
               "落实扶贫工作责任", "金融扶贫", "教育扶贫", "就业扶贫"]
_VERBS = ["落实", "推进", "督促", "开展", "完成", "组织", "做好", "健全", "加强", "统筹"]
_OBJECTS = ["贫困户建档立卡信息核查", "低保兜底保障对象动态调整", "扶贫资金使用情况公示", "帮扶项目实施情况录入",
            "危房改造补助发放", "残疾人两项补贴发放", "贫困家庭学生生活费补助发放", "扶贫小额信贷贴息",
            "医疗救助一站式结算", "产业扶贫项目验收", "驻村工作队考勤", "扶贫档案抽查", "就业技能培训",
            "光伏扶贫收益分配", "脱贫人口返贫监测", "扶贫领域腐败和作风问题专项治理", "帮扶责任人走访",
            "农村饮水安全巩固提升", "村级集体经济收入统计", "扶贫政策宣传", "社会扶贫网推广"]

# Deadline words (the README's families); weight, phrase, fit for a whole group.
_PHRASES = [
    (10, "逐月完成", False), (4, "按政策程序逐月发放", False), (4, "每月25日前", False),
    (3, "每月10日前报送上月", False), (12, "每季度之后10日内完成", True), (5, "每季度末", True),
    (3, "每季度首月15日前", False), (8, "每半年", True), (12, "每年年底前完成", True),
    (6, "每年6月底前完成", True), (3, "每年3月31日前", True), (3, "每年至少两次", True),
    (8, "长期性、常态化抓落实", False), (4, "2018年6月30日前", False), (3, "2018年底前完成", False),
    (3, "2018年4月底前完成", False), (2, "在2018年5月底前全部发放到位", False),
    (2, "每学期开学后一个月內完成", False), (1, "每周五前", False),
    (2, "2018年6月30日前完成当年帮扶村、户项目计划的录入工作；12月31日前完成全年项目实施情况的录入工作。"
        "每月25日前录入当月的村、户项目建设情况", False),
]

_ONE_OFF = {p for _, p, _ in _PHRASES if p.startswith(("2018", "在2018")) or p.startswith("长期")}

_PEOPLE = ["张三", "李四", "王芳", "陈伟", "林晓", "黄敏", "吴静", "郑强", "蔡丽", "许杰", "谢娜", "杨帆", ""]


def _unique_names(rng: random.Random, n: int, suffix: str, taken: set[str], prefixes=None) -> list[str]:
    names: list[str] = []
    tries = 0
    while len(names) < n:
        tries += 1
        head = (rng.choice(prefixes)[:2] if prefixes else "")
        body = "".join(rng.choice(_CHARS) for _ in range(2 if tries < 50 * n else 3))
        name = f"{head}{body}{suffix}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _units(size: Size, rng: random.Random) -> tuple[list[dict], dict[str, list[str]]]:
    """The units.yaml items and the leaf members of each group."""
    p = size.prefix
    taken: set[str] = set()
    bureaus = []
    for i in range(size.bureaus):
        base = _BUREAUS[i % len(_BUREAUS)]
        name = f"{p}{base}" if i < len(_BUREAUS) else f"{p}{base}第{i // len(_BUREAUS) + 1}分局"
        bureaus.append(name)
        taken.add(name)
    districts = list(_DISTRICTS[: min(size.districts, len(_DISTRICTS))])
    taken.update(districts)
    districts += _unique_names(rng, size.districts - len(districts), rng.choice("区县"), taken)
    cities = _unique_names(rng, size.cities, "市", taken)
    towns = _unique_names(rng, size.towns, "镇", taken)
    villages = _unique_names(rng, size.villages, "村", taken, prefixes=towns)
    items: list[dict] = []
    groups: dict[str, list[str]] = {}

    def group(name, kind, aliases, members, note):
        items.append({"name": name, "kind": kind, "aliases": aliases, "members": members, "note": note})
        groups[name] = members

    if cities:
        group("各地级市", "其他", ["地级市", "各市"], cities, "全省各地级市（合成数据）")
    group("各区（县）", "区县", ["区（县）", "各区县"], districts, "所辖区（县）（合成数据）")
    group("各镇", "镇", ["镇", "镇党委政府"], towns, "有脱贫攻坚任务的镇（合成数据）")
    group("贫困村", "村", ["各贫困村"], villages, "相对贫困村（合成数据）")
    for name in bureaus:
        short = name[1:] if len(name) > 3 else ""
        aliases = [short] if short and short not in taken else []
        taken.update(aliases)
        items.append({"name": name, "kind": "市直单位", "aliases": aliases})
    for kind, names in (("其他", cities), ("区县", districts), ("镇", towns), ("村", villages)):
        for name in names:
            items.append({"name": name, "kind": kind, "aliases": []})
    return items, groups


# --------------------------------------------------------------------------
# Tasks
# --------------------------------------------------------------------------

def _tasks(size: Size, rng: random.Random, bureaus: list[str], has_cities: bool) -> list[dict]:
    weights = [w for w, _, _ in _PHRASES]
    tasks = []
    per_category = max(1, size.tasks // len(_CATEGORIES))
    for i in range(size.tasks):
        seq = i // 4 + 1
        k = i % 4 + 1
        category = _CATEGORIES[(i // per_category) % len(_CATEGORIES)]
        _, phrase, group_fit = rng.choices(_PHRASES, weights)[0]
        units = rng.sample(bureaus, rng.choice([1, 1, 1, 2, 2, 3]))
        roll = rng.random()
        if group_fit:
            if roll < 0.45:
                units = ["各区（县）"] + units[:1]
            elif roll < 0.60:
                units = ["各区（县）", "各镇"]
            elif has_cities and roll < 0.75:
                units = ["各地级市"] + units[:1]
        elif roll < 0.15:
            units = ["各区（县）"] + units[:1]
        tasks.append({
            "id": f"{seq}.{k}", "seq": str(seq), "category": category,
            "text": f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}工作，按要求报送进展情况。",
            "units": units, "deadline": phrase, "_village_ok": group_fit,
        })
    return tasks


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _write_units(path: Path, items: list[dict]) -> None:
    out = ["# 合成责任单位（fupin 基准测试用，bench/generate.py 生成，请勿手改）", "", "units:"]
    for u in items:
        out.append(f"  - name: {_q(u['name'])}")
        out.append(f"    kind: {u['kind']}")
        out.append(f"    aliases: [{', '.join(_q(a) for a in u['aliases'])}]")
        if u.get("members"):
            out.append(f"    members: [{', '.join(_q(m) for m in u['members'])}]")
        if u.get("note"):
            out.append(f"    note: {_q(u['note'])}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def _write_tasks(path: Path, size: Size, tasks: list[dict]) -> None:
    out = [
        "# 合成任务清单（fupin 基准测试用，bench/generate.py 生成，请勿手改）", "",
        "plan:",
        f"  title: 合成脱贫攻坚任务清单（{size.name}）",
        "  doc_no: 基准〔2018〕1号",
        "  issuer: 合成数据",
        f"  issued: {size.valid_from}",
        f"  valid_from: {size.valid_from}",
        f"  valid_to: {size.valid_to}",
        "  timezone: Asia/Shanghai",
        "  holiday_shift: next_workday",
        "  warn_days: 14",
        '  semester_starts: ["03-01", "09-01"]',
        "", "tasks:",
    ]
    for t in tasks:
        out += [
            f"  - id: {_q(t['id'])}",
            f"    seq: {_q(t['seq'])}",
            f"    category: {_q(t['category'])}",
            f"    text: {_q(t['text'])}",
            f"    units: [{', '.join(_q(u) for u in t['units'])}]",
            f"    deadline: {_q(t['deadline'])}",
            "",
        ]
    path.write_text("\n".join(out), encoding="utf-8")


# --------------------------------------------------------------------------
# Journal
# --------------------------------------------------------------------------

def _done_probability(due: date, as_of: date) -> float:
    age = (as_of - due).days
    if age > 90:
        return 0.97
    if age > 30:
        return 0.90
    return 0.70


_EARLY = 0.15  # a current period (started, not yet due) already done
_SH = timezone(timedelta(hours=8))


def _plan_occurrences(folder: Path):
    """(plan, {task id: [occurrence with a due date]}, {group: leaves}) via fupin itself."""
    from fupin_cli.domain.holidays import HolidayCalendar
    from fupin_cli.domain.schedule import Timetable
    from fupin_cli.plan_io.loader import load_plan

    plan = load_plan(folder).plan
    timetable = Timetable(plan, HolidayCalendar(plan.settings.holiday_shift))
    occ = {t.id: [o for o in timetable.occurrences(t) if o.due is not None] for t in plan.tasks}
    leaves = {name: list(plan.units.leaves(name)) for name in plan.units}
    return plan, occ, leaves


def _expected(occs, n_units: int, as_of: date) -> float:
    total = 0.0
    for o in occs:
        if o.due <= as_of:
            total += _done_probability(o.due, as_of) * o.required
        elif o.start <= as_of:
            total += _EARLY * o.required
    return total * n_units


def _done_date(rng: random.Random, o, as_of: date) -> date:
    if o.due > as_of:  # early completion of the current period
        lo = o.start
        return lo + timedelta(days=rng.randint(0, max(0, (as_of - lo).days)))
    if rng.random() < 0.8:  # on time
        d = o.due - timedelta(days=rng.randint(0, 20))
        return max(d, min(o.start, o.due))
    return min(as_of, o.due + timedelta(days=rng.randint(1, 40)))


def _entry_id(rng: random.Random, when: datetime, ids: set[str]) -> str:
    utc = when.astimezone(timezone.utc)
    while True:
        eid = f"{utc:%Y%m%dT%H%M%S}.{rng.randrange(1_000_000):06d}Z-{rng.getrandbits(24):06x}"
        if eid not in ids:
            ids.add(eid)
            return eid


def _recorded(rng: random.Random, d: date) -> datetime:
    return datetime(d.year, d.month, d.day, rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59),
                    tzinfo=_SH)


def _journal(path: Path, rng: random.Random, plan, occ, leaves, as_of: date) -> dict:
    lines: list[tuple[datetime, int, bytes]] = []
    ids: set[str] = set()
    seq = 0
    dones: list[tuple[datetime, str]] = []
    counts = {"done": 0, "void": 0, "duplicate": 0, "redone": 0}
    people = _PEOPLE

    def add_done(task_id, unit, o):
        nonlocal seq
        d = _done_date(rng, o, as_of)
        when = _recorded(rng, d)
        eid = _entry_id(rng, when, ids)
        rec = {"id": eid, "op": "done", "task": task_id, "unit": unit, "period": o.period,
               "date": d.isoformat(), "recorded_at": when.isoformat(), "by": rng.choice(people), "note": ""}
        seq += 1
        lines.append((when, seq, _dumps(rec)))
        dones.append((when, eid))
        counts["done"] += 1
        return rec

    for task in plan.tasks:
        units = list(dict.fromkeys(u for name in task.units for u in leaves[name]))
        for o in occ[task.id]:
            if o.due <= as_of:
                p = _done_probability(o.due, as_of)
            elif o.start <= as_of:
                p = _EARLY
            else:
                continue
            for unit in units:
                if rng.random() < p:
                    for _ in range(o.required):
                        rec = add_done(task.id, unit, o)
                    if rng.random() < 0.01:  # voided later (wrong entry); half re-recorded
                        when = datetime.fromisoformat(rec["recorded_at"]) + timedelta(days=rng.randint(0, 5),
                                                                                     minutes=rng.randint(1, 600))
                        if when.date() > as_of:
                            when = datetime.fromisoformat(rec["recorded_at"]) + timedelta(minutes=5)
                        vid = _entry_id(rng, when, ids)
                        seq += 1
                        lines.append((when, seq, _dumps({
                            "id": vid, "op": "void", "target": rec["id"], "recorded_at": when.isoformat(),
                            "by": rng.choice(people), "note": rng.choice(["录错", "录错单位", "重复录入", "期间填错"])})))
                        counts["void"] += 1
                        if rng.random() < 0.5:
                            add_done(task.id, unit, o)
                            counts["redone"] += 1
    # ~0.5% of lines twice, later in the file (a git union merge of two clones).
    n_dup = len(lines) // 200
    for idx in rng.sample(range(len(lines)), n_dup):
        when, _, raw = lines[idx]
        seq += 1
        lines.append((when + timedelta(days=rng.randint(0, 30)), seq, raw))
    counts["duplicate"] = n_dup
    lines.sort(key=lambda x: (x[0], x[1]))
    with open(path, "wb") as f:
        f.writelines(raw for _, _, raw in lines)
    counts["lines"] = len(lines)
    return counts


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def _params(size: Size) -> dict:
    return {"version": GENERATOR_VERSION, **size.__dict__}


def up_to_date(folder: Path, size: Size) -> bool:
    meta = folder / "meta.json"
    if not meta.is_file() or not all((folder / f).is_file() for f in ("tasks.yaml", "units.yaml", "journal.jsonl")):
        return False
    try:
        return json.loads(meta.read_text("utf-8")).get("params") == _params(size)
    except ValueError:
        return False


def generate(size: Size, out: Path = DEFAULT_OUT, force: bool = False, log=print) -> dict:
    folder = out / size.name
    if not force and up_to_date(folder, size):
        return json.loads((folder / "meta.json").read_text("utf-8"))
    t0 = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.json").unlink(missing_ok=True)
    rng = random.Random(size.seed)
    as_of = date.fromisoformat(size.as_of)
    unit_items, groups = _units(size, rng)
    bureaus = [u["name"] for u in unit_items if u["kind"] == "市直单位"]
    tasks = _tasks(size, rng, bureaus, bool(size.cities))
    _write_units(folder / "units.yaml", unit_items)
    _write_tasks(folder / "tasks.yaml", size, tasks)

    # First pass: how many entries do the tasks give without the villages?
    plan, occ, leaves = _plan_occurrences(folder)
    n_leaves = {t["id"]: len(dict.fromkeys(u for name in t["units"] for u in leaves[name])) for t in tasks}
    expected = sum(_expected(occ[t["id"]], n_leaves[t["id"]], as_of) for t in tasks)
    target = size.entries / 1.015  # voids, re-recordings and duplicated lines come on top
    # Then widen some tasks to a group, in a seeded order, until the journal
    # reaches its size: 贫困村 for group-fit tasks (at most ~15% of tasks, so
    # that obligation counts stay plausible), 各镇 for the others.
    village_tasks = town_tasks = 0
    village_cap = max(2, size.tasks * 15 // 100)
    candidates = [(t, "贫困村" if t["_village_ok"] else "各镇") for t in tasks
                  if t["deadline"] not in _ONE_OFF]
    candidates += [(t, "各镇") for t in tasks if t["_village_ok"]]
    rng.shuffle(candidates)
    for t, grp in candidates:
        if grp in t["units"] or expected >= target:
            continue
        if grp == "贫困村" and village_tasks >= village_cap:
            continue
        gain = _expected(occ[t["id"]], len(groups[grp]), as_of)
        if expected + gain > target * 1.05:
            continue
        t["units"] = t["units"] + [grp]
        expected += gain
        village_tasks += grp == "贫困村"
        town_tasks += grp == "各镇"
    if village_tasks or town_tasks:
        _write_tasks(folder / "tasks.yaml", size, tasks)
        plan, occ, leaves = _plan_occurrences(folder)
    obligations = sum(len(occ[t.id]) * len(dict.fromkeys(u for n in t.units for u in leaves[n])) for t in plan.tasks)
    counts = _journal(folder / "journal.jsonl", rng, plan, occ, leaves, as_of)
    meta = {
        "params": _params(size), "as_of": size.as_of, "month": size.month,
        "tasks": len(plan.tasks), "units": len(plan.units), "leaf_units": sum(1 for u in plan.units.values() if not u.members),
        "village_tasks": village_tasks, "widened_to_towns": town_tasks,
        "town_tasks": sum(1 for t in plan.tasks if "各镇" in t.units), "obligations_with_due_date": obligations,
        "journal": counts, "seconds": round(time.perf_counter() - t0, 1),
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    log(f"generated {size.name}: {meta['tasks']} tasks ({village_tasks} reach the villages, {meta['town_tasks']} the towns), "
        f"{meta['units']} units, {obligations:,} obligations, {counts['lines']:,} journal lines "
        f"in {meta['seconds']} s")
    return meta


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="city,bigcity,province")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--force", action="store_true", help="regenerate even when up to date")
    args = ap.parse_args(argv)
    for name in args.sizes.split(","):
        if name not in SIZES:
            ap.error(f"unknown size {name!r}; choose from {', '.join(SIZES)}")
        meta = generate(SIZES[name], args.out, args.force)
        print(json.dumps({k: meta[k] for k in ("tasks", "units", "village_tasks", "town_tasks", "obligations_with_due_date",
                                                "journal")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
