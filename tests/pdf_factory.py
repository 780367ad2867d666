"""Valid PDFs built with pypdf for tests, so no valid PDF binaries are committed."""

from io import BytesIO

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

LETTER = (612, 792)


def make_pdf(pages: int = 1, text: str = "Certificate of exemption") -> bytes:
    """A PDF of `pages` Letter pages, each showing `text` in a compressed content stream."""
    return _write(_writer_with_pages(pages, text))


def make_encrypted_pdf(
    user_password: str = "secret",  # noqa: S107 - a test document's, not a credential
    owner_password: str | None = None,
    algorithm: str = "AES-256",
    pages: int = 1,
) -> bytes:
    """A PDF encrypted with `algorithm`; an empty user password opens without asking."""
    writer = _writer_with_pages(pages, "Certificate of exemption")
    writer.encrypt(user_password, owner_password, algorithm=algorithm)
    return _write(writer)


def _writer_with_pages(pages: int, text: str) -> PdfWriter:
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    for number in range(1, pages + 1):
        page = writer.add_blank_page(*LETTER)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = ContentStream(None, writer)
        content.set_data(f"BT /F1 12 Tf 72 720 Td ({escaped} - page {number}) Tj ET".encode())
        page.replace_contents(content)
        page.compress_content_streams()
    return writer


def _write(writer: PdfWriter) -> bytes:
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Crafted active content. Each builder starts from make_pdf's one-page document and adds one thing
# a viewer would act on, so a test changes one fact at a time.

SCRIPT = "app.alert('hello from the certificate');"


def make_pdf_with_open_action_script(code: str = SCRIPT) -> bytes:
    """JavaScript that runs as soon as the document opens (catalog /OpenAction)."""
    writer = _writer_with_pages(1, "Certificate of exemption")
    writer.root_object[NameObject("/OpenAction")] = javascript_action(code)
    return _write(writer)


def make_pdf_with_page_script(code: str = SCRIPT) -> bytes:
    """JavaScript that runs when the page opens (the page's /AA /O)."""
    writer = _writer_with_pages(1, "Certificate of exemption")
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): javascript_action(code)}
    )
    return _write(writer)


def make_pdf_with_document_script(code: str = SCRIPT, *, with_form: bool = False) -> bytes:
    """Document-level JavaScript in the /Names /JavaScript name tree (runs when it opens)."""
    writer = make_form_writer(field_script=None) if with_form else _writer_with_pages(1, "x")
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("helpers"), javascript_action(code)]
                    )
                }
            )
        }
    )
    return _write(writer)


def make_pdf_with_launch(*, on: str = "open") -> bytes:
    """A /Launch action: as the /OpenAction (`open`) or behind a link on the page (`link`)."""
    writer = _writer_with_pages(1, "Certificate of exemption")
    launch = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("C:\\Windows\\System32\\calc.exe"),
        }
    )
    if on == "open":
        writer.root_object[NameObject("/OpenAction")] = launch
    else:
        writer.pages[0][NameObject("/Annots")] = ArrayObject([_annotation("/Link", A=launch)])
    return _write(writer)


def make_pdf_with_embedded_file() -> bytes:
    """A file in the /EmbeddedFiles name tree (what "attach a file" in a viewer makes)."""
    writer = _writer_with_pages(1, "Certificate of exemption")
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    return _write(writer)


def make_pdf_with_file_attachment_annotation() -> bytes:
    """A paper-clip /FileAttachment annotation on the page, holding an embedded file."""
    writer = _writer_with_pages(1, "Certificate of exemption")
    embedded = DecodedStreamObject()
    embedded.set_data(b"#!/bin/sh\necho owned\n")
    embedded[NameObject("/Type")] = NameObject("/EmbeddedFile")
    filespec = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject("run.sh"),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(embedded)}),
        }
    )
    annotation = _annotation("/FileAttachment", FS=filespec)
    writer.pages[0][NameObject("/Annots")] = ArrayObject([annotation])
    return _write(writer)


