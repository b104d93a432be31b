"""A few python-docx helpers so every document looks the same: A4, a Chinese font set where Word
and WPS look for it (w:eastAsia, on the styles and on every run), tables with a repeated, shaded
header row, and pictures in table cells.

python-docx is imported where a document is made, not with this module: the server and the
console commands start without it (it costs a tenth of a second at every start)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.exports.labels import EMPTY, printable

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

FONT = "Microsoft YaHei"  # on Windows and WPS; other systems substitute their Chinese sans
STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption")
# Style ids of python-docx's default template, set directly: assigning a style by name scans every
# style of the document each time, which made a ZIP of 200 reports take half a minute.
STYLE_IDS = {
    "Title": "Title",
    "Subtitle": "Subtitle",
    "Caption": "Caption",
    "Heading 1": "Heading1",
    "Heading 2": "Heading2",
    "Heading 3": "Heading3",
    "Table Grid": "TableGrid",
}
HEADER_FILL = "E6F0EF"
THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def new_document(title: str, lang: str) -> DocumentObject:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    for name in STYLES:
        _set_font(doc.styles[name].element.get_or_add_rPr(), lang)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号
    normal.paragraph_format.space_after = Pt(4)
    properties = doc.core_properties  # the template's own author and dates are not this document's
    properties.title, properties.language = printable(title), lang
    properties.author = properties.comments = properties.last_modified_by = ""
    properties.created = properties.modified = datetime.now(UTC)
    return doc


def _set_font(rpr, lang: str | None = None) -> None:
    """Name the font for Latin and East-Asian text; theme fonts would override it, so drop them."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attribute in THEME_FONTS:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    if lang:
        language = rpr.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            rpr.append(language)
        language.set(qn("w:val"), "zh-CN" if lang == "zh-CN" else "en-GB")
        language.set(qn("w:eastAsia"), "zh-CN")


def run(paragraph: Paragraph, text: str, bold: bool = False):
    added = paragraph.add_run(printable(text))
    added.bold = bold or None
    _set_font(added._element.get_or_add_rPr())
    return added


def heading(doc: DocumentObject, text: str, level: int) -> Paragraph:
    return paragraph(doc, text, f"Heading {level}")


def paragraph(doc: DocumentObject, text: str = "", style: str | None = None) -> Paragraph:
    added = doc.add_paragraph()
    if style:
        added._p.style = STYLE_IDS[style]
    if text:
        run(added, text)
    return added


def field(doc: DocumentObject, label: str, text: str) -> Paragraph:
    """ "Label: text" with the label in bold; an empty field shows a dash, so gaps are visible."""
    added = doc.add_paragraph()
    run(added, label, bold=True)
    run(added, text or EMPTY)
    return added


def table(doc: DocumentObject, headers: list[str], rows: list[list], widths: list[float]) -> Table:
    """A bordered table; a cell's value is text, or PNG bytes drawn as a picture."""
    made = _table(doc, 1, len(headers))
    for cell, text in zip(made.rows[0].cells, headers, strict=True):
        run(cell.paragraphs[0], text, bold=True)
        _shade(cell)
    _repeat_header(made)
    for values in rows:
        for cell, value in zip(made.add_row().cells, values, strict=True):
            _fill(cell, value)
    _widths(made, widths)
    doc.add_paragraph()  # room before what follows
    return made


def pairs(doc: DocumentObject, rows: list[list[str]], widths: list[float]) -> Table:
    """A two-column table of label and text, the labels shaded: no header row needed."""
    made = _table(doc, 0, 2)
    for label, value in rows:
        cells = made.add_row().cells
        run(cells[0].paragraphs[0], label, bold=True)
        _shade(cells[0])
        _fill(cells[1], value)
    _widths(made, widths)
    doc.add_paragraph()
    return made


def _table(doc: DocumentObject, rows: int, columns: int) -> Table:
    made = doc.add_table(rows=rows, cols=columns)
    made._tbl.tblPr.style = STYLE_IDS["Table Grid"]
    return made


def _widths(made: Table, widths: list[float]) -> None:
    """Word reads column widths from the cells, LibreOffice and WPS from the table's grid. Rows
    are kept whole across a page break."""
    from docx.shared import Cm

    made.autofit = False
    for column, width in zip(made.columns, widths, strict=True):
        column.width = Cm(width)
    for row in made.rows:
        _row_flag(row, "w:cantSplit")
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _fill(cell: _Cell, value) -> None:
    from docx.shared import Cm

    if isinstance(value, bytes):
        cell.paragraphs[0].add_run().add_picture(io.BytesIO(value), width=Cm(4.2), height=Cm(0.25))
    else:
        run(cell.paragraphs[0], EMPTY if value is None or value == "" else str(value))


def _shade(cell: _Cell) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._element.get_or_add_tcPr().append(shading)


def _repeat_header(made: Table) -> None:
    """A long table repeats its header row on every page."""
    _row_flag(made.rows[0], "w:tblHeader")


def _row_flag(row, flag: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(flag)
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def to_bytes(doc: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
