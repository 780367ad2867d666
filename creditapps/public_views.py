"""Pages customers reach without an account: the credit-application form and Request Info links."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from certificates.forms import public_certificate_formset
from creditapps import selectors, services
from creditapps.forms import (
    ApplicationTermsForm,
    InfoResponseForm,
    PublicCustomerForm,
    TradeReferenceFormSet,
    application_data,
)
from creditapps.tokens import InfoRequestLinkError, info_request_from_token
from nuvo.errors import NuvoError


@require_http_methods(["GET", "POST"])
def public_apply(request, form_key):
    organization = selectors.organization_for_public_form(form_key=form_key)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    customer_form = PublicCustomerForm(data, prefix="customer")
    terms_form = ApplicationTermsForm(data, prefix="terms")
    references = TradeReferenceFormSet(data, prefix="references")
    certificates = public_certificate_formset(data, files)
    forms = [customer_form, terms_form, references, certificates]
    error = ""
    if request.method == "POST" and all(form.is_valid() for form in forms):
        submission = services.PublicApplication(
            customer=customer_form.cleaned_data,
            application=application_data(terms_form, references),
            certificates=certificates.uploads(),
        )
        try:
            application = services.public_application_submit(
                organization=organization, submission=submission
            )
        except NuvoError as refusal:
            error = refusal.message
        else:
            request.session["submitted_application"] = application.reference
            return redirect("creditapps:public-apply-done", form_key=form_key)
    return render(
        request,
        "public/apply.html",
        {
            "organization": organization,
            "customer_form": customer_form,
            "terms_form": terms_form,
            "references": references,
            "certificates": certificates,
            "error": error,
        },
    )


def public_apply_done(request, form_key):
    organization = selectors.organization_for_public_form(form_key=form_key)
    return render(
        request,
        "public/apply_done.html",
        {
            "organization": organization,
            "reference": request.session.get("submitted_application", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def info_request_respond(request, token):
    try:
        info_request = info_request_from_token(token)
    except InfoRequestLinkError as error:
        return render(request, "public/link_error.html", {"message": str(error)}, status=404)
    application = info_request.application
    context = {
        "info_request": info_request,
        "organization": application.organization,
        "customer": application.customer,
    }
    if info_request.responded_at is not None:
        return render(request, "public/info_request_done.html", context)

    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    response_form = InfoResponseForm(data)
    certificates = public_certificate_formset(data, files)
    if request.method == "POST" and response_form.is_valid() and certificates.is_valid():
        try:
            services.info_request_respond(
                info_request=info_request,
                message=response_form.cleaned_data["message"],
                certificates=certificates.uploads(),
            )
        except NuvoError as refusal:
            response_form.add_error(None, refusal.message)
        else:
            return redirect("creditapps:info-request-respond", token=token)
    return render(
        request,
        "public/info_request.html",
        {**context, "response_form": response_form, "certificates": certificates},
    )
