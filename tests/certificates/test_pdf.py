import hashlib
import logging
from io import BytesIO
from pathlib import Path

import hypothesis
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from certificates import pdf
from certificates.pdf import PdfValidationError, ValidatedPdf, read_upload, validate_pdf
from tests.pdf_factory import (
    make_encrypted_pdf,
    make_fillable_form,
    make_pdf,
    make_pdf_with_action_cycle,
    make_pdf_with_embedded_file,
    make_pdf_with_launch,
    make_pdf_with_open_action_script,
)

BROKEN_PDFS = Path(__file__).parent.parent / "fixtures" / "broken_pdfs"
MiB = 1024 * 1024

EXPECTED_CODES = {
    "empty.pdf": "empty",
    "header_only.pdf": "malformed",
    "truncated.pdf": "malformed",
    "png_renamed.pdf": "not_a_pdf",
    "html_page.pdf": "not_a_pdf",
    "zip_archive.pdf": "not_a_pdf",
    "corrupt_xref.pdf": "malformed",
    "zlib_bomb.pdf": "too_complex",
    "streams_over_budget.pdf": "too_complex",
    "no_pages.pdf": "no_pages",
    "encrypted_aes256.pdf": "encrypted",
    "encrypted_pubsec.pdf": "encrypted",
    "deeply_nested_arrays.pdf": "malformed",
    "media_box_of_two_numbers.pdf": "malformed",
    "unknown_filter.pdf": "malformed",
    "jbig2_content_stream.pdf": "malformed",
    "abbreviated_filter.pdf": "malformed",
    "trailer_not_a_dictionary.pdf": "malformed",
    "startxref_past_any_file.pdf": "malformed",
    "object_stream_is_a_number.pdf": "malformed",
    "object_stream_is_a_dictionary.pdf": "malformed",
    "object_stream_without_type.pdf": "malformed",
    "object_stream_of_wrong_type.pdf": "malformed",
    "html_polyglot.pdf": "html",
    "launch_escaped_name.pdf": "launch",
    "script_in_object_stream.pdf": "script",
    "unreferenced_embedded_file.pdf": "embedded_file",
}
MESSAGES = {
    "empty": "This file is empty.",
    "not_a_pdf": "This file is not a PDF.",
    "encrypted": "This PDF is password-protected. Remove the password and upload it again.",
    "malformed": "This PDF is damaged and cannot be read.",
    "too_complex": "This PDF is too complex to process safely.",
    "no_pages": "This PDF has no pages.",
    "html": "This file contains web page code. Print it to a new PDF and upload that instead.",
    "launch": "This PDF can start other programs or open other files. "
    "Print it to a new PDF and upload that instead.",
    "embedded_file": "This PDF has other files attached inside it. "
    "Remove the attachments and upload it again.",
    "script": "This PDF runs scripts outside its form fields. "
    "Print it to a new PDF and upload that instead.",
    "out_of_time": "These files took too long to check. "
    "Upload fewer files at a time, or smaller ones.",
}


def refusal(data: bytes, **kwargs) -> tuple[str, str]:
    with pytest.raises(PdfValidationError) as caught:
        validate_pdf(data, **kwargs)
    return caught.value.code, caught.value.message


def test_valid_multi_page_pdf_gives_its_page_count_size_and_sha256():
    data = make_pdf(pages=3)

    result = validate_pdf(data)

    assert result == ValidatedPdf(
        sha256=hashlib.sha256(data).hexdigest(), size=len(data), page_count=3
    )


def test_result_describes_the_original_bytes_not_what_pypdf_parsed():
    data = make_pdf() + b"\n% trailing bytes a scanner appended\n"

    result = validate_pdf(data)

    assert (result.sha256, result.size) == (hashlib.sha256(data).hexdigest(), len(data))


def test_refusal_is_a_django_validation_error_with_one_message_for_the_form():
    with pytest.raises(ValidationError) as caught:
        validate_pdf(b"<html></html>")

    assert caught.value.messages == ["This file is not a PDF."]


def test_file_exactly_at_the_size_limit_is_accepted():
    data = make_pdf()

    result = validate_pdf(data, max_bytes=len(data))

    assert result.size == len(data)


def test_file_one_byte_over_the_size_limit_is_refused():
    data = make_pdf()

    assert refusal(data, max_bytes=len(data) - 1) == (
        "too_large",
        f"This file is larger than {len(data) - 1} bytes.",
    )


def test_size_limit_defaults_to_the_upload_setting(settings):
    settings.NUVO_MAX_UPLOAD_BYTES = 10 * MiB
    data = b"%PDF-1.7\n" + bytes(10 * MiB - 8)

    assert refusal(data) == ("too_large", "This file is larger than 10 MB.")


@pytest.mark.parametrize(("name", "code"), EXPECTED_CODES.items())
def test_broken_file_is_refused_with_its_code(name, code):
    data = (BROKEN_PDFS / name).read_bytes()

    assert refusal(data) == (code, MESSAGES[code])


def test_every_file_in_the_broken_corpus_has_an_expected_code():
    assert {path.name for path in BROKEN_PDFS.glob("*.pdf")} == set(EXPECTED_CODES)


@pytest.mark.parametrize("algorithm", ["RC4-40", "RC4-128", "AES-128", "AES-256"])
def test_password_protected_pdf_is_refused(algorithm):
    data = make_encrypted_pdf(user_password="secret", algorithm=algorithm)

    assert refusal(data) == ("encrypted", MESSAGES["encrypted"])


