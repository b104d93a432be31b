"""The take-home report as a web page: the DOCX the report builds, read back block by block
(headings, paragraphs, tables, the bars' pictures), so the page and the document never say
different things and every kind's report section appears in both without a second renderer.
Only text and pictures leave here; the template escapes the text."""

import base64
from dataclasses import dataclass, field

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

# Paragraph styles (docxkit.STYLE_IDS) as the page's elements, a level below the page's own h1;
# anything else is a paragraph.
ELEMENTS = {"Title": "h2", "Subtitle": "subtitle", "Heading1": "h3", "Heading2": "h4", "Heading3": "h5"}
BLIP, EMBED, HEADER_ROW, SHADING = qn("a:blip"), qn("r:embed"), qn("w:tblHeader"), qn("w:shd")


@dataclass(frozen=True)
class Run:
    text: str = ""
    bold: bool = False
    picture: str = ""  # a data: URI (the page loads nothing from elsewhere)


@dataclass(frozen=True)
class Block:
    element: str  # h1 … h4, subtitle, p
    runs: list[Run]


@dataclass(frozen=True)
class Cell:
    blocks: list[Block]
    label: bool  # a shaded label cell of a two-column table

    @property
    def text(self) -> str:
        return " ".join(r.text for b in self.blocks for r in b.runs if r.text)


@dataclass(frozen=True)
class Grid:
    header: list[Cell] = field(default_factory=list)  # empty for label/value pairs
    rows: list[list[Cell]] = field(default_factory=list)


def blocks(doc: DocumentObject) -> list[Block | Grid]:
    """The document's body in order; empty paragraphs (spacing in Word) are left out."""
    found: list[Block | Grid] = []
    for element in doc.element.body.iterchildren():
        if element.tag == qn("w:p"):
            block = _block(Paragraph(element, doc), doc)
            if block.runs:
                found.append(block)
        elif element.tag == qn("w:tbl"):
            found.append(_grid(Table(element, doc), doc))
    return found


def _block(paragraph: Paragraph, doc: DocumentObject) -> Block:
    style = paragraph._p.style or ""
    runs = [r for run in paragraph.runs for r in _runs(run, doc)]
    return Block(ELEMENTS.get(style, "p"), [r for r in runs if r.text or r.picture])


def _runs(run, doc: DocumentObject) -> list[Run]:
    pictures = [_data_uri(doc, blip.get(EMBED)) for blip in run._r.iter(BLIP)]
    return [Run(run.text, bool(run.bold)), *(Run(picture=p) for p in pictures)]


def _data_uri(doc: DocumentObject, relation: str) -> str:
    image = doc.part.related_parts[relation]
    return f"data:{image.content_type};base64,{base64.b64encode(image.blob).decode()}"


def _grid(table: Table, doc: DocumentObject) -> Grid:
    rows = [[_cell(cell, doc) for cell in row.cells] for row in table.rows]
    first = table.rows[0]._tr if table.rows else None
    if first is not None and first.trPr is not None and first.trPr.find(HEADER_ROW) is not None:
        return Grid(header=rows[0], rows=rows[1:])
    return Grid(rows=rows)


def _cell(cell: _Cell, doc: DocumentObject) -> Cell:
    properties = cell._tc.tcPr
    shaded = properties is not None and properties.find(SHADING) is not None
    found = [_block(p, doc) for p in cell.paragraphs]
    return Cell([b for b in found if b.runs], shaded)
