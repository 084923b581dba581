"""The HTML printouts in a real browser: headless Chromium prints them to A4 PDF, and a screenshot."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support import shipped

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium fonts-noto-cjk poppler-utils)")

JOURNAL = shipped.SHIPPED_JOURNAL
AS_OF = ("--as-of", "2018-07-16", "--journal", str(JOURNAL))
MAX_WEEKLY_PAGES = 6


def chromium(folder: Path, page: Path, *args: str) -> None:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", f"--user-data-dir={folder / 'profile'}", *args, page.as_uri()]
    result = subprocess.run(command, capture_output=True, timeout=120, cwd=folder)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]


def pdf_info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30).stdout


def page_count(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        return int(re.search(r"^Pages:\s+(\d+)", pdf_info(pdf), re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def page_text(pdf: Path, number: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, timeout=30).stdout


def print_page(fupin, folder: Path, name: str, *args: str) -> Path:
    page = folder / f"{name}.html"
    result = fupin(*args, *AS_OF, "--output", str(page))
    assert result.code in (0, 1), result.err
    pdf = folder / f"{name}.pdf"
    chromium(folder, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


def test_the_shipped_weekly_prints_in_at_most_six_a4_pages(fupin, tmp_path):
    pdf = print_page(fupin, tmp_path, "周报", "report", "weekly")
    pages = page_count(pdf)
    assert 2 <= pages <= MAX_WEEKLY_PAGES
    if not shutil.which("pdftotext"):
        return
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", pdf_info(pdf)).groups())
    assert abs(width - 595) < 3 and abs(height - 842) < 3  # A4 portrait
    text = "\n".join(page_text(pdf, n) for n in range(1, pages + 1))
    assert "2018年汕头市脱贫攻坚主要任务清单 督办周报（2018年第29周）" in text  # CJK fonts render: text extracts
    assert f"依据：{shipped.DOC_NO}" in text and "合计" in text
    for number in range(1, pages + 1):
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{pages}\s*页", page_text(pdf, number)), number
    # nothing lost: every overdue task and period of the JSON is on the printout
    assert (f"逾期未完成（{shipped.WEEK29_OVERDUE_TASKS} 项，"
            f"涉及 {shipped.WEEK29_OVERDUE_UNIT_TIMES} 个单位次）") in text
    continued = [n for n in range(2, pages + 1) if "工作任务" in page_text(pdf, n)]
    assert continued
    for number in continued:  # a list that runs on says which list it is
        assert re.search(r"(逾期未完成|本周到期|下周到期|本周已完成)（\d+ 项", page_text(pdf, number)), number


def test_each_unit_notice_is_one_page(fupin, tmp_path):
    notices = fupin("report", "notice", "--each-unit", "--format", "json", *AS_OF).json()["notices"]
    pdf = print_page(fupin, tmp_path, "通知单", "report", "notice", "--each-unit")
    assert page_count(pdf) == len(notices) == shipped.WEEK29_NOTICES
    if shutil.which("pdftotext"):
        for number, notice in enumerate(notices, start=1):
            text = page_text(pdf, number).replace(" ", "")  # the heading is letter-spaced
            assert f"督办通知单（{notice['unit']}）" in text and "签发人" in text, number


def test_monthly_trend_chart_prints(fupin, tmp_path):
    pdf = print_page(fupin, tmp_path, "月报", "report", "monthly")
    assert page_count(pdf) >= 2
    if shutil.which("pdftotext"):
        text = "".join(page_text(pdf, n) for n in range(1, page_count(pdf) + 1)).replace(" ", "")
        assert "完成率走势（全市，按周）" in text and "7/16" in text


def test_weekly_screenshot(fupin, tmp_path):
    page = tmp_path / "周报.html"
    assert fupin("report", "weekly", *AS_OF, "--output", str(page)).code in (0, 1)
    png = tmp_path / "周报.png"
    chromium(tmp_path, page, f"--screenshot={png}", "--window-size=1240,1754", "--hide-scrollbars")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000
