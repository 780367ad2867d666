"""Exposure coverage on the application page, in the applications list and the Approve dialog."""

from creditapps.slots import (
    application_list_column,
    application_main,
    approval_dialog,
    register_application_list_preparer,
)
from integrations.models import AvalaraConnection
from integrations.services.coverage import coverage_by_customer


def _company_of(organization_id) -> int | None:
    connection = (
        AvalaraConnection.objects.filter(
            organization_id=organization_id, status=AvalaraConnection.Status.CONNECTED
        )
        .only("company_id")
        .first()
    )
    return connection.company_id if connection else None


def attach_coverage(applications) -> None:
    """`application.coverage` for a page of the list: two queries, whatever its length."""
    applications = list(applications)
    if not applications:
        return
    company_id = _company_of(applications[0].organization_id)
    if company_id is None:
        return
    customers = {application.customer_id: application.customer for application in applications}
    coverage = coverage_by_customer(customers.values(), company_id=company_id)
    for application in applications:
        application.coverage = coverage[application.customer_id]


def _page_context(request, context):
    customer = context.get("customer")
    member = context.get("member")
    if customer is None or not member:
        return None
    company_id = _company_of(member.organization.pk)
    if company_id is None:
        return None
    return {"coverage": coverage_by_customer([customer], company_id=company_id)[customer.pk]}


def _column_context(request, context):
    if context.get("header"):
        page = context.get("page")
        applications = page.object_list if page is not None else []
        return {"header": True} if any(hasattr(a, "coverage") for a in applications) else None
    application = context.get("application")
    if application is None or not hasattr(application, "coverage"):
        return None
    return {"coverage": application.coverage}


def register() -> None:
    register_application_list_preparer(attach_coverage)
    application_list_column.fill("integrations/_coverage_cell.html", context=_column_context)
    application_main.fill("integrations/_coverage_section.html", context=_page_context)
    approval_dialog.fill("integrations/_coverage_summary.html", context=_page_context)
