"""From file bytes to text: which files are retrievable, text extraction, the chunking
strategies and the tokens chunks are counted in (``search.build_index`` cuts the windows).
Pure: no sandbox, no HTTP.

"Tokens" are approximated by words and punctuation marks (``\\w+`` or one non-space symbol),
close enough to the real tokenizer for chunk counts of the right order and fully
deterministic.
"""

from __future__ import annotations

import io
import re
import zipfile

#: extensions the real API accepts for retrieval (wire-format §10 item 4)
SUPPORTED_EXTENSIONS = frozenset(
    [
        ".c",
        ".cs",
        ".cpp",
        ".doc",
        ".docx",
        ".html",
        ".java",
        ".json",
        ".md",
        ".pdf",
        ".php",
        ".pptx",
        ".py",
        ".rb",
        ".tex",
        ".txt",
        ".css",
        ".js",
        ".sh",
        ".ts",
    ]
)

#: the chunking the API reports for ``auto`` (and the default)
AUTO = {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}

#: real limit: 5 000 000 tokens per file; at ~4 bytes a token this many bytes of text
MAX_INDEXED_BYTES = 20_000_000

TOO_LARGE = ("invalid_file", "The file could not be parsed because it is too large.")
NOT_SUPPORTED = ("unsupported_file", "The file type is not supported.")

#: a token: a word (group 1) or one punctuation mark
TOKEN = re.compile(r"(\w+)|[^\w\s]")
_XML_TAG = re.compile(rb"<[^>]+>")
_PDF_TEXT = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*T[jJ]")


def extension(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot > 0 else ""


def retrievable(filename: str) -> bool:
    return extension(filename) in SUPPORTED_EXTENSIONS


def static_strategy(requested: dict | None) -> dict:
    """The ``chunking_strategy`` object a vector store file reports."""
    if requested and requested.get("type") == "static":
        return {"type": "static", "static": dict(requested["static"])}
    return {"type": "static", "static": dict(AUTO)}


class ExtractionError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def extract_text(filename: str, data: bytes) -> str:
    """The text of a retrievable file, or :class:`ExtractionError` as the file's ``last_error``."""
    if len(data) > MAX_INDEXED_BYTES:
        raise ExtractionError(*TOO_LARGE)
    ext = extension(filename)
    if ext in (".docx", ".pptx"):
        return _office_text(data)
    if ext == ".pdf":
        return _pdf_text(data)
    return _plain_text(data)


def _plain_text(data: bytes) -> str:
    """utf-8, utf-16 (with a BOM) or ascii, as the real API requires of text files."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError(*NOT_SUPPORTED) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExtractionError(*NOT_SUPPORTED) from None
    if "\x00" in text:  # binary content behind a text extension
        raise ExtractionError(*NOT_SUPPORTED)
    return text


def _office_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = sorted(
                n
                for n in archive.namelist()
                if n == "word/document.xml"
                or (n.startswith("ppt/slides/slide") and n.endswith(".xml"))
            )
            if not names:
                raise ExtractionError(*NOT_SUPPORTED)
            parts = [_XML_TAG.sub(b" ", archive.read(n)).decode("utf-8", "replace") for n in names]
    except zipfile.BadZipFile:
        raise ExtractionError(*NOT_SUPPORTED) from None
    return "\n".join(" ".join(p.split()) for p in parts)


def _pdf_text(data: bytes) -> str:
    """Text-showing operators of uncompressed PDF content; a plain-text body is accepted too."""
    if not data.startswith(b"%PDF"):
        return _plain_text(data)
    pieces = [m.group(1).decode("latin-1") for m in _PDF_TEXT.finditer(data)]
    if not pieces:
        raise ExtractionError(*NOT_SUPPORTED)
    return " ".join(pieces)


def tokens(text: str) -> list[str]:
    """Search terms: lower-cased words (punctuation is not a term)."""
    return [t for t in re.findall(r"\w+", text.lower()) if t not in STOPWORDS]


STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
    ]
)
