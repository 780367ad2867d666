"""What integrations adds to the pages of the apps below it, through their extension points."""

from certificates.models import TaxExemptionCertificate
from creditapps.approval import ApprovalDecision, ApprovalOption, register_approval_option
from creditapps.models import ApplicationEvent
from creditapps.services import record_event
from creditapps.slots import (
    application_list_bulk_actions,
    application_more_menu,
    application_sidebar,
    approval_dialog,
    customer_sidebar,
)
from integrations import selectors
from integrations.avalara import AvalaraError
from integrations.models import AvalaraCertificate, AvalaraSend
from integrations.services.sending import SENDERS, avalara_send_request
from nuvo.errors import NuvoError

SEND_OPTION = "send_to_avalara"


def _can_send(context) -> bool:
    member = context.get("member")
    return bool(member) and member.has_any(*SENDERS)


def _menu_context(request, context):
    return {} if _can_send(context) else None


def _sidebar_context(request, context):
    customer = context.get("customer")
    member = context.get("member")
    if customer is None or not member:
        return None
    record = selectors.avalara_customer_for(customer=customer)
    connection = selectors.avalara_connection_get(organization=member.organization)
    if record is None and (connection is None or not connection.is_connected):
        return None
    return {
        "avalara_customer": record,
        "latest_send": selectors.latest_avalara_send(customer=customer),
        "can_send": _can_send(context),
    }


def _is_connected(member, application) -> bool:
    connection = selectors.avalara_connection_get(organization=member.organization)
    return connection is not None and connection.is_connected


def _has_certificates(member, application) -> bool:
    return TaxExemptionCertificate.objects.filter(customer_id=application.customer_id).exists()


def _snapshot(decision: ApprovalDecision) -> str:
    """What was true at decision time: the toggle, and each certificate's place in Avalara."""
    if not decision.chosen:
        return "Send Customer to Avalara: off."
    certificates = list(
        TaxExemptionCertificate.objects.filter(customer_id=decision.application.customer_id)
    )
    if not certificates:
        return "Send Customer to Avalara: on, with no certificates on file."
    states = {
        (row.certificate_id, row.region): row.get_state_display().lower()
        for row in AvalaraCertificate.objects.filter(certificate__in=certificates)
    }
    described = "; ".join(
        "{} ({})".format(
            certificate.display_name,
            ", ".join(
                f"{region} {states.get((certificate.pk, region), 'not sent')}"
                for region in certificate.exempt_regions
            ),
        )
        for certificate in certificates
    )
    return f"Send Customer to Avalara: on. Certificates at approval: {described}."


def _send_after_approval(decision: ApprovalDecision) -> None:
    if not decision.chosen:
        return
    try:
        avalara_send_request(
            member=decision.member,
            customer=decision.application.customer,
            application=decision.application,
            trigger=AvalaraSend.Trigger.APPROVAL,
        )
    except (AvalaraError, NuvoError) as refusal:
        detail = (
            f"{refusal.code}: {refusal.summary} {refusal.resolution}"
            if isinstance(refusal, AvalaraError)
            else refusal.message
        )
        record_event(
            application=decision.application,
            kind=ApplicationEvent.Kind.INTEGRATION,
            actor=decision.member.user,
            message=f"Not sent to Avalara after approval. {detail}",
        )


SEND_CUSTOMER_OPTION = ApprovalOption(
    name=SEND_OPTION,
    label="Send Customer to Avalara",
    offered=_is_connected,
    default=_has_certificates,
    after_approval=_send_after_approval,
    snapshot=_snapshot,
    help_text="Creates the customer in Avalara (or reuses its Avalara ID) and uploads its "
    "tax-exemption certificates once the approval is saved.",
)


def register() -> None:
    application_more_menu.fill("integrations/_send_menu_item.html", context=_menu_context)
    application_list_bulk_actions.fill("integrations/_bulk_send_button.html", context=_menu_context)
    application_sidebar.fill("integrations/_avalara_sidebar.html", context=_sidebar_context)
    customer_sidebar.fill("integrations/_avalara_sidebar.html", context=_sidebar_context)
    register_approval_option(SEND_CUSTOMER_OPTION)
    approval_dialog.fill("integrations/_send_preview.html", context=_send_preview_context, order=50)


def _send_preview_context(request, context):
    """In the Approve dialog: what Send Customer to Avalara would hold back, before deciding."""
    from integrations.services.presend import presend_check

    application = context.get("application")
    member = context.get("member")
    if application is None or not member or not _is_connected(member, application):
        return None
    certificates = list(TaxExemptionCertificate.objects.filter(customer_id=application.customer_id))
    if not certificates:
        return None
    connection = selectors.avalara_connection_get(organization=member.organization)
    record = selectors.avalara_customer_for(customer=application.customer)
    check = presend_check(
        customer=application.customer,
        certificates=certificates,
        connection=connection,
        customer_code=record.customer_code if record else "",
    )
    if not check.problems and not check.held_until:
        return None
    by_id = {certificate.pk: certificate for certificate in certificates}
    held = sorted(
        ((by_id[pk], until) for pk, until in check.held_until.items()), key=lambda pair: pair[1]
    )
    return {"check": check, "held": held}
