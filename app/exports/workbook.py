"""The whole session as an XLSX workbook for the facilitator: a sheet per subject, headers in
their language, bold and frozen, columns as wide as their content. Trainee text is data, never a
formula: a cell starting with = + - @ is stored as text with Excel's quote prefix."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from app.course.models import Course
from app.exports import answers, planrows, sheets
from app.exports.labels import Labels, printable
from app.exports.sheets import Room, Sheet
from app.models import LiveSession

if TYPE_CHECKING:  # openpyxl itself is imported when a workbook is made, not at start-up
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

RISKY = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula
NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 6, 60
SAMPLE_ROWS = 500  # enough rows to size a column by
HEADER_FILL = "E6F0EF"
FIRST = (sheets.trainees, sheets.team_sheet, answers.answer_sheet)  # then the kinds' own sheets
LAST = (planrows.plan_sheet, sheets.feedback_sheet, sheets.points_sheet, sheets.badge_sheet)


def session_workbook(db: Session, session: LiveSession, course: Course, lang: str) -> bytes:
    from openpyxl import Workbook

    room = Room(db, session, course, Labels(course, lang))
    book = Workbook()
    book.remove(book.active)
    book.properties.creator, book.properties.title = "", room.words.t("export.panel.workbook")
    kinds = [sheet for kind, found in room.kind_parts() for sheet in kind.sheets(room, found)]
    for sheet in [*(make(room) for make in FIRST), *kinds, *(make(room) for make in LAST)]:
        _write(book, sheet, room.words)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(book: Workbook, sheet: Sheet, words: Labels) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    page = book.create_sheet(NOT_IN_TITLES.sub("", words.t(sheet.title))[:31])
    for column, header in enumerate(sheet.headers, 1):
        cell = put(page, 1, column, header)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    for row_number, row in enumerate(sheet.rows, 2):
        for column, value in enumerate(row, 1):
            put(page, row_number, column, value)
    page.freeze_panes = "A2"
    if sheet.rows:
        page.auto_filter.ref = f"A1:{get_column_letter(len(sheet.headers))}{len(sheet.rows) + 1}"
    _size_columns(page, sheet)


def put(page: Worksheet, row: int, column: int, value):
    """Write one cell: text cleaned and never a formula, times as dates."""
    if isinstance(value, str):
        value = printable(value)
    cell = page.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(RISKY):
        cell.data_type, cell.quotePrefix = "s", True
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def _size_columns(page: Worksheet, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(sheet.headers):
        values = [header, *(row[index] for row in sheet.rows[:SAMPLE_ROWS])]
        widest = max(_width(v) for v in values)
        letter = get_column_letter(index + 1)
        page.column_dimensions[letter].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        if widest > MAX_WIDTH:  # long text wraps inside its column
            for (cell,) in page.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.alignment = wrap


def _width(value) -> int:
    """Display width: a Chinese character takes two columns."""
    if isinstance(value, datetime):
        return 16
    text = "" if value is None else str(value)
    longest = max(text.split("\n"), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)