def make_fillable_form(*, field_script: str | None = SCRIPT) -> bytes:
    """A fillable state form: one text field whose widget formats and checks what is typed."""
    return _write(make_form_writer(field_script=field_script))


def make_form_writer(*, field_script: str | None) -> PdfWriter:
    writer = _writer_with_pages(1, "Texas Sales and Use Tax Resale Certificate")
    field = _annotation(
        "/Widget",
        FT=NameObject("/Tx"),
        T=TextStringObject("purchaser_name"),
        V=TextStringObject(""),
    )
    if field_script is not None:
        field[NameObject("/AA")] = DictionaryObject(
            {
                NameObject("/K"): javascript_action(field_script),
                NameObject("/F"): javascript_action("AFSpecial_Format(0);"),
            }
        )
    reference = writer._add_object(field)
    field[NameObject("/P")] = writer.pages[0].indirect_reference
    writer.pages[0][NameObject("/Annots")] = ArrayObject([reference])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference])}
    )
    return writer


def make_pdf_with_action_cycle(*, code: str | None = None) -> bytes:
    """An /OpenAction whose /Next chain loops back to itself, and an outline that loops too.

    With `code`, the second action in the loop is JavaScript.
    """
    writer = _writer_with_pages(1, "Certificate of exemption")
    first = DictionaryObject({NameObject("/S"): NameObject("/GoTo")})
    first[NameObject("/D")] = ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])
    second = javascript_action(code) if code else DictionaryObject(first)
    first_ref, second_ref = writer._add_object(first), writer._add_object(second)
    first[NameObject("/Next")] = second_ref
    second[NameObject("/Next")] = first_ref
    writer.root_object[NameObject("/OpenAction")] = first_ref
    outline = DictionaryObject({NameObject("/Title"): TextStringObject("Loop")})
    outline_ref = writer._add_object(outline)
    outline[NameObject("/Next")] = outline_ref
    outline[NameObject("/A")] = first_ref
    writer.root_object[NameObject("/Outlines")] = DictionaryObject(
        {NameObject("/First"): outline_ref, NameObject("/Last"): outline_ref}
    )
    return _write(writer)


def make_html_polyglot(markup: bytes = b"<html><script>alert(document.domain)</script>") -> bytes:
    """A valid PDF that is also a web page: a comment in its uncompressed page content holds
    markup a browser would run (pypdf escapes `<` in strings, so a stream carries it)."""
    writer = _writer_with_pages(1, "Certificate of exemption")
    content = DecodedStreamObject()
    content.set_data(b"% " + markup + b"\nBT /F1 12 Tf 72 720 Td (Certificate) Tj ET")
    writer.pages[0].replace_contents(content)
    return _write(writer)


def javascript_action(code: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code),
        }
    )


def _annotation(subtype: str, **entries) -> DictionaryObject:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 600, 300, 620)]),
        }
    )
    for key, value in entries.items():
        annotation[NameObject(f"/{key}")] = value
    return annotation


def make_slow_pdf(missing: int = 1500, padding: int = 300_000) -> bytes:
    """Valid enough to parse, slow to check: the page's content lists `missing` objects that the
    xref lacks, and pypdf searches the whole (padded) file for each one."""
    references = b" ".join(b"%d 0 R" % number for number in range(100, 100 + missing))
    text = b"BT /F1 12 Tf 72 720 Td (Certificate) Tj ET"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [4 0 R %s] >>"
        % references,
        4: b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        5: b"(%s)" % (b"x" * padding),
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, 6))
    out += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def make_xfa_form(xml: bytes = b"<template><script>app.alert(1)</script></template>") -> bytes:
    """A form whose XFA packet (compressed, as Acrobat writes it) holds `xml`."""
    writer = make_form_writer(field_script=None)
    packet = DecodedStreamObject()
    packet.set_data(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">' + xml + b"</xdp:xdp>")
    acroform = writer.root_object["/AcroForm"]
    acroform[NameObject("/XFA")] = ArrayObject(
        [TextStringObject("template"), writer._add_object(packet.flate_encode())]
    )
    return _write(writer)
