"""Intake checks for an uploaded certificate PDF: size, header, no web page code, a bounded pypdf
parse, every page, and active content (certificates/active_content.py).

Nothing here changes the bytes; the caller stores the original upload as it came, and a send to
Avalara forwards those bytes. So whatever is refused here never reaches Avalara, and a form whose
fields carry scripts is kept and forwarded as it came, marked `has_scripts` for staff. Nuvo never
runs a PDF's scripts: previews are images and downloads are attachments.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from io import BytesIO

import pypdf
from django.core.exceptions import ValidationError
from pypdf.errors import (
    DependencyError,
    DeprecationError,
    FileNotDecryptedError,
    LimitReachedError,
    PyPdfError,
)
from pypdf.generic import StreamObject

from certificates.active_content import find_active_content
from certificates.limits import MAX_PAGES as MAX_PAGES  # the staff page limit, re-exported
from certificates.limits import IntakeBudget, RequestBudgetSpent

# `%PDF-` must be the very first bytes, with no BOM, whitespace or junk before it, although the
# spec's implementation notes let readers skip up to 1 KB. We forward these exact bytes to
# CertCapture, and a file that starts as HTML or ZIP and hides a PDF further in is a polyglot.
PDF_HEADER = b"%PDF-"

# A file that is a PDF and a web page at once runs its script wherever something shows it as
# HTML. These tags have no business in a certificate's raw bytes; compressed data matches them
# by chance about once in 10^11 bytes. `<body` is left out: form fields' rich text uses it.
HTML_MARKERS = re.compile(rb"<(?:!doctype\s+html|html|script|iframe)[\s>/]", re.IGNORECASE)

MiB = 1024 * 1024

# pypdf's defaults (75 MB per stream) suit trusted files. A certificate page's content stream is
# tens of kilobytes, so 16 MB per stream is generous and keeps a zlib bomb cheap to refuse. zlib
# recovery of a damaged stream runs one byte per Python call, hence its small window. The
# external jbig2dec program is never handed hostile input. `apply_configuration` is pypdf's
# public API and sets a ContextVar, so applying it per call is thread-safe and changes nothing
# for other pypdf users in the process.
PDF_LIMITS = pypdf.Configuration().with_overwrites(
    maximum_declared_stream_length=16 * MiB,
    array_based_stream_maximum_output_length=16 * MiB,
    zlib_maximum_output_length=16 * MiB,
    zlib_maximum_recovery_input_length=256 * 1024,
    lzw_maximum_output_length=16 * MiB,
    run_length_maximum_output_length=16 * MiB,
    brotli_maximum_output_length=16 * MiB,
    jbig2_maximum_output_length=16 * MiB,
    image_maximum_buffer_size=16 * MiB,
    stream_decoding_work_maximum_length=64 * MiB,
    page_tree_maximum_entries=10_000,
    page_tree_maximum_depth=32,
    page_tree_maximum_page_entries=200_000,
    jbig2dec_binary=None,
)
READER_LIMITS = {"root_object_recovery_limit": 10_000, "xref_stream_maximum_entries": 100_000}

# pypdf caches every stream it inflates, so the per-stream limits alone let a 1 MB file with a
# few hundred object streams hold gigabytes. This caps what one document may inflate in total.
MAX_DECODED_BYTES = 64 * MiB

# pypdf scans the whole file for every object missing from the xref: a 1 MB file with 10,000
# dangling references takes 25 s. Legitimate files validate in milliseconds. The check runs
# between objects, so the worst case is this plus one object's parse (about 4 s for a 9 MB string).
# CPU seconds for one file; all the files of a request share NUVO_PDF_CPU_SECONDS_PER_REQUEST.
MAX_SECONDS = 5.0

# pypdf documents only PyPdfError, but hostile files make it raise all of these: each has a file
# in tests/fixtures/broken_pdfs that proves it. Fuzzing 80,000 mutated PDFs found no others; if
# a new pypdf raises a new one, the property test is there to catch it.
MALFORMED_ERRORS = (
    PyPdfError,
    DependencyError,
    DeprecationError,
    AssertionError,
    AttributeError,
    KeyError,
    NotImplementedError,
    OverflowError,
    RecursionError,
    TypeError,
    ValueError,
)

# pypdf logs a WARNING for each repair it makes to a damaged file. On customer uploads these are
# expected and not actionable, so keep them quiet unless the project configures the logger.
if logging.getLogger("pypdf").level == logging.NOTSET:
    logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class ValidatedPdf:
    sha256: str
    size: int
    page_count: int
    # Form fields (or the form's shared functions) carry JavaScript: kept, shown to staff.
    has_scripts: bool = False


class PdfValidationError(ValidationError):
    """A refused upload: `code` is stable for the API, `message` is a sentence for people."""


MESSAGES = {
    "empty": "This file is empty.",
    "not_a_pdf": "This file is not a PDF.",
    "encrypted": "This PDF is password-protected. Remove the password and upload it again.",
    "malformed": "This PDF is damaged and cannot be read.",
    "too_complex": "This PDF is too complex to process safely.",
    "no_pages": "This PDF has no pages.",
    "html": "This file contains web page code. Print it to a new PDF and upload that instead.",
    "launch": (
        "This PDF can start other programs or open other files. "
        "Print it to a new PDF and upload that instead."
    ),
    "embedded_file": (
        "This PDF has other files attached inside it. Remove the attachments and upload it again."
    ),
    "script": (
        "This PDF runs scripts outside its form fields. "
        "Print it to a new PDF and upload that instead."
    ),
    "out_of_time": (
        "These files took too long to check. Upload fewer files at a time, or smaller ones."
    ),
}


def validate_pdf(
    data: bytes, *, max_bytes: int | None = None, budget: IntakeBudget | None = None
) -> ValidatedPdf:
    """Refuse a file CertCapture could not read, or one carrying what a certificate must not.

    `budget` is the request's, shared by all its files (staff limits when there is none);
    `max_bytes` overrides its per-file size.
    """
    budget = IntakeBudget.staff() if budget is None else budget
    max_bytes = budget.limits.file_bytes if max_bytes is None else max_bytes
    if not data:
        raise _refusal("empty")
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if not data.startswith(PDF_HEADER):
        raise _refusal("not_a_pdf")
    if budget.spent:
        raise _refusal("out_of_time")
    if not budget.take_bytes(len(data)):
        raise too_large_together(budget.limits.total_bytes)
    with budget.meter(file_seconds=MAX_SECONDS) as meter:
        if HTML_MARKERS.search(data):
            raise _refusal("html")
        page_count, has_scripts = _parse_within_limits(
            data, check_cpu=meter.check, max_pages=budget.limits.pages
        )
    return ValidatedPdf(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=page_count,
        has_scripts=has_scripts,
    )


def read_upload(
    uploaded_file, *, max_bytes: int | None = None, budget: IntakeBudget | None = None
) -> bytes:
    """Read a Django UploadedFile, never more than one byte past what the limits allow."""
    budget = IntakeBudget.staff() if budget is None else budget
    max_bytes = budget.limits.file_bytes if max_bytes is None else max_bytes
    uploaded_file.seek(0)
    data = uploaded_file.read(min(max_bytes, budget.bytes_left) + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    if len(data) > budget.bytes_left:
        raise too_large_together(budget.limits.total_bytes)
    return data


def _parse_within_limits(data: bytes, *, check_cpu, max_pages: int) -> tuple[int, bool]:
    try:
        with pypdf.apply_configuration(PDF_LIMITS):
            reader = _IntakeReader(data, check_cpu=check_cpu)
            # Backs up the override of _handle_encryption, a private pypdf hook.
            if reader.is_encrypted:
                raise _refusal("encrypted")
            page_count = _touch_every_page(reader, max_pages=max_pages)
            active = find_active_content(reader, data, check=reader.check_budget)
    except FileNotDecryptedError as exc:
        raise _refusal("encrypted") from exc
    except RequestBudgetSpent as exc:
        raise _refusal("out_of_time") from exc
    except LimitReachedError as exc:
        raise _refusal("too_complex") from exc
    except MALFORMED_ERRORS as exc:
        raise _refusal("malformed") from exc
    if active.refusal:
        raise _refusal(active.refusal)
    return page_count, active.has_scripts


def _touch_every_page(reader: pypdf.PdfReader, *, max_pages: int) -> int:
    page_count = len(reader.pages)
    if page_count == 0:
        raise _refusal("no_pages")
    if page_count > max_pages:
        raise _refusal("too_complex")
    for page in reader.pages:
        _ = page.mediabox
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    return page_count


class _IntakeReader(pypdf.PdfReader):
    """A PdfReader that refuses encryption and gives up once a document costs too much."""

    def __init__(self, data: bytes, *, check_cpu) -> None:
        # pypdf's __init__ already reads objects, so the budget must exist first.
        self.check_cpu = check_cpu
        self.intake_decoded_bytes = 0
        super().__init__(BytesIO(data), **READER_LIMITS)

    def _handle_encryption(self, password):
        # pypdf calls this from __init__ when the trailer has /Encrypt, then opens files with an
        # empty user password silently and raises NotImplementedError for handlers it lacks
        # (certificate-based /Adobe.PubSec). CertCapture needs the file without any protection,
        # so every encrypted file is refused here, before any decryption.
        raise _refusal("encrypted")

    # get_object and cache_indirect_object are public PdfReader methods that every object read
    # passes through, pypdf's own included.
    def get_object(self, indirect_reference):
        self.check_budget()
        return super().get_object(indirect_reference)

    def cache_indirect_object(self, generation, idnum, obj):
        # Every object pypdf reads, xref streams included, is kept here for the reader's lifetime,
        # and a stream keeps its decoded bytes; decoding now counts them before more pile up.
        if isinstance(obj, StreamObject):
            self.intake_decoded_bytes += len(obj.get_data())
        self.check_budget()
        return super().cache_indirect_object(generation, idnum, obj)

    def check_budget(self) -> None:
        self.check_cpu()
        if self.intake_decoded_bytes > MAX_DECODED_BYTES:
            raise LimitReachedError(f"Decoded more than {MAX_DECODED_BYTES} bytes of streams.")


def _too_large(max_bytes: int) -> PdfValidationError:
    return PdfValidationError(
        f"This file is larger than {_human_size(max_bytes)}.", code="too_large"
    )


def too_large_together(max_bytes: int) -> PdfValidationError:
    return PdfValidationError(
        f"These files are larger than {_human_size(max_bytes)} together. "
        "Upload fewer or smaller files.",
        code="total_too_large",
    )


def _refusal(code: str) -> PdfValidationError:
    return PdfValidationError(MESSAGES[code], code=code)


def _human_size(size: int) -> str:
    for unit, scale in (("MB", MiB), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"
