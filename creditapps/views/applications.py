"""The applications list, an application's page, and the actions on it."""

from django.contrib import messages
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from certificates.selectors import (
    certificates_for_customer,
    customer_has_certificates,
)
from creditapps import selectors, services
from creditapps.approval import approval_options_for
from creditapps.approval_queue import approval_request_for, certificate_summary
from creditapps.forms import ApplicationFilterForm
from creditapps.models import InfoRequest
from creditapps.review_forms import (
    ApproveForm,
    AssignForm,
    DeclineForm,
    RequestApprovalForm,
    RequestInfoForm,
)
from creditapps.services.duties import approval_refusal
from creditapps.slots import prepare_applications
from creditapps.tokens import info_request_url
from creditapps.views.info_requests import resend_purpose
from nuvo.errors import NuvoError
from nuvo.form_tokens import (
    FIELD,
    FormAlreadySent,
    already_sent_response,
    form_token_for,
    submit_once,
)
from nuvo.roles import Role
from nuvo.web import member_required, paginate, redirect_after_action, render_page


@member_required()
def application_list(request):
    analysts = selectors.organization_users(
        organization=request.member.organization, role=Role.CREDIT_ANALYST
    )
    filter_form = ApplicationFilterForm(request.GET or None, analysts=analysts)
    applications = selectors.application_list(
        member=request.member, filters=filter_form.to_filters()
    )
    page = paginate(request, applications)
    prepare_applications(page.object_list)
    return render_page(
        request,
        "creditapps/application_list.html",
        "results",
        {
            "filter_form": filter_form,
            "page": page,
            "query": request.GET.copy(),
            "public_form_url": request.build_absolute_uri(
                request.member.organization.get_public_form_url()
            ),
            "expiry": selectors.certificates_by_expiry(member=request.member, limit=5),
        },
    )


def _waiting_card_context(request, application) -> dict:
    """The open Request Info, and (while its link works) the link itself and a Resend token."""
    info_request = selectors.open_info_request(application=application)
    if info_request is None or info_request.is_expired:
        return {"open_info_request": info_request}
    return {
        "open_info_request": info_request,
        "info_link": info_request_url(info_request),
        "resend_token": form_token_for(request, resend_purpose(info_request)),
    }


@member_required()
def application_detail(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    analysts = selectors.organization_users(
        organization=request.member.organization, role=Role.CREDIT_ANALYST
    )
    return render(
        request,
        "creditapps/application_detail.html",
        {
            "application": application,
            "customer": application.customer,
            "certificates": certificates_for_customer(customer_id=application.customer_id),
            "timeline": selectors.application_timeline(application=application),
            "trade_references": application.trade_references.all(),
            **_waiting_card_context(request, application),
            "approval_refusal": approval_refusal(member=request.member, application=application),
            "assign_form": AssignForm(
                analysts=analysts,
                initial={"analyst": str(application.assigned_analyst_id or "")},
            ),
        },
    )


def _run_action(request, action, *, success_message: str, url: str):
    """Call a service; on refusal show why, on success say so; then back to the page."""
    try:
        action()
    except NuvoError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success_message)
    return redirect_after_action(request, url)


def _analyst_button(service, success_message: str):
    """A one-click analyst action on an application (a POST with no form)."""

    @member_required(Role.CREDIT_ANALYST)
    @require_POST
    def view(request, pk):
        application = selectors.application_get(member=request.member, pk=pk)
        return _run_action(
            request,
            lambda: service(member=request.member, application=application),
            success_message=success_message.format(reference=application.reference),
            url=application.get_absolute_url(),
        )

    return view


application_submit = _analyst_button(services.application_submit, "{reference} submitted.")
application_start_review = _analyst_button(
    services.application_start_review, "Review started on {reference}."
)


