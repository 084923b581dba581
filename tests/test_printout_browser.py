"""The weekly printout in a real browser: headless Chromium prints it to A4 PDF and a screenshot."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from fupin_cli.output import views
from fupin_cli.reports.rows import Row
from fupin_cli.output.formats import html
from fupin_cli.reports.weekly import UnitSummary, WeeklyReport

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium fonts-noto-cjk)")

TITLE = "2018年汕头市脱贫攻坚主要任务清单"
UNITS = ["市民政局", "市财政局", "市教育局", "金平区", "龙湖区", "濠江区", "潮阳区", "潮南区"]
TEXTS = ["全面落实建档立卡贫困户子女教育生活费补助政策，确保应助尽助",
         "<script>alert(1)</script>",
         '=HYPERLINK("http://x")',
         "@SUM(A1)",
         "每月25日前将扶贫资金使用情况录入全国扶贫开发信息系统，并于每月28日前完成审核"]


def make_report(count: int = 80) -> WeeklyReport:
    as_of = date(2018, 7, 13)
    overdue = []
    for i in range(count):
        due = as_of - timedelta(days=1 + i % 40)
        overdue.append(Row(task=f"{i // 10 + 1}.{i % 10 + 1}", text=TEXTS[i % len(TEXTS)], category="资金保障",
                           unit=UNITS[i % len(UNITS)], period=f"2018-{due.month:02d}", nominal_due=due, due=due,
                           status="overdue", days=(due - as_of).days, required=1, done_count=0))
    soon = [Row(task="R.1", text="召开季度扶贫工作推进会", category="", unit="市民政局", period="2018-Q3",
                nominal_due=date(2018, 7, 15), due=date(2018, 7, 16), status="due_soon", days=3, required=1,
                done_count=0)]
    done = [Row(task="R.2", text="报送半年工作总结", category="", unit="金平区", period="2018-H1",
                nominal_due=date(2018, 7, 10), due=date(2018, 7, 10), status="done_late", days=-3, required=1,
                done_count=1, done_date=date(2018, 7, 12))]
    summaries = [UnitSummary(u, overdue=10, done_on_time=i * 4, done_late=i % 2)
                 for i, u in enumerate(UNITS)]
    return WeeklyReport(title=TITLE, doc_no="汕扶〔2018〕9号", as_of=as_of, year=2018, week=28,
                        week_start=date(2018, 7, 9), week_end=date(2018, 7, 15), summaries=summaries,
                        overdue=overdue, due_this_week=soon, due_next_week=[], done_this_week=done)


def chromium(tmp_path: Path, page: Path, *args: str) -> None:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}", *args, page.as_uri()]
    result = subprocess.run(command, capture_output=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.fixture(scope="module")
def printout(tmp_path_factory):
    folder = tmp_path_factory.mktemp("printout")
    page = folder / "周报.html"
    page.write_text(html.render_document(views.weekly_document(make_report())), encoding="utf-8")
    return folder, page


def test_weekly_printout_prints_to_several_a4_pages(printout):
    folder, page = printout
    pdf = folder / "周报.pdf"
    chromium(folder, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert page_count(pdf) >= 2
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
        assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 portrait
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              timeout=30).stdout
        assert f"{TITLE} 督办周报" in text  # CJK fonts render (text is extractable, not tofu)
        assert "红灯·逾期" in text and "逾期未完成（80 项）" in text
        assert "<script>alert(1)</script>" in text  # shown as text, not run
        # the header row repeats on the second page
        second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True,
                                text=True, timeout=30).stdout
        assert "工作任务" in second and "应完成日" in second
        assert "督办周报" in second  # and so does the running title of the long table


def test_weekly_printout_screenshot(printout):
    folder, page = printout
    png = folder / "周报.png"
    chromium(folder, page, f"--screenshot={png}", "--window-size=1240,1754", "--hide-scrollbars")
    assert png.exists() and png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 10_000
