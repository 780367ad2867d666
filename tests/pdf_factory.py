"""Valid PDFs built with pypdf for tests, so no valid PDF binaries are committed."""

from io import BytesIO

from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

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
