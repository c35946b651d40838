"""From a retrievable file's bytes to the text file_search indexes. Pure: no sandbox, no HTTP.

PDF, Word (``.docx``) and PowerPoint (``.pptx``) documents are read with maintained libraries
(pypdf, python-docx, python-pptx), because real documents are not simple: their streams are
compressed (FlateDecode), fonts carry their own encodings, words are split across runs and
characters are escaped. Every other retrievable type is a text file, which the real API
required to be utf-8, utf-16 (with a byte order mark) or ascii.

A file that cannot be read raises :class:`ExtractionError` with the ``last_error`` the real
API gave such files (``unsupported_file`` / ``The file type is not supported.``): an empty
file too, whatever its extension (it holds no document, nor any text to index). A file, or
the text read from a document, over :data:`MAX_INDEXED_BYTES` raises it with ``invalid_file``
/ ``The file could not be parsed because it is too large.``: a compressed document (a Word
file is a zip archive) can hold far more text than its size says.

The libraries are imported on first use: together they take about a quarter of a second to
import, which every pytest session that loads the plugin would pay for nothing.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from typing import Any

from .. import errors
from .chunking import extension

#: real limit: 5 000 000 tokens per file; at ~4 bytes a token, files (and texts) over this
#: many bytes
MAX_INDEXED_BYTES = 20_000_000


class ExtractionError(Exception):
    """The file cannot be indexed; ``last_error`` is what its vector store file reports."""

    def __init__(self, last_error: dict[str, str]) -> None:
        super().__init__(last_error["message"])
        self.last_error = last_error


def extract_text(filename: str, data: bytes) -> str:
    """The text of a retrievable file, or :class:`ExtractionError` (the caller judges the
    file's size: ``ingestion`` refuses a file too large before reading it)."""
    if not data:
        raise ExtractionError(errors.file_not_supported())
    return _READERS.get(extension(filename), _plain_text)(data)


def _plain_text(data: bytes) -> str:
    """utf-8, utf-16 (with a BOM) or ascii, as the real API requires of text files."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError(errors.file_not_supported()) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractionError(errors.file_not_supported()) from None
    if "\x00" in text:  # binary content behind a text extension
        raise ExtractionError(errors.file_not_supported())
    return text


def _document(read: Callable[[bytes], Iterator[str]], data: bytes) -> str:
    """The lines ``read`` finds in a document, given up once their text is too large. The
    libraries fail on damaged, encrypted or mislabelled files with errors of every kind
    (their own, ``KeyError``, ``ValueError``, zip and XML errors...); whichever it is, the
    file cannot be read."""
    lines, size = [], 0
    try:
        for line in read(data):
            if not line.strip():
                continue
            size += len(line.encode()) + bool(lines)  # and the newline before it
            if size > MAX_INDEXED_BYTES:
                raise ExtractionError(errors.file_too_large_to_parse())
            lines.append(line)
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError(errors.file_not_supported()) from exc
    return "\n".join(lines)


def _pdf_text(data: bytes) -> str:
    """Each page's text, in page order. A body that is not a PDF at all (no ``%PDF-``
    header where readers look for it) is read as text: tests often upload a few words
    named ``.pdf``."""
    if b"%PDF-" not in data[:1024]:
        return _plain_text(data)
    return _document(_pdf_lines, data)


def _pdf_lines(data: bytes) -> Iterator[str]:
    from pypdf import PdfReader

    # pypdf logs a warning for each flaw it meets in a damaged file ("EOF marker not found"),
    # which with no logging set up goes to stderr: noise, since the file's status says it all
    # (its documented way to quiet them; a level the application chose stays)
    quiet = logging.getLogger("pypdf")
    if quiet.level == logging.NOTSET:
        quiet.setLevel(logging.ERROR)

    reader = PdfReader(io.BytesIO(data))  # tries the empty password on an encrypted file
    for page in reader.pages:
        yield page.extract_text()


def _docx_lines(data: bytes) -> Iterator[str]:
    """Paragraphs and tables of the body, in document order (one line per table row)."""
    from docx import Document

    yield from _blocks(Document(io.BytesIO(data)))


def _blocks(container: Any) -> Iterator[str]:
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = list({id(cell._tc): cell for cell in row.cells}.values())  # merged once
                yield " | ".join(" ".join(_blocks(cell)) for cell in cells)
        else:
            yield block.text


def _pptx_lines(data: bytes) -> Iterator[str]:
    """Slide by slide: the text of every shape (grouped ones and tables included), then the
    speaker notes."""
    from pptx import Presentation

    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            yield from _shape_lines(shape)
        notes = slide.notes_slide.notes_text_frame if slide.has_notes_slide else None
        if notes is not None:
            yield notes.text


def _shape_lines(shape: Any) -> Iterator[str]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for inner in shape.shapes:
            yield from _shape_lines(inner)
    elif getattr(shape, "has_table", False):
        for row in shape.table.rows:
            yield " | ".join(cell.text for cell in row.cells)
    elif shape.has_text_frame:
        yield shape.text_frame.text


_READERS: dict[str, Callable[[bytes], str]] = {
    ".pdf": _pdf_text,
    ".docx": lambda data: _document(_docx_lines, data),
    ".pptx": lambda data: _document(_pptx_lines, data),
}
