"""Open exported files the way a person does, with LibreOffice Calc run headless.

Calc reads .xlsx and CSV as Excel does for what these tests check (number formats, leading
zeros, dates typed into a CSV). Each test run uses its own LibreOffice profile, so parallel
workers and other checkouts never share one. `.ci/run` installs Debian's libreoffice-calc.
"""

import csv
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

SOFFICE = shutil.which("soffice")

requires_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (soffice missing): "
    "apt-get install --no-install-recommends libreoffice-calc, as .ci/run does",
)

# Calc's CSV filter options: separator 44 (,), quote 34 ("), character set, first line 1,
# default column types, language 1041 (ja-JP: what a Japanese desktop uses).
_CHARSETS = {"utf-8": 76, "cp932": 64}
_CSV_FILTER = "Text - txt - csv (StarCalc)"
# Export: UTF-8, values "as shown" (token 9), every sheet to its own file (token 12 = -1).
_SHOWN_ALL_SHEETS = f"csv:{_CSV_FILTER}:44,34,76,1,,1041,false,true,true,false,false,-1"
TIMEOUT_SECONDS = 120


@dataclass
class LibreOffice:
    """A headless LibreOffice with its own profile and working folder."""

    profile: Path
    work: Path

    def _run(self, source: Path, *, to: str, infilter: str | None = None) -> Path:
        out = self.work / f"out-{source.stem}-{to.split(':')[0]}"
        out.mkdir(exist_ok=True)
        command = [
            str(SOFFICE),
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
        ]
        if infilter:
            command.append(f"--infilter={infilter}")
        command += ["--convert-to", to, "--outdir", str(out), str(source)]
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        return out

    def _source(self, content: bytes, name: str) -> Path:
        path = self.work / name
        path.write_bytes(content)
        return path

    def sheets_as_shown(self, content: bytes, *, name: str) -> dict[str, list[list[str]]]:
        """Return each sheet of a workbook as the text its cells show, by sheet name."""
        source = self._source(content, name)
        out = self._run(source, to=_SHOWN_ALL_SHEETS)
        sheets = {}
        for path in sorted(out.glob(f"{source.stem}-*.csv")):
            sheet = path.stem[len(source.stem) + 1 :]
            with path.open(encoding="utf-8", newline="") as handle:
                sheets[sheet] = list(csv.reader(handle))
        return sheets

    def csv_opened(self, content: bytes, *, name: str, encoding: str) -> list[list[object]]:
        """Return a CSV as Calc reads it when opened (typed values), via a saved workbook."""
        source = self._source(content, name)
        infilter = f"{_CSV_FILTER}:44,34,{_CHARSETS[encoding]},1,,1041"
        out = self._run(source, to="xlsx", infilter=infilter)
        book = openpyxl.load_workbook(out / f"{source.stem}.xlsx")
        return [[cell.value for cell in row] for row in book.active.iter_rows()]

    def pdf(self, content: bytes, *, name: str, infilter: str | None = None) -> Path:
        """Return the path of the file printed to PDF, as a person would print it."""
        source = self._source(content, name)
        return self._run(source, to="pdf", infilter=infilter) / f"{source.stem}.pdf"


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    """Return a headless LibreOffice for this test session (skips without soffice)."""
    if SOFFICE is None:
        pytest.skip(requires_soffice.kwargs["reason"])
    base = tmp_path_factory.mktemp("libreoffice")
    (base / "work").mkdir()
    return LibreOffice(profile=base / "profile", work=base / "work")
