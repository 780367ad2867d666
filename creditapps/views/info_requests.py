"""The waiting Request Info card's actions: email the link again, or resume without an answer."""

from django.contrib import messages
from django.views.decorators.http import require_http_methods, require_POST

from creditapps import selectors, services
from nuvo.errors import NuvoError
from nuvo.form_tokens import FIELD, FormAlreadySent, already_sent_response, submit_once
from nuvo.roles import Role
from nuvo.web import member_required, redirect_after_action, render_page


def resend_purpose(info_request) -> str:
    return f"info-request-resend:{info_request.pk}"


@member_required(Role.CREDIT_ANALYST)
@require_POST
def info_request_resend(request, pk):
    info_request = selectors.info_request_get(member=request.member, pk=pk)
    back = info_request.application.get_absolute_url()
    try:
        with submit_once(request.POST.get(FIELD), purpose=resend_purpose(info_request)) as sent:
            services.info_request_resend(member=request.member, info_request=info_request)
            sent.result_url = back
    except FormAlreadySent as already:
        return already_sent_response(request, already, fallback=back)
    except NuvoError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Sending the link to {info_request.recipient_email} again.")
    return redirect_after_action(request, back)


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def application_resume_review(request, pk):
    """GET asks first (the customer's link stops working); POST resumes."""
    application = selectors.application_get(member=request.member, pk=pk)
    back = application.get_absolute_url()
    if request.method == "POST":
        try:
            services.application_resume_review(member=request.member, application=application)
        except NuvoError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Review resumed on {application.reference}.")
        return redirect_after_action(request, back)
    info_request = selectors.open_info_request(application=application)
    if not application.is_waiting_for_customer or info_request is None:
        messages.info(request, f"{application.reference} is not waiting for the customer.")
        return redirect_after_action(request, back)
    return render_page(
        request,
        "creditapps/resume_review.html",
        "dialog",
        {"application": application, "customer": application.customer, "info": info_request},
    )
