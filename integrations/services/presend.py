"""The checks a send runs before anything goes to Avalara, and what they do to its rows.

A problem of the customer stops the whole send (Avalara would refuse the customer, and every
certificate with it); a problem of a certificate stops that certificate only; a future
effective date holds a certificate until that day (CertCapture sends it then too).
"""

from django.utils import timezone

from integrations.checks import SendCheck, check_send
from integrations.models import AvalaraCertificate, AvalaraDefinitions, CertificateEvent
from integrations.services import history
from integrations.services.definitions import reason_mappings
from nuvo.errors import NuvoError

State = AvalaraCertificate.State
Kind = CertificateEvent.Kind


class SendBlocked(NuvoError):
    """Nothing can go until these are fixed."""

    code = "send_blocked"

    def __init__(self, check: SendCheck) -> None:
        count = len(check.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} would make Avalara refuse this send; "
            "fix them and send again."
        )
        self.check = check


def presend_check(*, customer, certificates, connection, customer_code: str = "") -> SendCheck:
    """Run every rule; the account's reasons come from the cache (no call to Avalara)."""
    definitions = AvalaraDefinitions.objects.filter(connection=connection).first()
    return check_send(
        customer=customer,
        certificates=certificates,
        customer_code=customer_code,
        definitions=definitions,
        mappings=reason_mappings(organization=customer.organization),
    )


def refuse_if_nothing_can_go(check: SendCheck, certificates) -> None:
    if check.blocks_everything:
        raise SendBlocked(check)
    sendable = [
        (certificate, region)
        for certificate in certificates
        for region in certificate.exempt_regions
        if not check.blocks(certificate.pk, region)
    ]
    if not sendable:
        raise SendBlocked(check)


def note_blocked_send(check: SendCheck, certificates, *, actor=None) -> None:
    """Nothing went: each certificate's History says what stopped it (its own problems, and
    the customer's, which stop every certificate)."""
    for certificate in certificates:
        problems = check.customer_problems + check.certificate_problems.get(certificate.pk, [])
        if problems:
            history.record(
                certificate,
                Kind.CHECKED,
                f"{len(problems)} problem(s) to fix before sending.",
                problems=problems,
                actor=actor,
            )


def apply_check(send, check: SendCheck, certificates, *, actor=None, rows=None) -> None:
    """Mark this send's queued rows (those in `rows`, if given) that must wait (held) or be
    fixed (blocked); note it in History."""
    by_id = {certificate.pk: certificate for certificate in certificates}
    queued = AvalaraCertificate.objects.filter(send=send, state=State.QUEUED)
    if rows is not None:
        queued = queued.filter(pk__in=rows)
    for row in queued:
        certificate = by_id.get(row.certificate_id)
        if certificate is None:
            continue
        problems = check.blocks(row.certificate_id, row.region)
        if problems:
            AvalaraCertificate.objects.filter(pk=row.pk, state=State.QUEUED).update(
                state=State.BLOCKED,
                error_code=problems[0].code,
                error_message=" ".join(problem.message for problem in problems)[:2000],
                updated_at=timezone.now(),
            )
            history.record(
                certificate,
                Kind.CHECKED,
                f"{len(problems)} problem(s) to fix before sending.",
                region=row.region,
                problems=problems,
                actor=actor,
            )
        elif row.certificate_id in check.held_until:
            until = check.held_until[row.certificate_id]
            AvalaraCertificate.objects.filter(pk=row.pk, state=State.QUEUED).update(
                state=State.HELD, held_until=until, updated_at=timezone.now()
            )
            history.record(
                certificate,
                Kind.HELD,
                f"Its effective date is {until:%B %-d, %Y}; Nuvo sends it that day.",
                region=row.region,
                actor=actor,
            )
        else:
            history.record(certificate, Kind.QUEUED, region=row.region, actor=actor)
