"""Organization-scoped reads. Anything outside the member's organization is simply not found."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.selectors import certificates_expiring
from creditapps.approval_queue import needing_approval_by, waiting_for_approval
from creditapps.models import CreditApplication, Customer, CustomerMatchDismissal, InfoRequest
from nuvo.models import Membership, Organization
from nuvo.roles import Member

# Each sort's full order. By customer, a customer's applications stay together (newest first),
# so the page is read along the customers' name index rather than sorted from every row.
APPLICATION_SORTS = {
    "submitted": ("submitted_at", "-id"),
    "-submitted": ("-submitted_at", "-id"),
    "customer": ("customer__legal_name", "customer_id", "-id"),
    "-customer": ("-customer__legal_name", "-customer_id", "-id"),
    "limit": ("requested_credit_limit", "-id"),
    "-limit": ("-requested_credit_limit", "-id"),
    "status": ("status", "-id"),
    "-status": ("-status", "-id"),
}
DEFAULT_APPLICATION_SORT = "-submitted"


@dataclass(frozen=True)
class ApplicationFilters:
    status: str = ""
    analyst_id: int | None = None
    unassigned: bool = False
    awaiting_approval: bool = False
    # The "Needs my approval" view: waiting for approval, and this member may approve it.
    needs_my_approval: bool = False
    search: str = ""
    sort: str = DEFAULT_APPLICATION_SORT


def application_list(*, member: Member, filters: ApplicationFilters) -> QuerySet[CreditApplication]:
    applications = (
        CreditApplication.objects.filter(organization=member.organization)
        .select_related("customer", "assigned_analyst")
        .prefetch_related("trade_references")
    )
    if filters.status:
        applications = applications.filter(status=filters.status)
    if filters.unassigned:
        applications = applications.filter(assigned_analyst__isnull=True)
    elif filters.analyst_id:
        applications = applications.filter(assigned_analyst_id=filters.analyst_id)
    if filters.needs_my_approval:
        applications = needing_approval_by(applications, member=member)
    elif filters.awaiting_approval:
        applications = waiting_for_approval(applications)
    if filters.search:
        applications = applications.filter(
            Q(customer__legal_name__icontains=filters.search)
            | Q(customer__dba_name__icontains=filters.search)
            | Q(customer__email__icontains=filters.search)
        )
    order = APPLICATION_SORTS.get(filters.sort, APPLICATION_SORTS[DEFAULT_APPLICATION_SORT])
    if filters.sort in ("customer", "-customer"):
        # Always true; it lets the database walk the customers' (organization, name) index.
        applications = applications.filter(customer__organization=member.organization)
    return applications.order_by(*order)


def application_get(*, member: Member, pk: int) -> CreditApplication:
    return get_object_or_404(
        CreditApplication.objects.select_related(
            "customer", "assigned_analyst", "decided_by", "approval_requested_by"
        ),
        organization=member.organization,
        pk=pk,
    )


def application_for_customer(*, customer: Customer, pk: int) -> CreditApplication:
    return get_object_or_404(customer.credit_applications, pk=pk)


def application_for_customer_or_none(*, customer: Customer, pk: str | None):
    """The customer's application named by a query or form value; absent or not a number: None."""
    if not pk or not pk.isascii() or not pk.isdigit():
        return None
    return application_for_customer(customer=customer, pk=int(pk))


def info_request_get(*, member: Member, pk: int) -> InfoRequest:
    return get_object_or_404(
        InfoRequest.objects.select_related("application__customer"),
        application__organization=member.organization,
        pk=pk,
    )


def open_info_request(*, application: CreditApplication) -> InfoRequest | None:
    return application.info_requests.filter(responded_at__isnull=True).first()


def application_timeline(*, application: CreditApplication):
    return application.events.select_related("actor").order_by("created_at", "id")


def row_count(queryset) -> Subquery:
    """The rows of `queryset` (filtered on an `OuterRef`) as a correlated subquery.

    The database counts for the rows it returns, the page after LIMIT, where COUNT(DISTINCT) over
    joins groups every row before paginating (and makes the paginator count a subquery of it).
    """
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def customer_list(*, member: Member, search: str = "") -> QuerySet[Customer]:
    customers = Customer.objects.filter(organization=member.organization).annotate(
        certificate_count=row_count(
            TaxExemptionCertificate.objects.filter(customer=OuterRef("pk"))
        ),
        application_count=row_count(CreditApplication.objects.filter(customer=OuterRef("pk"))),
    )
    if search:
        customers = customers.filter(
            Q(legal_name__icontains=search)
            | Q(dba_name__icontains=search)
            | Q(email__icontains=search)
            | Q(contact_name__icontains=search)
        )
    return customers.order_by("legal_name", "id")


