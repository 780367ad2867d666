"""What the client tells its caller about each HTTP call it made (see AvaTaxClient's `on_call`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .errors import AvalaraError


@dataclass(frozen=True)
class CallRecord:
    """One call: never the credentials, the body or the PDF; `path` has no query string."""

    operation: str
    method: str
    path: str
    started_at: datetime
    duration_ms: int
    http_status: int | None
    correlation_id: str
    error: AvalaraError | None = None


CallObserver = Callable[[CallRecord], None]