def test_pdf_that_opens_without_a_password_but_is_encrypted_is_refused():
    data = make_encrypted_pdf(user_password="", owner_password="owner")

    assert refusal(data) == ("encrypted", MESSAGES["encrypted"])


@pytest.mark.parametrize("prefix", [b"\xef\xbb\xbf", b"\n", b"  ", b"<html>"])
def test_anything_before_the_pdf_header_is_refused(prefix):
    data = prefix + make_pdf()

    assert refusal(data) == ("not_a_pdf", MESSAGES["not_a_pdf"])


def test_pdf_with_the_maximum_page_count_is_accepted():
    result = validate_pdf(make_pdf(pages=pdf.MAX_PAGES))

    assert result.page_count == pdf.MAX_PAGES


def test_pdf_with_more_pages_than_the_maximum_is_too_complex():
    data = make_pdf(pages=pdf.MAX_PAGES + 1)

    assert refusal(data) == ("too_complex", MESSAGES["too_complex"])


def test_damage_on_the_last_page_is_found():
    writer = PdfWriter(clone_from=PdfReader(BytesIO(make_pdf(pages=3))))
    writer.pages[2]["/Contents"].get_object()[NameObject("/Filter")] = NameObject("/NoSuchDecode")
    buffer = BytesIO()
    writer.write(buffer)

    assert refusal(buffer.getvalue()) == ("malformed", MESSAGES["malformed"])


def test_pypdf_repair_warnings_stay_out_of_the_logs(caplog):
    data = make_pdf().replace(b"startxref\n", b"startxref\n1")

    with caplog.at_level(logging.DEBUG):
        result = validate_pdf(data)

    assert result.page_count == 1
    assert [record for record in caplog.records if record.name.startswith("pypdf")] == []


def test_validation_that_runs_out_of_time_is_too_complex(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SECONDS", -1)

    assert refusal(make_pdf()) == ("too_complex", MESSAGES["too_complex"])


def test_read_upload_returns_the_whole_upload_even_after_something_read_part_of_it():
    data = make_pdf()
    upload = SimpleUploadedFile("certificate.pdf", data, content_type="application/pdf")
    upload.read(10)

    assert read_upload(upload, max_bytes=len(data)) == data


class CountingReader(BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def test_read_upload_refuses_a_large_file_after_reading_one_byte_past_the_limit():
    file = CountingReader(bytes(5 * MiB))
    upload = UploadedFile(file, name="huge.pdf", content_type="application/pdf", size=5 * MiB)

    with pytest.raises(PdfValidationError) as caught:
        read_upload(upload, max_bytes=MiB)

    assert (caught.value.code, caught.value.message) == (
        "too_large",
        "This file is larger than 1 MB.",
    )
    assert file.bytes_read == MiB + 1


def validation_outcome(data: bytes) -> ValidatedPdf | PdfValidationError:
    """What validate_pdf gave; any other exception escapes and fails the test."""
    try:
        return validate_pdf(data)
    except PdfValidationError as error:
        return error


def assert_result_or_refusal(data: bytes) -> None:
    outcome = validation_outcome(data)
    if isinstance(outcome, ValidatedPdf):
        assert (outcome.sha256, outcome.size) == (hashlib.sha256(data).hexdigest(), len(data))
        assert 1 <= outcome.page_count <= pdf.MAX_PAGES
    else:
        assert (outcome.code, outcome.message) in MESSAGES.items()


# Small seeds (under 2 KB each) keep 1,000 examples to a few seconds.
SEED_PDFS = [
    make_pdf(pages=2),
    make_encrypted_pdf(user_password=""),
    make_fillable_form(),
    make_pdf_with_open_action_script(),
    make_pdf_with_launch(on="link"),
    make_pdf_with_embedded_file(),
    make_pdf_with_action_cycle(code="app.alert(1);"),
]
PDF_TOKENS = (
    b"obj endobj stream endstream xref trailer startxref %%EOF << >> [ ] ( ) R -1 0 "
    b"99999999999999999999 /Length /Filter /FlateDecode /Root /Kids /Count /MediaBox /Encrypt "
    b"/S /JS /JavaScript /Launch /AA /OpenAction /Names /EmbeddedFiles /EF /AcroForm /Fields "
    b"/Annots /Next /Widget <html> <script>"
).split()


@st.composite
def mutated_pdfs(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEED_PDFS)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(data)))
        mutation = draw(st.sampled_from(["overwrite", "insert", "delete", "truncate"]))
        if mutation == "overwrite":
            data[position : position + 4] = draw(st.binary(min_size=1, max_size=4))
        elif mutation == "insert":
            data[position:position] = draw(st.sampled_from(PDF_TOKENS) | st.binary(max_size=8))
        elif mutation == "delete":
            del data[position : position + draw(st.integers(min_value=1, max_value=64))]
        else:
            del data[position:]
    return bytes(data)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    st.binary(max_size=512) | st.binary(max_size=512).map(lambda tail: b"%PDF-1.7\n" + tail)
)
def test_random_bytes_give_a_result_or_a_validation_error(data):
    assert_result_or_refusal(data)


@hypothesis.settings(max_examples=1000, deadline=None)
@hypothesis.given(mutated_pdfs())
def test_mutated_pdf_gives_a_result_or_a_validation_error(data):
    assert_result_or_refusal(data)
