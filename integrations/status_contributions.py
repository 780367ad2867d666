"""Avalara's status where certificates are shown: a badge per region, and certificates only
Avalara has. Filled into the certificates app's slots; one query per list, not per row."""

from collections import defaultdict

from certificates.slots import (
    certificate_extra_rows,
    certificate_history,
    certificate_status,
    register_certificate_preparer,
)
from creditapps.slots import reports_sections
from integrations.checks import check_certificate
from integrations.checks.run import known_cells
from integrations.models import (
    AvalaraCertificate,
    AvalaraConnection,
    AvalaraDefinitions,
    AvalaraOnlyCertificate,
)
from integrations.services.definitions import reason_mappings
from nuvo.slots import navigation_reports


def _connections(organization_ids) -> dict[int, AvalaraConnection]:
    return {
        connection.organization_id: connection
        for connection in AvalaraConnection.objects.filter(
            organization_id__in=organization_ids, status=AvalaraConnection.Status.CONNECTED
        )
        .defer("secret")
        .select_related("organization")
    }


def attach_avalara_rows(certificates) -> None:
    """`certificate.avalara_rows`: its Avalara copies under the connected company, by region."""
    if not certificates:
        return
    connections = _connections({certificate.organization_id for certificate in certificates})
    rows = defaultdict(list)
    companies = {connection.company_id for connection in connections.values()}
    for row in AvalaraCertificate.objects.filter(
        certificate__in=certificates, company_id__in=companies
    ).order_by("region"):
        rows[row.certificate_id].append(row)
    checks = _presend_warnings(certificates, rows, connections)
    for certificate in certificates:
        connection = connections.get(certificate.organization_id)
        certificate.avalara_connected = connection is not None
        certificate.avalara_rows = rows.get(certificate.pk, [])
        certificate.presend_problems = checks.get(certificate.pk, [])


def _presend_warnings(certificates, rows, connections) -> dict[int, list]:
    """What would stop a certificate not yet in Avalara: shown as warnings from upload on."""
    unsent = [
        certificate
        for certificate in certificates
        if certificate.organization_id in connections
        and not any(
            row.state == AvalaraCertificate.State.SENT for row in rows.get(certificate.pk, [])
        )
    ]
    if not unsent:
        return {}
    organization = unsent[0].organization_id
    connection = connections[organization]
    definitions = AvalaraDefinitions.objects.filter(connection=connection).first()
    mappings = reason_mappings(organization=connection.organization)
    known = known_cells(connection.organization)
    return {
        certificate.pk: check_certificate(
            certificate, definitions=definitions, mappings=mappings, known=known
        )
        for certificate in unsent
    }


def _status_context(request, context):
    certificate = context.get("certificate")
    if context.get("header"):
        certificates = context.get("certificates") or []
        shown = any(getattr(c, "avalara_connected", False) for c in certificates)
        return {"header": True} if shown else None
    if certificate is None or not getattr(certificate, "avalara_connected", False):
        return None
    return {
        "rows": certificate.avalara_rows,
        "regions": certificate.exempt_regions,
        "problems": certificate.presend_problems,
    }


def _extra_rows_context(request, context):
    customer = context.get("customer")
    if customer is None:
        return None
    only = list(
        AvalaraOnlyCertificate.objects.filter(customer=customer).order_by("signed_date", "id")
    )
    return {"avalara_only": only} if only else None


def _history_context(request, context):
    from integrations.services.history import certificate_history

    certificate = context.get("certificate")
    if certificate is None:
        return None
    return {"entries": certificate_history(certificate)}


def _failed_count(request, context) -> int | None:
    """The organization's unresolved failures, counted once per request (the navigation badge
    and the Reports section both show it); None for members who cannot send."""
    from integrations.services.failed_calls import failed_count
    from integrations.services.sending import SENDERS

    member = context.get("member")
    if not member or not member.has_any(*SENDERS):
        return None
    if request is None:
        return failed_count(organization=member.organization)
    if not hasattr(request, "_failed_avalara_calls"):
        request._failed_avalara_calls = failed_count(organization=member.organization)
    return request._failed_avalara_calls


def _failed_count_context(request, context):
    count = _failed_count(request, context) if request is not None else None
    return {"failed_count": count} if count else None


def _reports_context(request, context):
    count = _failed_count(request, context)
    return None if count is None else {"failed_count": count}


def register() -> None:
    navigation_reports.fill("integrations/_nav_failed_count.html", context=_failed_count_context)
    reports_sections.fill("integrations/_reports_failed_calls.html", context=_reports_context)
    certificate_history.fill("integrations/_history.html", context=_history_context)
    register_certificate_preparer(attach_avalara_rows)
    certificate_status.fill("integrations/_certificate_status.html", context=_status_context)
    certificate_extra_rows.fill(
        "integrations/_avalara_only_certificates.html", context=_extra_rows_context
    )
