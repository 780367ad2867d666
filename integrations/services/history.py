"""A certificate's History: events recorded here, merged with the calls made for it."""

from dataclasses import dataclass
from datetime import datetime

from integrations.avalara import ErrorCode
from integrations.checks import Problem
from integrations.models import AvalaraCall, CertificateEvent
from nuvo.roles import user_display_name


def record(
    certificate,
    kind: str,
    message: str = "",
    *,
    region: str = "",
    problems: list[Problem] = (),
    actor=None,
) -> CertificateEvent:
    return CertificateEvent.objects.create(
        organization_id=certificate.organization_id,
        certificate=certificate,
        region=region,
        kind=kind,
        message=message,
        problems=[vars(problem) for problem in problems],
        actor=actor,
        actor_name=user_display_name(actor) if actor else "Nuvo",
    )


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    what: str
    detail: str = ""
    who: str = ""
    region: str = ""
    problems: tuple[dict, ...] = ()
    call: AvalaraCall | None = None

    @property
    def meaning(self) -> str:
        """For a failed call: the guide's summary and resolution of its code."""
        if self.call is None or not self.call.error_code:
            return ""
        try:
            code = ErrorCode(self.call.error_code)
        except ValueError:
            return ""
        return f"{code.summary} Resolution: {code.resolution}"


def certificate_history(certificate) -> list[HistoryEntry]:
    """Every event in order: uploaded, checks, holds, sends, each Avalara call, status changes."""
    entries = [
        HistoryEntry(
            at=certificate.uploaded_at,
            what="Uploaded",
            detail=f"{certificate.original_filename} ({certificate.get_source_display()})",
            who=user_display_name(certificate.uploaded_by) if certificate.uploaded_by else "",
        )
    ]
    for event in certificate.history.select_related("actor"):
        entries.append(
            HistoryEntry(
                at=event.created_at,
                what=event.get_kind_display(),
                detail=event.message,
                who=event.actor_name,
                region=event.region,
                problems=tuple(event.problems),
            )
        )
    for call in AvalaraCall.objects.filter(certificate=certificate).select_related(
        "avalara_certificate"
    ):
        entries.append(
            HistoryEntry(
                at=call.started_at,
                what=f"Avalara call {call.operation}",
                detail=_call_detail(call),
                region=call.avalara_certificate.region if call.avalara_certificate else "",
                call=call,
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


def _call_detail(call: AvalaraCall) -> str:
    outcome = call.get_outcome_display()
    status = f"HTTP {call.http_status}" if call.http_status else "no answer"
    said = ": ".join(part for part in (call.avalara_code, call.avalara_message) if part)
    text = f"{outcome}, {status}, {call.duration_ms} ms"
    if call.error_code:
        text += f". {call.error_code}"
    if said:
        text += f". Avalara said: {said}"
    return text
