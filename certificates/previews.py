"""Certificate pages as PNG images, rendered on the server with PDFium (pypdfium2).

An image runs no script a PDF carries, looks the same in every browser (headless included) and
needs no PDF viewer. Renders are cached in the default storage by the file's sha256, so a page
is drawn once; the original PDF stays untouched for Download.
"""

import io
import threading

import pypdfium2
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

WIDTHS = {"thumbnail": 96, "page": 900}
# PDFium is not thread-safe: one render at a time per process.
_pdfium = threading.Lock()


class PageNotFound(LookupError):
    pass


def _cache_name(sha256: str, page: int, width: int) -> str:
    return f"previews/{sha256}/{page}-{width}.png"


def render_page(pdf: bytes, *, page: int, width: int) -> bytes:
    """Page `page` (1-based) as a PNG `width` pixels wide. Forms and scripts are not run."""
    with _pdfium:
        document = pypdfium2.PdfDocument(pdf)
        try:
            if not 1 <= page <= len(document):
                raise PageNotFound(page)
            pdf_page = document[page - 1]
            scale = width / max(pdf_page.get_width(), 1.0)
            image = pdf_page.render(scale=scale, may_draw_forms=False).to_pil()
        finally:
            document.close()
    if image.width != width:  # PDFium rounds the scaled size up by a pixel at times
        image = image.resize((width, max(1, round(image.height * width / image.width))))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def page_png(*, sha256: str, read_pdf, page: int, size: str) -> bytes:
    """The cached render of a page, drawing it first if needed; `read_pdf()` gives the bytes."""
    width = WIDTHS[size]
    name = _cache_name(sha256, page, width)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as cached:
            return cached.read()
    png = render_page(read_pdf(), page=page, width=width)
    default_storage.save(name, ContentFile(png))
    return png