@member_required(Role.CREDIT_ANALYST)
@require_POST
def application_assign(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    analysts = selectors.organization_users(
        organization=request.member.organization, role=Role.CREDIT_ANALYST
    )
    form = AssignForm(request.POST, analysts=analysts)
    if not form.is_valid():
        messages.error(request, "Choose an analyst from the list.")
        return redirect_after_action(request, application.get_absolute_url())
    return _run_action(
        request,
        lambda: services.application_assign(
            member=request.member, application=application, analyst=form.selected_analyst()
        ),
        success_message="Assignment updated.",
        url=application.get_absolute_url(),
    )


def _dialog_form_view(
    request,
    *,
    application,
    form,
    template,
    on_valid,
    success_message,
    once: str = "",
    extra: dict | None = None,
):
    """GET shows the form (a dialog via htmx, a page otherwise); a valid POST runs the service.

    With `once` (a form-token purpose) the form carries a one-time token: a second post of it
    is sent back to the application instead of acting again.
    """
    back = application.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        try:
            if once:
                with submit_once(request.POST.get(FIELD), purpose=once) as submission:
                    on_valid(form.cleaned_data)
                    submission.result_url = back
            else:
                on_valid(form.cleaned_data)
        except FormAlreadySent as sent:
            return already_sent_response(request, sent, fallback=back)
        except NuvoError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success_message)
            return redirect_after_action(request, back)
    context = {"application": application, "customer": application.customer, "form": form}
    context.update(extra or {})
    if once:
        context["form_token"] = form_token_for(request, once)
    return render_page(request, template, "dialog", context)


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def application_request_info(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    has_certificates = customer_has_certificates(customer_id=application.customer_id)
    initial = {
        "recipient_email": application.customer.email,
        "items": [] if has_certificates else [InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
    }
    form = RequestInfoForm(request.POST or None, initial=initial)
    return _dialog_form_view(
        request,
        application=application,
        form=form,
        template="creditapps/request_info.html",
        on_valid=lambda data: services.application_request_info(
            member=request.member,
            application=application,
            items=data["items"],
            message=data["message"],
            recipient_email=data["recipient_email"],
        ),
        success_message="Request saved. We are emailing the customer a secure link; "
        "the application shows when the email has gone.",
        once=f"request-info:{application.pk}",
    )


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def application_request_approval(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    return _dialog_form_view(
        request,
        application=application,
        form=RequestApprovalForm(request.POST or None),
        template="creditapps/request_approval.html",
        on_valid=lambda data: services.application_request_approval(
            member=request.member, application=application, note=data["note"]
        ),
        success_message=f"{application.reference} sent for approval.",
    )


@member_required(Role.APPROVER)
@require_http_methods(["GET", "POST"])
def application_approve(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    options = approval_options_for(member=request.member, application=application)
    refusal = approval_refusal(member=request.member, application=application)
    if refusal:
        return render_page(
            request,
            "creditapps/approve.html",
            "dialog",
            {"application": application, "customer": application.customer, "refusal": refusal},
            # htmx swaps only 2xx answers into the open dialog.
            status=403 if request.method == "POST" and not request.htmx else 200,
        )
    form = ApproveForm(
        request.POST or None,
        application=application,
        initial={
            "credit_limit": application.requested_credit_limit,
            "terms": application.requested_terms,
        },
        options=options,
        defaults={option.name: option.default(request.member, application) for option in options},
    )
    return _dialog_form_view(
        request,
        application=application,
        form=form,
        template="creditapps/approve.html",
        on_valid=lambda data: services.application_approve(
            member=request.member,
            application=application,
            credit_limit=data["credit_limit"],
            terms=data["terms"],
            comment=data["comment"],
            limit_reason=data["limit_reason"],
            options=form.option_choices(),
        ),
        success_message=f"{application.reference} approved.",
        extra=_approval_briefing(application),
    )


def _approval_briefing(application) -> dict:
    """What the approver reads before deciding: the analyst's note and the certificates."""
    return {
        "approval_request": approval_request_for(application=application),
        "certificate_summary": certificate_summary(
            customer=application.customer,
            certificates=certificates_for_customer(customer_id=application.customer_id),
        ),
    }


@member_required(Role.APPROVER)
@require_http_methods(["GET", "POST"])
def application_decline(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    return _dialog_form_view(
        request,
        application=application,
        form=DeclineForm(request.POST or None),
        template="creditapps/decline.html",
        on_valid=lambda data: services.application_decline(
            member=request.member, application=application, comment=data["comment"]
        ),
        success_message=f"{application.reference} declined.",
    )
