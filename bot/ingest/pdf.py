"""PDF files, from their text layer (pypdf). A scanned PDF (pages without text) is refused as such.

The text is what pypdf reads, page after page (pages separated by a blank line), with the
printed line wrapping undone: a line that does not end a sentence and reaches close to the page's
usual line length is joined with the next one, so a sentence is not cut at every printed line
(a line break ends a sentence for the chunker). Titles, short lines and list items stay on their own.
"""

from __future__ import annotations

import io
import logging
import re

from .metadata import ExtractionError, Extracted, first_line_title, parse_when, tidy_text

_ENDS_SENTENCE = re.compile(r"[.!?:;。！？；…]['\"”’)\]]*$")
_STARTS_ITEM = re.compile(r"^\s*(?:[-•*–·▪●]|\d{1,3}[.)]|[a-z][.)]|[IVX]+\.)\s")
# pypdf logs every oddity of a file as a warning; a broken file is reported as one Problem instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def unwrap(page: str) -> str:
    lines = [line.strip() for line in page.replace("\r\n", "\n").split("\n")]
    lengths = sorted(len(line) for line in lines if line)
    if not lengths:
        return ""
    usual = lengths[int(len(lengths) * 0.8)] if len(lengths) >= 3 else lengths[-1]
    out: list[str] = []
    joinable = False  # may the next line continue the last one?
    for line in lines:
        if not line:
            out.append("")
            joinable = False
            continue
        if out and joinable and not _STARTS_ITEM.match(line):
            glue = "" if (_CJK.search(out[-1][-1:]) and _CJK.search(line[:1])) or out[-1].endswith("-") else " "
            out[-1] = out[-1] + glue + line
        else:
            out.append(line)
        joinable = len(line) >= 0.7 * usual and not _ENDS_SENTENCE.search(line) and len(lengths) >= 3
    return "\n".join(out)


def extract_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("the PDF is password-protected: save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, NotImplementedError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExtractionError(f"not a readable PDF ({reason}): open it and save it again as PDF, "
                              "or convert it to .md") from None
    if not pages:
        raise ExtractionError("the PDF has no pages")
    if not any(p.strip() for p in pages):
        raise ExtractionError(
            f"a scanned PDF without a text layer ({len(pages)} page{'s' if len(pages) > 1 else ''} of images, "
            "no text to read): run it through OCR, or type the announcement into a .md file"
        )
    text = tidy_text("\n\n".join(unwrap(p) for p in pages if p.strip()))
    title = date = None
    if info is not None:
        raw_title = (info.title or "").strip() if isinstance(info.title, str) else ""
        # Word's export often leaves "Microsoft Word - file.docx" or a bare file name as the title.
        if raw_title and not re.search(r"(?i)^microsoft word|\.(docx?|pdf|odt|indd)$|^untitled", raw_title):
            title = " ".join(raw_title.split())
        raw_date = info.get("/CreationDate")
        date = parse_when(str(raw_date)) if raw_date else None
    extracted = Extracted(text=text, title=title, first_heading=first_line_title(text))
    if date is not None:
        extracted.date = date
        extracted.guessed["date"] = "the PDF's creation date"
    return extracted
