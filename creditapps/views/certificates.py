"""Certificates filed from the staff pages: upload, renewal requests, Settings > Certificates."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from certificates.forms import CertificateForm
from certificates.kept_files import kept_file_owner, pending_uploads_consume
from certificates.selectors import (
    certificate_get,
)
from creditapps import selectors, services
from creditapps.forms import (
    CertificateSettingsForm,
)
from nuvo.errors import NuvoError
from nuvo.form_tokens import (
    FIELD,
    FormAlreadySent,
    FormTokenInvalid,
    already_sent_response,
    form_token_for,
    submit_once,
)
from nuvo.formatting import sentence
from nuvo.roles import Role
from nuvo.web import member_required, redirect_after_action, render_page


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def certificate_upload(request, pk):
    """The Upload certificate dialog: a certificate for the customer, noted on an application."""
    customer = selectors.customer_get(member=request.member, pk=pk)
    application = selectors.application_for_customer_or_none(
        customer=customer, pk=request.GET.get("application") or request.POST.get("application")
    )
    purpose = f"certificate-upload:{customer.pk}"
    # The token the dialog carries; a file kept across a failed upload belongs to it.
    token = form_token_for(request, purpose)
    owner = kept_file_owner(f"certificate-upload:{token}")
    form = CertificateForm(request.POST or None, request.FILES or None, owner=owner)
    back = application.get_absolute_url() if application else customer.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request.POST.get(FIELD), purpose=purpose) as submission:
                certificate = services.certificate_upload_by_staff(
                    member=request.member,
                    customer=customer,
                    upload=form.to_upload(),
                    application=application,
                )
                submission.result_url = back
                pending_uploads_consume(owner=owner)
        except FormAlreadySent as sent:
            return already_sent_response(request, sent, fallback=back)
        except FormTokenInvalid as invalid:
            form.add_error(None, invalid.message)
        except NuvoError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request, f"{certificate.display_name} added to {sentence(customer.legal_name)}"
            )
            return redirect_after_action(request, back)
    if request.method == "POST":
        form.keep_file_alone()
    return render_page(
        request,
        "creditapps/certificate_upload.html",
        "dialog",
        {
            "customer": customer,
            "application": application,
            "form": form,
            "form_token": token,
        },
    )


@member_required(Role.CREDIT_ANALYST)
@require_POST
def certificate_request_renewal(request, pk):
    """One click: ask the customer for a renewed certificate, the expiring one named."""
    certificate = certificate_get(member=request.member, pk=pk)
    try:
        info_request = services.certificate_renewal_request(
            member=request.member, certificate=certificate
        )
    except NuvoError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Renewal of {certificate.display_name} requested from {info_request.recipient_email}.",
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = certificate.customer.get_absolute_url()
    return redirect_after_action(request, back)


@member_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def certificate_settings(request):
    """Settings > Certificates: the expiry window, and automatic renewal requests."""
    form = CertificateSettingsForm(request.POST or None, instance=request.member.organization)
    if request.method == "POST" and form.is_valid():
        services.organization_certificate_settings_update(
            member=request.member, **form.cleaned_data
        )
        messages.success(request, "Certificate settings saved.")
        return redirect("creditapps:certificate-settings")
    return render(request, "creditapps/certificate_settings.html", {"form": form})
