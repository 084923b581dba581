"""``fupin explain`` explains words, not the plan: any --as-of, --year for dates without one, the words of each rule."""

from __future__ import annotations


def test_explain_any_day_with_the_weekend_fallback_warning(fupin):
    result = fupin("explain", "每月25日前", "--as-of", "2027-09-01", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    assert [(r["period"], r["nominal_due"], r["due"]) for r in data["next"][:2]] == [
        ("2027-09", "2027-09-25", "2027-09-27"),   # a Saturday: weekends alone count in 2027
        ("2027-10", "2027-10-25", "2027-10-25"),
    ]
    assert result.err.count("2027") == 1 and "周末" in result.err


def test_explain_year_and_next(fupin):
    result = fupin("explain", "年报于次年二月底前报送", "--year", "2023", "--as-of", "2023-01-01", "--format", "json")
    assert result.json()["next"] == [{"period": "2024-02-29", "nominal_due": "2024-02-29", "due": "2024-02-29"}]
    assert result.json()["plan_year"] == 2023
    shipped = fupin("explain", "12月31日前", "--as-of", "2018-01-01", "--format", "json").json()
    assert shipped["plan_year"] == 2018 and shipped["next"][0]["nominal_due"] == "2018-12-31"
    many = fupin("explain", "每周一、三、五", "--as-of", "2023-01-01", "--next", "9", "--format", "json").json()
    assert len(many["next"]) == 9
    bad = fupin("explain", "每月25日前", "--year", "99999")
    assert bad.code == 2 and "--year" in bad.err
    far = fupin("explain", "每月25日前", "--as-of", "0001-01-01")
    assert far.code == 2 and "超出范围" in far.err


def test_explain_shows_the_words_of_each_rule(fupin):
    phrase = "2018年6月30日前完成当年帮扶村、户项目计划和上半年项目实施情况的录入工作；每月25日前录入"
    data = fupin("explain", phrase, "--as-of", "2018-05-01", "--format", "json").json()
    assert [(r["words"], r["span"], r["key"], r["family"]) for r in data["rules"]] == [
        ("2018年6月30日前", [0, 11], "once@2018-06-30", "日期"),
        ("每月25日前", [phrase.index("每月"), phrase.index("每月") + 6], "month@d25", "每月某日"),
    ]
    table = fupin("explain", phrase, "--as-of", "2018-05-01")
    assert "出自原文" in table.out and "每月25日前" in table.out


def test_explain_refusal_points_at_the_words(fupin):
    result = fupin("explain", "每月25日前，会后3日内报告", "--as-of", "2018-05-01")
    assert result.code == 2 and result.out == ""
    assert "“3日内”是从某件事" in result.err and "schedule:" in result.err
    lines = result.err.splitlines()
    caret = next(i for i, line in enumerate(lines) if line.strip() == "^")
    assert lines[caret - 1].strip() == "每月25日前，会后3日内报告"
