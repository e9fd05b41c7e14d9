"""Word files (.docx, python-docx): paragraphs and tables in document order, headings kept as lines.

Each paragraph is one paragraph of the text (separated by blank lines); a table becomes one line
per row, its cells joined by `` | ``. The title is the document's Title property, else its first
Title/Heading paragraph (the caller warns); the language comes from detection.
"""

from __future__ import annotations

import datetime
import io
import zipfile

from .metadata import ExtractionError, Extracted, first_line_title, tidy_text

# python-docx's own template carries this creation date: it says nothing about the announcement.
_TEMPLATE_CREATED = datetime.datetime(2013, 12, 23, 23, 15)


def _paragraph_text(paragraph) -> str:
    return " ".join(paragraph.text.split())


def extract_docx(data: bytes) -> Extracted:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExtractionError(f"not a readable Word .docx file ({reason}): open it in Word or LibreOffice and "
                              "save it again as .docx (a .doc file must be converted first)") from None
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise ExtractionError(f"not a readable Word .docx file ({type(exc).__name__}: {exc}): save it again as "
                              ".docx") from None

    blocks: list[str] = []
    heading = None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = _paragraph_text(paragraph)
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if heading is None and (style == "Title" or style.startswith("Heading")):
                heading = text
            blocks.append(text)
        elif tag == "tbl":
            rows = []
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell is returned once per grid column
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                if any(cells):
                    rows.append("| " + " | ".join(cells) + " |")
            if rows:
                blocks.append("\n".join(rows))
    text = tidy_text("\n\n".join(blocks))

    props = document.core_properties
    title = " ".join((props.title or "").split()) or None
    extracted = Extracted(text=text, title=title, first_heading=heading or first_line_title(text))
    created = props.created
    if created is not None and created.replace(tzinfo=None) != _TEMPLATE_CREATED:
        extracted.date = created.date()
        extracted.guessed["date"] = "the Word document's creation date"
    return extracted
