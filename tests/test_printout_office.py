"""The Word printouts through LibreOffice: converted headless to PDF, pages counted and read back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from support import shipped

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-writer; .ci/run does)")

JOURNAL = shipped.SHIPPED_JOURNAL
AS_OF = ("--as-of", "2018-07-16", "--journal", str(JOURNAL))


def to_pdf(folder: Path, document: Path) -> Path:
    command = [SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to", "pdf",
               "--outdir", str(folder), str(document)]
    result = subprocess.run(command, capture_output=True, timeout=240)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    pdf = document.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


def pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=30).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def text_of(pdf: Path, number: int) -> str:
    found = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                           capture_output=True, text=True, timeout=30).stdout
    return re.sub(r"\s+", "", found)


def test_the_shipped_weekly_in_word_is_at_most_six_a4_pages(fupin, tmp_path):
    document = tmp_path / "周报.docx"  # --format inferred from the ending
    assert fupin("report", "weekly", *AS_OF, "--output", str(document)).code in (0, 1)
    pdf = to_pdf(tmp_path, document)
    count = pages(pdf)
    assert 2 <= count <= 6
    if not shutil.which("pdftotext"):
        return
    first = text_of(pdf, 1)
    assert "督办周报（2018年第29周）" in first and f"依据：{shipped.DOC_NO}" in first and "合计" in first
    for number in range(1, count + 1):
        text = text_of(pdf, number)
        assert f"第{number}页共{count}页" in text, number  # the footer's PAGE and NUMPAGES fields
        if number > 1 and "工作任务" in text:  # a continued list repeats its title and header rows
            assert re.search(r"(逾期未完成|本周到期|下周到期|本周已完成)（\d+项", text), number
    everything = "".join(text_of(pdf, n) for n in range(1, count + 1))
    assert (f"逾期未完成（{shipped.WEEK29_OVERDUE_TASKS}项，"
            f"涉及{shipped.WEEK29_OVERDUE_UNIT_TIMES}个单位次）") in everything and "10a.1" in everything


def test_notices_in_word_one_page_each(fupin, tmp_path):
    notices = fupin("report", "notice", "--each-unit", "--format", "json", *AS_OF).json()["notices"]
    folder = tmp_path / "通知单"
    result = fupin("report", "notice", "--each-unit", "--output-dir", str(folder), "--format", "docx", *AS_OF)
    assert result.code == 0, result.err
    files = sorted(folder.glob("*.docx"))
    assert len(files) == len(notices) == shipped.WEEK29_NOTICES
    together = tmp_path / "通知单.docx"
    assert fupin("report", "notice", "--each-unit", *AS_OF, "--output", str(together)).code == 0
    pdf = to_pdf(tmp_path, together)
    assert pages(pdf) == len(notices)
    if shutil.which("pdftotext"):
        for number, notice in enumerate(notices, start=1):
            text = text_of(pdf, number)
            assert f"督办通知单（{notice['unit']}）" in text and "签发人" in text, number


def test_monthly_and_quarterly_in_word(fupin, tmp_path):
    for kind in ("monthly", "quarterly"):
        document = tmp_path / f"{kind}.docx"
        assert fupin("report", kind, *AS_OF, "--output", str(document)).code in (0, 1)
        pdf = to_pdf(tmp_path, document)
        assert pages(pdf) >= 2
        if shutil.which("pdftotext"):
            assert "完成率走势（全市，按周）" in "".join(text_of(pdf, n) for n in range(1, pages(pdf) + 1))
