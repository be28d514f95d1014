"""Header and rows to CSV (streamed, chunk by chunk) or XLSX (openpyxl write-only)."""

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from openpyxl import Workbook

from .cells import safe_cell

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}

Progress = Callable[[int], None]


class _Echo:
    """A file-like object that hands back what ``csv.writer`` writes."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    header: list[str], rows: Iterable[list], *, progress: Progress | None = None
) -> Iterator[str]:
    """The CSV text piece by piece: a BOM (Excel reads UTF-8), the header, rows.

    ``progress`` is called with the number of rows written so far, every
    row (callers decide how often to record it).
    """
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([safe_cell(c) for c in header])
    buffer: list[str] = []
    for n, row in enumerate(rows, start=1):
        buffer.append(writer.writerow([safe_cell(c) for c in row]))
        if progress is not None:
            progress(n)
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def write_csv(
    out: IO[bytes],
    header: list[str],
    rows: Iterable[list],
    *,
    progress: Progress | None = None,
) -> None:
    for chunk in csv_chunks(header, rows, progress=progress):
        out.write(chunk.encode("utf-8"))


def write_xlsx(
    out: IO[bytes],
    header: list[str],
    rows: Iterable[list],
    *,
    title: str = "Export",
    progress: Progress | None = None,
) -> None:
    """One sheet, bold-free and formula-free, in openpyxl's write-only mode."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Export")
    sheet.append([safe_cell(c) for c in header])
    for n, row in enumerate(rows, start=1):
        sheet.append([safe_cell(c) for c in row])
        if progress is not None:
            progress(n)
    book.save(out)
