"""More > Send to Avalara, its progress, retrying one certificate, bulk sends, look-alikes."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from creditapps import selectors as creditapps_selectors
from integrations import selectors
from integrations.avalara import AvalaraError
from integrations.models import AvalaraSend
from integrations.services import matching
from integrations.services.presend import SendBlocked
from integrations.services.resends import avalara_certificate_retry
from integrations.services.sending import (
    SENDERS,
    PossibleDuplicateCustomer,
    avalara_send_request,
)
from nuvo.errors import NuvoError
from nuvo.formatting import sentence
from nuvo.web import member_required, redirect_after_action, render_page

Trigger = AvalaraSend.Trigger


def _send(request, *, customer, application, trigger=Trigger.MENU):
    """Queue the send and show its progress, or say why it cannot go (the guide's codes)."""
    context = {"customer": customer, "application": application}
    try:
        result = avalara_send_request(
            member=request.member, customer=customer, application=application, trigger=trigger
        )
    except PossibleDuplicateCustomer as refusal:
        return render_page(
            request,
            "integrations/send_match.html",
            "dialog",
            {**context, "matches": refusal.matches, "message": refusal.message},
            status=409,
        )
    except SendBlocked as blocked:
        return render_page(
            request,
            "integrations/send_blocked.html",
            "dialog",
            {**context, "check": blocked.check, "message": blocked.message},
            status=409,
        )
    except AvalaraError as error:
        return render_page(
            request,
            "integrations/send_refused.html",
            "dialog",
            {**context, "error": error},
            status=409,
        )
    if not request.htmx:
        messages.success(request, "Sending to Avalara. Progress shows below.")
        return redirect((application or customer).get_absolute_url())
    return _progress(request, result.send, shared=not result.created)


def _progress(request, send, *, shared: bool = False):
    return render_page(
        request,
        "integrations/send_progress.html",
        "dialog",
        {
            "send": send,
            "customer": send.customer,
            "application": send.application,
            "items": selectors.send_progress(send=send),
            "shared": shared,
        },
    )


@member_required(*SENDERS)
@require_POST
def send_application(request, pk):
    application = creditapps_selectors.application_get(member=request.member, pk=pk)
    return _send(request, customer=application.customer, application=application)


@member_required(*SENDERS)
@require_POST
def send_customer(request, pk):
    customer = creditapps_selectors.customer_get(member=request.member, pk=pk)
    return _send(request, customer=customer, application=None)


@member_required(*SENDERS)
@require_GET
def send_progress(request, pk):
    """The send's progress; htmx polls the fragment while the send is under way."""
    send = selectors.avalara_send_get(member=request.member, pk=pk)
    if request.htmx and request.GET.get("fragment") == "rows":
        return render_page(
            request,
            "integrations/send_progress.html",
            "progress",
            {"send": send, "items": selectors.send_progress(send=send)},
        )
    return _progress(request, send)


@member_required(*SENDERS)
@require_POST
def certificate_retry(request, pk):
    row = selectors.avalara_certificate_get(member=request.member, pk=pk)
    try:
        result = avalara_certificate_retry(member=request.member, row=row)
    except (NuvoError, AvalaraError) as error:
        messages.error(request, getattr(error, "message", None) or f"{error.code}: {error.summary}")
        return redirect_after_action(request, row.certificate.customer.get_absolute_url())
    if request.htmx:
        return _progress(request, result.send)
    return redirect(reverse("avalara:send-progress", args=[result.send.pk]))


@member_required(*SENDERS)
@require_POST
def bulk_send(request):
    """Send the customers of the chosen applications; the summary page follows each send."""
    ids = [
        value
        for value in request.POST.getlist("application")
        if value.isascii() and value.isdigit()
    ]
    applications = creditapps_selectors.applications_by_ids(member=request.member, ids=ids)
    if not applications:
        messages.error(request, "Choose at least one application to send to Avalara.")
        return redirect_after_action(request, reverse("creditapps:application-list"))
    batch = uuid.uuid4()
    outcome = matching.bulk_send(member=request.member, applications=applications, batch=batch)
    request.session[f"avalara-batch-{batch}"] = outcome.refusals
    # Sends already under way that these customers joined belong to other batches: list them.
    request.session[f"avalara-batch-{batch}-shared"] = [
        send.pk for send in outcome.sends if send.batch != batch
    ]
    return redirect_after_action(request, reverse("avalara:batch", args=[batch]))


@member_required(*SENDERS)
@require_GET
def batch_progress(request, batch):
    sends = selectors.batch_sends(
        member=request.member,
        batch=batch,
        shared_ids=request.session.get(f"avalara-batch-{batch}-shared", []),
    )
    refusals = request.session.get(f"avalara-batch-{batch}", [])
    if not sends and not refusals:
        from django.http import Http404

        raise Http404("No such bulk send.")
    return render_page(
        request,
        "integrations/batch_progress.html",
        "summary",
        {
            "batch": batch,
            "sends": sends,
            "refusals": refusals,
            "active": any(send.is_active for send in sends),
            "counts": {
                status.label: sum(1 for send in sends if send.status == status)
                for status in AvalaraSend.Status
            },
        },
    )


@member_required(*SENDERS)
@require_POST
def dismiss_match(request, pk, other_pk):
    """ "Different customers": remember it, then send as a new Avalara customer."""
    customer = creditapps_selectors.customer_get(member=request.member, pk=pk)
    other = creditapps_selectors.customer_get(member=request.member, pk=other_pk)
    application = creditapps_selectors.application_for_customer_or_none(
        customer=customer, pk=request.POST.get("application")
    )
    matching.dismiss_match(member=request.member, customer=customer, other=other)
    return _send(request, customer=customer, application=application)


@member_required(*SENDERS)
@require_POST
def merge_into(request, pk, into_pk):
    """ "Same customer": fold this one into the one on file, then send that one."""
    duplicate = creditapps_selectors.customer_get(member=request.member, pk=pk)
    into = creditapps_selectors.customer_get(member=request.member, pk=into_pk)
    application = creditapps_selectors.application_for_customer_or_none(
        customer=duplicate, pk=request.POST.get("application")
    )
    try:
        matching.merge_customers(member=request.member, duplicate=duplicate, into=into)
    except NuvoError as error:
        messages.error(request, error.message)
        return redirect_after_action(request, duplicate.get_absolute_url())
    messages.success(request, f"{duplicate.legal_name} merged into {sentence(into.legal_name)}")
    if application is not None:
        application.refresh_from_db()
    return _send(request, customer=into, application=application)
