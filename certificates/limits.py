"""What the certificate files of one upload request may cost: bytes, pages, files and CPU time.

A request makes one IntakeBudget and hands it to every file's checks, so ten crafted files get
the CPU time of one request, not ten times a file's. Anonymous uploads (the public form, Request
Info links) get lower limits than staff; the figures are settings (`# PDF intake limits`).
"""

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from pypdf.errors import LimitReachedError

# A certificate is a few pages; hundreds of pages are a mistake or an attack.
MAX_PAGES = 200
# The staff dialog and the API take one file per request; the public forms at most this many.
MAX_FILES = 10


@dataclass(frozen=True)
class UploadLimits:
    file_bytes: int
    total_bytes: int
    files: int
    pages: int
    cpu_seconds: float

    @classmethod
    def staff(cls) -> "UploadLimits":
        return cls(
            file_bytes=settings.NUVO_MAX_UPLOAD_BYTES,
            total_bytes=MAX_FILES * settings.NUVO_MAX_UPLOAD_BYTES,
            files=MAX_FILES,
            pages=MAX_PAGES,
            cpu_seconds=settings.NUVO_PDF_CPU_SECONDS_PER_REQUEST,
        )

    @classmethod
    def public(cls) -> "UploadLimits":
        """Anonymous uploads: never more than staff may send."""
        staff = cls.staff()
        return cls(
            file_bytes=min(settings.NUVO_PUBLIC_MAX_FILE_BYTES, staff.file_bytes),
            total_bytes=min(settings.NUVO_PUBLIC_MAX_TOTAL_BYTES, staff.total_bytes),
            files=min(settings.NUVO_PUBLIC_MAX_FILES, staff.files),
            pages=min(settings.NUVO_PUBLIC_MAX_PAGES, staff.pages),
            cpu_seconds=staff.cpu_seconds,
        )


class RequestBudgetSpent(LimitReachedError):
    """The request's CPU budget ran out while one of its files was being checked."""


class CpuMeter:
    """CPU time one file has used, checked against its own cap and what the request has left."""

    def __init__(self, clock: Callable[[], float], *, file_seconds: float, request_seconds: float):
        self._clock = clock
        self._start = clock()
        self.file_seconds = file_seconds
        self.request_seconds = request_seconds

    def used(self) -> float:
        return self._clock() - self._start

    def check(self) -> None:
        used = self.used()
        if used > self.request_seconds:
            raise RequestBudgetSpent(f"The request's {self.request_seconds:.3g} s of CPU ran out.")
        if used > self.file_seconds:
            raise LimitReachedError(f"Validation used more than {self.file_seconds} s of CPU.")


class IntakeBudget:
    """The bytes and CPU seconds all the files of one request share.

    CPU is thread time: a threaded server's other requests do not count against this one, and
    waiting for the GIL costs nothing.
    """

    def __init__(self, limits: UploadLimits, *, clock: Callable[[], float] = time.thread_time):
        self.limits = limits
        self.bytes_left = limits.total_bytes
        self.seconds_left = limits.cpu_seconds
        self._clock = clock

    @classmethod
    def staff(cls) -> "IntakeBudget":
        return cls(UploadLimits.staff())

    @classmethod
    def public(cls) -> "IntakeBudget":
        return cls(UploadLimits.public())

    @property
    def spent(self) -> bool:
        return self.seconds_left <= 0

    def take_bytes(self, size: int) -> bool:
        """Count a file against the request's total; False, and nothing taken, if it is over."""
        if size > self.bytes_left:
            return False
        self.bytes_left -= size
        return True

    @contextmanager
    def meter(self, *, file_seconds: float) -> Iterator[CpuMeter]:
        meter = CpuMeter(self._clock, file_seconds=file_seconds, request_seconds=self.seconds_left)
        try:
            yield meter
        finally:
            self.seconds_left -= meter.used()
