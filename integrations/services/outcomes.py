"""How a send ends: its status from its certificates, and a summary on the application timeline."""

from django.db.models import Count
from django.utils import timezone

from creditapps.models import ApplicationEvent, CreditApplication
from creditapps.services import record_event
from integrations.avalara import AvalaraError
from integrations.models import AvalaraCall, AvalaraCertificate, AvalaraSend

State = AvalaraCertificate.State
Status = AvalaraSend.Status


def finish_send(send: AvalaraSend, *, error: AvalaraError | None = None) -> None:
    states = dict(
        AvalaraCertificate.objects.filter(send=send)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    # A row still sending when its send ends did not make it: count it as failed. One still
    # queued joined too late for this run and goes in a follow-up send.
    failed = sum(states.get(state, 0) for state in (State.FAILED, State.BLOCKED, State.SENDING))
    done = states.get(State.SENT, 0) + states.get(State.HELD, 0)
    if error is not None and not done:
        status = Status.FAILED
    elif failed or error is not None:
        status = Status.PARTIAL if done else Status.FAILED
    else:
        status = Status.DONE
    AvalaraSend.objects.filter(pk=send.pk).update(
        status=status,
        finished_at=timezone.now(),
        error_code=str(error.code) if error else "",
        error_message=error.summary if error else "",
    )
    application = send.application or _latest_application(send.customer_id)
    if application is not None:
        _note_on_timeline(send, application, status=status, states=states, error=error)


def _latest_application(customer_id: int) -> CreditApplication | None:
    """A send from the customer page, a retry or the scheduled job is noted on the customer's
    latest application, where its team looks."""
    return (
        CreditApplication.objects.filter(customer_id=customer_id)
        .order_by("-created_at", "-id")
        .first()
    )


def _note_on_timeline(
    send: AvalaraSend, application: CreditApplication, *, status: str, states: dict, error
) -> None:
    calls = AvalaraCall.objects.filter(send=send)
    total = calls.count()
    failed_calls = calls.exclude(outcome=AvalaraCall.Outcome.OK).count()
    code = send.customer.avalara.customer_code
    sent = states.get(State.SENT, 0)
    parts = [
        f"Send to Avalara ({send.get_trigger_display()}): {AvalaraSend.Status(status).label}.",
        f"Avalara ID {code}.",
        f"{sent} certificate(s) sent"
        + (f", {states[State.FAILED]} failed" if states.get(State.FAILED) else "")
        + (f", {states[State.HELD]} held" if states.get(State.HELD) else "")
        + (f", {states[State.BLOCKED]} to fix first" if states.get(State.BLOCKED) else "")
        + ".",
        f"{total} Avalara call(s)" + (f", {failed_calls} not successful." if failed_calls else "."),
    ]
    if error is not None:
        parts.append(f"{error.code}: {error.summary} {error.resolution}")
    record_event(
        application=application,
        kind=ApplicationEvent.Kind.INTEGRATION,
        actor=send.requested_by,
        message=" ".join(parts),
    )