def possible_duplicates(*, customer: Customer) -> list[Customer]:
    """Other customers of the organization with the same tax ID or email, unless dismissed.

    A returning customer who applies again through the public form becomes a new row; before it
    goes anywhere that must not hold two copies (Avalara), an analyst confirms or merges.
    """
    same = Q()
    if customer.tax_id.strip():
        same |= Q(tax_id__iexact=customer.tax_id.strip())
    if customer.email.strip():
        same |= Q(email__iexact=customer.email.strip())
    if not same:
        return []
    dismissed = CustomerMatchDismissal.objects.filter(
        Q(customer=customer) | Q(other=customer)
    ).values_list("customer_id", "other_id")
    excluded = {pk for pair in dismissed for pk in pair} | {customer.pk}
    return list(
        Customer.objects.filter(same, organization_id=customer.organization_id)
        .exclude(pk__in=excluded)
        .order_by("created_at", "id")
    )


def customer_get(*, member: Member, pk: int) -> Customer:
    return get_object_or_404(Customer, organization=member.organization, pk=pk)


def organization_users(*, organization: Organization, role: str | None = None):
    memberships = Membership.objects.filter(organization=organization)
    if role:
        memberships = memberships.filter(role=role)
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .order_by("first_name", "last_name", "username")
    )


def organization_for_public_form(*, form_key) -> Organization:
    return get_object_or_404(Organization, public_form_key=form_key)


@dataclass(frozen=True)
class PipelineReport:
    status_counts: list[tuple[str, int]]
    awaiting_approval: int
    decided_last_90_days: int
    approved_last_90_days: int
    approved_credit_last_90_days: object
    average_days_to_decision: float | None
    open_without_certificates: list[CreditApplication]

    @property
    def approval_rate(self) -> float | None:
        if not self.decided_last_90_days:
            return None
        return self.approved_last_90_days / self.decided_last_90_days


def pipeline_report(*, member: Member) -> PipelineReport:
    applications = CreditApplication.objects.filter(organization=member.organization)
    counts = dict(
        applications.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    since = timezone.now() - timedelta(days=90)
    decided = applications.filter(decided_at__gte=since, submitted_at__isnull=False)
    durations = [
        (decided_at - submitted_at).total_seconds() / 86400
        for decided_at, submitted_at in decided.values_list("decided_at", "submitted_at")
    ]
    approved = decided.filter(status=CreditApplication.Status.APPROVED)
    open_statuses = [
        CreditApplication.Status.SUBMITTED,
        CreditApplication.Status.IN_REVIEW,
        CreditApplication.Status.INFO_REQUESTED,
    ]
    return PipelineReport(
        status_counts=[
            (label, counts.get(value, 0)) for value, label in CreditApplication.Status.choices
        ],
        awaiting_approval=applications.filter(
            status=CreditApplication.Status.IN_REVIEW, approval_requested_at__isnull=False
        ).count(),
        decided_last_90_days=len(durations),
        approved_last_90_days=approved.count(),
        approved_credit_last_90_days=approved.aggregate(total=Sum("approved_credit_limit"))["total"]
        or 0,
        average_days_to_decision=sum(durations) / len(durations) if durations else None,
        open_without_certificates=list(
            applications.filter(status__in=open_statuses, customer__certificates__isnull=True)
            .select_related("customer", "assigned_analyst")
            .order_by("submitted_at")[:50]
        ),
    )


def applications_by_ids(*, member: Member, ids) -> list[CreditApplication]:
    return list(
        CreditApplication.objects.filter(organization=member.organization, pk__in=ids)
        .select_related("customer")
        .order_by("customer__legal_name", "id")
    )


@dataclass(frozen=True)
class ExpiryGroups:
    """The expired and expiring certificates in two groups, the expired first, with full counts
    (the lists hold at most the `limit` asked for, between them)."""

    window: int
    expired: list[TaxExemptionCertificate]
    expired_count: int
    expiring: list[TaxExemptionCertificate]
    expiring_count: int

    @property
    def count(self) -> int:
        return self.expired_count + self.expiring_count

    @property
    def shown(self) -> int:
        return len(self.expired) + len(self.expiring)


def certificates_by_expiry(*, member: Member, limit: int) -> ExpiryGroups:
    """Expired (in the last year) and expiring certificates with their renewal requests."""
    certificates = certificates_expiring(member=member)
    counts = certificates.aggregate(
        total=Count("id"), expired=Count("id", filter=Q(expiration_date__lt=timezone.localdate()))
    )
    shown = list(certificates.prefetch_related("renewal_requests")[:limit])
    return ExpiryGroups(
        window=member.organization.expiry_window_days,
        expired=[certificate for certificate in shown if certificate.is_expired],
        expired_count=counts["expired"],
        expiring=[certificate for certificate in shown if not certificate.is_expired],
        expiring_count=counts["total"] - counts["expired"],
    )
