"""The record of every Avalara call made for a customer or certificate: one AvalaraCall row each.

The client reports each call (`on_call`); sends run their certificate calls on a small thread
pool, so the recorder keeps "what this call was about" per thread and writes the rows from the
caller's thread (database connections are per thread).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from integrations.avalara import CallRecord
from integrations.models import AvalaraCall, AvalaraCertificate, AvalaraSend
from integrations.services.rejections import describe_refusal


class CallRecorder:
    def __init__(self, *, organization_id: int, send: AvalaraSend | None = None, customer_id=None):
        self.organization_id = organization_id
        self.send = send
        self.customer_id = customer_id
        self._subject = threading.local()
        self._lock = threading.Lock()
        self._pending: list[AvalaraCall] = []

    @contextmanager
    def about(self, row: AvalaraCertificate) -> Iterator[None]:
        """Calls made in this block (on this thread) concern this certificate copy."""
        self._subject.row = row
        try:
            yield
        finally:
            self._subject.row = None

    def __call__(self, record: CallRecord) -> None:
        row = getattr(self._subject, "row", None)
        error = record.error
        call = AvalaraCall(
            organization_id=self.organization_id,
            send=self.send,
            customer_id=self.customer_id,
            certificate_id=row.certificate_id if row else None,
            avalara_certificate=row,
            operation=record.operation,
            method=record.method,
            path=record.path[:500],
            started_at=record.started_at,
            duration_ms=record.duration_ms,
            http_status=record.http_status,
            outcome=(
                AvalaraCall.Outcome.OK
                if error is None
                else AvalaraCall.Outcome.UNKNOWN
                if error.outcome_unknown
                else AvalaraCall.Outcome.FAILED
            ),
            error_code=str(error.code) if error else "",
            avalara_code=(error.avalara_code or "") if error else "",
            avalara_message=describe_refusal(error) if error else "",
            correlation_id=record.correlation_id[:100],
        )
        with self._lock:
            self._pending.append(call)

    def save(self) -> list[AvalaraCall]:
        """Write what was recorded so far (from the thread that owns the database connection)."""
        with self._lock:
            pending, self._pending = self._pending, []
        return AvalaraCall.objects.bulk_create(pending)
