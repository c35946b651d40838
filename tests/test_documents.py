"""Real documents (issue 9, A8): PDF, Word and PowerPoint files built the way common tools
build them (compressed streams, embedded fonts, several pages, words split across runs,
unicode), indexed, searched and cited through the strict SDK; files that truly cannot be
read end ``failed`` with the real ``last_error``."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import reportlab
from docx import Document
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.conftest import file_search_assistant, make_client, serve_process

#: chunks far smaller than a page of the handbook below (windows start every 50 tokens)
SMALL_CHUNKS = {
    "type": "static",
    "static": {"max_chunk_size_tokens": 100, "chunk_overlap_tokens": 50},
}

#: three pages of about 200 tokens each, in unicode
PAGES = [
    [
        "Dessert menu of the harbour café.",
        "Our crème brûlée (served with “burnt” sugar) costs 7 € — déjà vu for regulars.",
    ]
    + [f"Page one filler sentence number {i} about plates and spoons." for i in range(16)],
    ["Lighthouse log."]
    + [f"Page two filler sentence number {i} about waves and lamps." for i in range(8)]
    + ["The keeper on Ærøskøbing pier records every storm in the ledger at dawn."]
    + [f"Page two filler sentence number {i} about waves and lamps." for i in range(8, 16)],
    ["Staff rota.", "Shifts rotate weekly between the kitchen and the pier."]
    + [f"Page three filler sentence number {i} about shifts and rotas." for i in range(16)],
]


def _pdf(pages: list[list[str]]) -> bytes:
    """A PDF as reportlab writes one: Flate-compressed page streams, and text in an embedded
    subset TrueType font (Bitstream Vera, shipped with reportlab) with its own encoding."""
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("Vera", str(fonts / "Vera.ttf")))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for lines in pages:
        text = pdf.beginText(72, 760)
        text.setFont("Vera", 10)
        for line in lines:
            text.textLine(line)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def _scan() -> bytes:
    """A PDF with no text layer, as a scanner makes one (here a drawing, not an image)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    pdf.rect(72, 600, 200, 100, fill=1)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _locked(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx() -> bytes:
    document = Document()
    document.add_heading("Research & Development notes", level=1)
    paragraph = document.add_paragraph("The old ")
    paragraph.add_run("light").italic = True
    paragraph.add_run("house").bold = True  # one word, three runs
    paragraph.add_run(" keeps a naïve café menu.")
    table = document.add_table(rows=2, cols=2)
    for row, (animal, place) in enumerate([("Animal", "Habitat"), ("Quokka", "Rottnest Island")]):
        table.cell(row, 0).text, table.cell(row, 1).text = animal, place
    document.add_paragraph("After the table comes the conclusion.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pptx(slides: int = 11) -> bytes:
    presentation = Presentation()
    for number in range(1, slides + 1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"Slide {number}"
        slide.placeholders[1].text = f"Point {number}: revenue & margins grew in región {number}"
    last = presentation.slides[-1]
    rows = last.shapes.add_table(2, 2, Inches(1), Inches(5), Inches(4), Inches(1)).table
    rows.cell(0, 0).text, rows.cell(0, 1).text = "Quarter", "Quokkas counted"
    rows.cell(1, 0).text, rows.cell(1, 1).text = "Q3", "forty-two"
    last.notes_slide.notes_text_frame.text = "Speaker notes: thank the wombat team."
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def _content(client, store_id: str, file_id: str) -> str:
    return "\n".join(
        p.text for p in client.vector_stores.files.content(file_id, vector_store_id=store_id)
    )


def _store_with(client, name: str, data: bytes, **kwargs):
    file = client.files.create(file=(name, data), purpose="assistants")
    store = client.vector_stores.create(file_ids=[file.id], **kwargs)
    vs_file = client.vector_stores.files.retrieve(file.id, vector_store_id=store.id)
    assert (vs_file.status, vs_file.last_error) == ("completed", None)
    return file, store


def test_a_compressed_multi_page_pdf_is_read_searched_by_page_and_cited(client):
    data = _pdf(PAGES)
    assert b"/FlateDecode" in data and b"lighthouse" not in data.lower()  # compressed
    file, store = _store_with(client, "handbook.pdf", data)  # 800-token chunks: one here
    text = _content(client, store.id, file.id)
    assert "crème brûlée (served with “burnt” sugar) costs 7 € — déjà vu" in text
    assert "The keeper on Ærøskøbing pier records every storm in the ledger" in text
    assert "\\(" not in text and "\\)" not in text
    assert text.index("Dessert menu") < text.index("Lighthouse log") < text.index("Staff rota")

    small = client.vector_stores.create(file_ids=[file.id], chunking_strategy=SMALL_CHUNKS)
    hits = client.vector_stores.search(small.id, query="keeper storm ledger").data
    best = hits[0].content[0].text
    assert "records every storm in the ledger" in best
    assert "spoons" not in best and "rotas" not in best  # a chunk of page 2 alone

    assistant = file_search_assistant(client, small.id)
    thread = client.beta.threads.create(
        messages=[{"role": "user", "content": "Who records every storm in the ledger?"}]
    )
    run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    answer = client.beta.threads.messages.list(thread.id).data[0].content[0].text
    citation = answer.annotations[0]
    assert citation.type == "file_citation" and citation.file_citation.file_id == file.id
    assert answer.value[citation.start_index : citation.end_index] == citation.text
    steps = client.beta.threads.runs.steps.list(
        run.id,
        thread_id=thread.id,
        include=["step_details.tool_calls[*].file_search.results[*].content"],
    )
    (search,) = next(s for s in steps if s.type == "tool_calls").step_details.tool_calls
    assert search.file_search.results[0].content[0].text == best


def test_a_word_document_reads_as_its_words_in_order(client):
    file, store = _store_with(client, "notes.docx", _docx())
    text = _content(client, store.id, file.id)
    assert text.splitlines() == [
        "Research & Development notes",
        "The old lighthouse keeps a naïve café menu.",
        "Animal | Habitat",
        "Quokka | Rottnest Island",
        "After the table comes the conclusion.",
    ]
    hits = client.vector_stores.search(store.id, query="lighthouse quokka").data
    assert [h.file_id for h in hits] == [file.id]


def test_a_presentation_reads_slide_by_slide_with_tables_and_notes(client):
    file, store = _store_with(client, "review.pptx", _pptx())
    lines = _content(client, store.id, file.id).splitlines()
    titles = [line for line in lines if line.startswith("Slide ")]
    assert titles == [f"Slide {n}" for n in range(1, 12)]  # slide 10 after slide 9
    assert "Point 2: revenue & margins grew in región 2" in lines
    assert lines[-3:] == [
        "Quarter | Quokkas counted",
        "Q3 | forty-two",
        "Speaker notes: thank the wombat team.",
    ]
    hits = client.vector_stores.search(store.id, query="wombat").data
    assert [h.file_id for h in hits] == [file.id]


def test_each_document_ends_completed_or_with_the_real_last_error(client):
    docx, pptx, pdf = _docx(), _pptx(2), _pdf(PAGES[:1])
    documents = {
        "handbook.pdf": pdf,
        "scan.pdf": _scan(),  # nothing to read, but nothing wrong: indexed, empty
        "notes.docx": docx,
        "review.pptx": pptx,
        "broken.pdf": pdf[: len(pdf) // 3],  # cut short: no cross-reference table, no pages
        "locked.pdf": _locked(pdf),  # a password is needed to open it
        "garbage.docx": b"PK\x03\x04 not a zip archive at all",
        "slides.docx": pptx,  # a presentation named as a Word document
        "words.pptx": docx,
    }
    ids = {
        name: client.files.create(file=(name, data), purpose="assistants").id
        for name, data in documents.items()
    }
    store = client.vector_stores.create()
    batch = client.vector_stores.file_batches.create_and_poll(store.id, file_ids=list(ids.values()))
    assert batch.file_counts.completed == 4 and batch.file_counts.failed == 5
    listed = {f.id: f for f in client.vector_stores.files.list(store.id, limit=20)}
    outcome = {
        name: (listed[i].status, listed[i].last_error and listed[i].last_error.code)
        for name, i in ids.items()
    }
    good = ("completed", None)
    bad = ("failed", "unsupported_file")
    assert outcome == {
        "handbook.pdf": good,
        "scan.pdf": good,
        "notes.docx": good,
        "review.pptx": good,
        "broken.pdf": bad,
        "locked.pdf": bad,
        "garbage.docx": bad,
        "slides.docx": bad,
        "words.pptx": bad,
    }
    assert {listed[ids[n]].last_error.message for n in documents if outcome[n] == bad} == {
        "The file type is not supported."
    }
    assert _content(client, store.id, ids["scan.pdf"]) == ""


def _outcome(client, files: dict[str, bytes]) -> dict[str, tuple[str, object]]:
    """Each file's (status, last_error) once ingested in one store."""
    ids = {
        name: client.files.create(file=(name, data), purpose="assistants").id
        for name, data in files.items()
    }
    store = client.vector_stores.create()
    client.vector_stores.file_batches.create_and_poll(store.id, file_ids=list(ids.values()))
    listed = {f.id: f for f in client.vector_stores.files.list(store.id, limit=20)}
    return {
        name: (listed[i].status, listed[i].last_error and listed[i].last_error.model_dump())
        for name, i in ids.items()
    }


def test_a_small_document_whose_text_is_too_large_fails_as_too_large(client):
    # zip archives: a few hundred kB that hold over 20 MB of text (in paragraphs of 10 kB)
    paragraphs = ["tide moon " * 1000] * 2050
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    docx = io.BytesIO()
    document.save(docx)
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.placeholders[1].text = "\n".join(paragraphs)
    pptx = io.BytesIO()
    presentation.save(pptx)
    assert max(len(docx.getvalue()), len(pptx.getvalue())) < 1_000_000
    too_large = {
        "code": "invalid_file",
        "message": "The file could not be parsed because it is too large.",
    }
    assert _outcome(client, {"big.docx": docx.getvalue(), "big.pptx": pptx.getvalue()}) == {
        "big.docx": ("failed", too_large),
        "big.pptx": ("failed", too_large),
    }


def test_an_empty_file_cannot_be_read_whatever_its_extension(client):
    unreadable = (
        "failed",
        {"code": "unsupported_file", "message": "The file type is not supported."},
    )
    names = ["empty.pdf", "empty.docx", "empty.pptx", "empty.txt", "empty.md"]
    assert _outcome(client, dict.fromkeys(names, b"")) == dict.fromkeys(names, unreadable)


def test_a_damaged_pdf_leaves_the_server_log_quiet(tmp_path):
    log = tmp_path / "server.log"
    with (
        serve_process(sys.executable, "-m", "mockserver", "serve", "--port", "0", log=log) as (
            _process,
            base_url,
            _port,
        ),
        make_client(base_url, "sk-pdf") as client,
    ):
        pdf = _pdf(PAGES[:1])
        outcome = _outcome(client, {"broken.pdf": pdf[: len(pdf) // 3]})
    assert outcome["broken.pdf"][0] == "failed"
    assert log.read_text() == ""  # pypdf's warnings ("EOF marker not found") are not printed
