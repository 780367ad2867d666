from django.db import transaction

from certificates.models import TaxExemptionCertificate
from certificates.services import discard_stored_files
from creditapps.models import ApplicationEvent, Customer, CustomerMatchDismissal
from creditapps.services.timeline import record_event
from nuvo.errors import NuvoError
from nuvo.roles import RECORD_EDITORS, Member, Role


def customer_details(fields: dict) -> dict:
    """Only the customer details people may set (Customer.DETAIL_FIELDS)."""
    return {name: value for name, value in fields.items() if name in Customer.DETAIL_FIELDS}


def customer_create(*, member: Member, **fields) -> Customer:
    member.require(Role.CREDIT_ANALYST)
    return Customer.objects.create(organization=member.organization, **customer_details(fields))


def customer_update(*, member: Member, customer: Customer, **fields) -> Customer:
    member.require_any(*RECORD_EDITORS)
    if customer.organization_id != member.organization.pk:
        raise ValueError("customer is outside the member's organization")
    changes = customer_details(fields)
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.save(update_fields=[*changes, "updated_at"])
    return customer


def _pair(first: Customer, second: Customer) -> tuple[Customer, Customer]:
    return (first, second) if first.pk < second.pk else (second, first)


def customer_match_dismiss(*, member: Member, customer: Customer, other: Customer) -> None:
    """Record that two look-alike customers are different firms; they stop being offered."""
    member.require_any(*RECORD_EDITORS)
    if {customer.organization_id, other.organization_id} != {member.organization.pk}:
        raise ValueError("customers are outside the member's organization")
    low, high = _pair(customer, other)
    CustomerMatchDismissal.objects.get_or_create(
        organization=member.organization,
        customer=low,
        other=high,
        defaults={"dismissed_by": member.user},
    )


@transaction.atomic
def customer_merge(*, member: Member, duplicate: Customer, into: Customer) -> Customer:
    """Fold `duplicate` into `into`: its applications and certificates move, then it goes.

    A certificate whose file `into` already holds is dropped rather than kept twice. The kept
    customer's details stay as they are.
    """
    member.require_any(*RECORD_EDITORS)
    if {duplicate.organization_id, into.organization_id} != {member.organization.pk}:
        raise ValueError("customers are outside the member's organization")
    if duplicate.pk == into.pk:
        raise NuvoError("A customer cannot be merged into itself.", code="same_customer")
    applications = list(duplicate.credit_applications.all())
    duplicate.credit_applications.update(customer=into)
    already_held = set(
        TaxExemptionCertificate.objects.filter(customer=into).values_list("sha256", flat=True)
    )
    twins = list(
        TaxExemptionCertificate.objects.filter(customer=duplicate, sha256__in=already_held)
    )
    TaxExemptionCertificate.objects.filter(pk__in=[twin.pk for twin in twins]).delete()
    # The files go only once the rows are gone for good.
    transaction.on_commit(lambda: discard_stored_files(twins))
    TaxExemptionCertificate.objects.filter(customer=duplicate).update(customer=into)
    for application in applications:
        record_event(
            application=application,
            kind=ApplicationEvent.Kind.CUSTOMERS_MERGED,
            actor=member.user,
            message=f"{duplicate.legal_name} (customer {duplicate.pk}) merged into "
            f"{into.legal_name} (customer {into.pk}).",
        )
    duplicate.delete()
    return into


def organization_certificate_settings_update(
    *, member: Member, expiry_window_days: int, request_renewals_automatically: bool
) -> None:
    member.require(Role.ADMIN)
    organization = member.organization
    organization.expiry_window_days = expiry_window_days
    organization.request_renewals_automatically = request_renewals_automatically
    organization.save(update_fields=["expiry_window_days", "request_renewals_automatically"])
