"""Look-alike customers before a send, and sending many customers at once."""

from dataclasses import dataclass, field

from django.db import transaction

from certificates.models import TaxExemptionCertificate
from creditapps import services as creditapps_services
from integrations.avalara import AvalaraError
from integrations.models import AvalaraCertificate, AvalaraCustomer, AvalaraSend
from integrations.services.presend import SendBlocked
from integrations.services.sending import PossibleDuplicateCustomer, avalara_send_request
from nuvo.errors import NuvoError
from nuvo.roles import Member


def dismiss_match(*, member: Member, customer, other) -> None:
    creditapps_services.customer_match_dismiss(member=member, customer=customer, other=other)


@transaction.atomic
def merge_customers(*, member: Member, duplicate, into):
    """Merge look-alike customers, keeping the one Avalara knows (two Avalara IDs cannot merge)."""
    records = {
        record.customer_id: record
        for record in AvalaraCustomer.objects.select_for_update().filter(
            customer__in=[duplicate, into]
        )
    }
    if duplicate.pk in records and into.pk in records:
        raise NuvoError(
            f"Both customers are in Avalara ({records[duplicate.pk].customer_code} and "
            f"{records[into.pk].customer_code}); merge them in Avalara first.",
            code="both_in_avalara",
        )
    if duplicate.pk in records:
        AvalaraCustomer.objects.filter(pk=records[duplicate.pk].pk).update(customer=into)
        _keep_copies_of_twins(duplicate=duplicate, into=into)
    return creditapps_services.customer_merge(member=member, duplicate=duplicate, into=into)


def _keep_copies_of_twins(*, duplicate, into) -> None:
    """The merge drops the duplicate's certificates whose file the kept customer holds too.
    What Avalara has of them moves to the kept file, so the next send does not upload it again."""
    kept_by_file = dict(
        TaxExemptionCertificate.objects.filter(customer=into).values_list("sha256", "pk")
    )
    kept_copies = set(
        AvalaraCertificate.objects.filter(certificate__customer=into).values_list(
            "certificate_id", "region", "company_id"
        )
    )
    for copy in AvalaraCertificate.objects.filter(
        certificate__customer=duplicate, certificate__sha256__in=kept_by_file
    ).select_related("certificate"):
        kept = kept_by_file[copy.certificate.sha256]
        if (kept, copy.region, copy.company_id) not in kept_copies:
            AvalaraCertificate.objects.filter(pk=copy.pk).update(certificate_id=kept)
            kept_copies.add((kept, copy.region, copy.company_id))


@dataclass
class BulkOutcome:
    sends: list[AvalaraSend] = field(default_factory=list)
    # (customer name, why) for each customer not sent, shown on the summary.
    refusals: list[tuple[str, str]] = field(default_factory=list)


def bulk_send(*, member: Member, applications, batch) -> BulkOutcome:
    outcome = BulkOutcome()
    seen = set()
    for application in applications:
        customer = application.customer
        if customer.pk in seen:
            continue
        seen.add(customer.pk)
        try:
            result = avalara_send_request(
                member=member,
                customer=customer,
                application=application,
                trigger=AvalaraSend.Trigger.BULK,
                batch=batch,
            )
        except (PossibleDuplicateCustomer, SendBlocked) as refusal:
            outcome.refusals.append((customer.legal_name, refusal.message))
            continue
        except AvalaraError as error:
            outcome.refusals.append(
                (customer.legal_name, f"{error.code}: {error.summary} {error.resolution}")
            )
            continue
        outcome.sends.append(result.send)
    return outcome
