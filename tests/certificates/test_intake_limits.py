"""One request's files share a CPU and byte budget; anonymous uploads get lower limits."""

import itertools
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates import pdf
from certificates.limits import IntakeBudget, UploadLimits
from certificates.pdf import PdfValidationError, read_upload, validate_pdf
from tests.pdf_factory import make_pdf, make_slow_pdf

MiB = 1024 * 1024
OUT_OF_TIME = (
    "out_of_time",
    "These files took too long to check. Upload fewer files at a time, or smaller ones.",
)


def outcome(data: bytes, budget: IntakeBudget) -> str:
    try:
        validate_pdf(data, budget=budget)
    except PdfValidationError as error:
        return error.code
    return "accepted"


class FakeClock:
    """A CPU clock that moves `step` seconds each time it is read."""

    def __init__(self, step: float = 0.001) -> None:
        self.reads = itertools.count()
        self.step = step

    def __call__(self) -> float:
        return next(self.reads) * self.step


def reads_for_one_file(data: bytes) -> int:
    clock = FakeClock()
    validate_pdf(data, budget=IntakeBudget(UploadLimits.staff(), clock=clock))
    return next(clock.reads)


def test_the_defaults_give_anonymous_uploads_lower_limits_than_staff():
    assert UploadLimits.public() == UploadLimits(
        file_bytes=5 * MiB, total_bytes=20 * MiB, files=10, pages=50, cpu_seconds=8.0
    )
    assert UploadLimits.staff() == UploadLimits(
        file_bytes=10 * MiB, total_bytes=100 * MiB, files=10, pages=200, cpu_seconds=8.0
    )


def test_anonymous_limits_never_exceed_the_staff_ones(settings):
    settings.NUVO_PUBLIC_MAX_FILE_BYTES = 50 * MiB
    settings.NUVO_PUBLIC_MAX_PAGES = 1000
    settings.NUVO_PUBLIC_MAX_FILES = 99

    limits = UploadLimits.public()

    assert (limits.file_bytes, limits.pages, limits.files) == (10 * MiB, 200, 10)


def test_the_files_of_one_request_share_one_cpu_budget():
    data = make_pdf()
    per_file = reads_for_one_file(data) * 0.001
    limits = UploadLimits.staff()
    budget = IntakeBudget(
        UploadLimits(**{**limits.__dict__, "cpu_seconds": 2.5 * per_file}), clock=FakeClock()
    )

    outcomes = [outcome(data, budget) for _ in range(4)]

    assert outcomes == ["accepted", "accepted", "out_of_time", "out_of_time"]
    assert budget.spent


def test_once_the_budget_is_spent_later_files_are_refused_without_being_parsed(monkeypatch):
    budget = IntakeBudget.public()
    budget.seconds_left = 0
    monkeypatch.setattr(pdf, "_IntakeReader", None)  # any parse would raise TypeError

    with pytest.raises(PdfValidationError) as caught:
        validate_pdf(make_pdf(), budget=budget)

    assert (caught.value.code, caught.value.message) == OUT_OF_TIME


def test_a_tiny_budget_from_the_settings_stops_the_first_file(settings):
    settings.NUVO_PDF_CPU_SECONDS_PER_REQUEST = 1e-9

    assert outcome(make_pdf(), IntakeBudget.public()) == "out_of_time"


def test_crafted_slow_files_together_cost_about_one_budget(settings):
    settings.NUVO_PDF_CPU_SECONDS_PER_REQUEST = 0.3
    slow = make_slow_pdf(missing=1200, padding=250_000)  # about 1 s of CPU alone
    budget = IntakeBudget.public()

    started = time.thread_time()
    outcomes = [outcome(slow, budget) for _ in range(5)]
    spent = time.thread_time() - started

    assert outcomes == ["out_of_time"] * 5
    # The budget, plus the one object being parsed when it ran out, plus the checks around it.
    assert spent < 0.3 + 0.5


def test_one_file_still_has_its_own_cap_when_the_request_has_more(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_SECONDS", 0)
    budget = IntakeBudget.staff()

    assert outcome(make_pdf(), budget) == "too_complex"
    assert not budget.spent


def test_the_files_of_one_request_share_a_total_size():
    data = make_pdf()
    assert 512 < len(data) <= 1024
    limits = UploadLimits(file_bytes=MiB, total_bytes=1024, files=10, pages=5, cpu_seconds=8)
    budget = IntakeBudget(limits)

    first = outcome(data, budget)
    with pytest.raises(PdfValidationError) as caught:
        validate_pdf(data, budget=budget)

    assert first == "accepted"
    assert (caught.value.code, caught.value.message) == (
        "total_too_large",
        "These files are larger than 1 KB together. Upload fewer or smaller files.",
    )


def test_read_upload_reads_no_more_than_the_request_has_left():
    data = make_pdf()
    budget = IntakeBudget(UploadLimits.public())
    budget.bytes_left = len(data) - 1
    upload = SimpleUploadedFile("c.pdf", data, content_type="application/pdf")

    with pytest.raises(PdfValidationError) as caught:
        read_upload(upload, budget=budget)

    assert caught.value.code == "total_too_large"


def test_anonymous_uploads_have_a_lower_page_limit(settings):
    settings.NUVO_PUBLIC_MAX_PAGES = 3
    data = make_pdf(pages=4)

    assert outcome(data, IntakeBudget.public()) == "too_complex"
    assert outcome(data, IntakeBudget.staff()) == "accepted"


def test_anonymous_uploads_have_a_lower_size_limit(settings):
    data = make_pdf()
    settings.NUVO_PUBLIC_MAX_FILE_BYTES = len(data) - 1

    assert outcome(data, IntakeBudget.public()) == "too_large"
    assert outcome(data, IntakeBudget.staff()) == "accepted"
