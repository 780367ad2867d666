"""Pages customers reach without an account: the credit-application form and Request Info links."""

from django.shortcuts import redirect, render
from django.urls import reverse
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
from nuvo.abuse import Limit, limit_posts, request_size_limit, url_argument
from nuvo.errors import NuvoError
from nuvo.form_tokens import (
    FIELD,
    FormAlreadySent,
    already_sent_response,
    form_token_for,
    submit_once,
)

# Posts to every anonymous page share one count per IP; each public form has its own as well.
PER_IP = Limit("public-post", "ip", "NUVO_PUBLIC_RATE_PER_IP")
PER_FORM = Limit("public-apply-form", url_argument("form_key"), "NUVO_PUBLIC_RATE_PER_FORM")


@request_size_limit("NUVO_PUBLIC_MAX_REQUEST_BYTES")
@require_http_methods(["GET", "POST"])
@limit_posts(PER_IP, PER_FORM)
def public_apply(request, form_key):
    organization = selectors.organization_for_public_form(form_key=form_key)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    customer_form = PublicCustomerForm(data, prefix="customer")
    terms_form = ApplicationTermsForm(data, prefix="terms")
    references = TradeReferenceFormSet(data, prefix="references")
    certificates = public_certificate_formset(data, files)
    forms = [customer_form, terms_form, references, certificates]
    error = ""
    purpose = f"public-apply:{organization.pk}"
    done = reverse("creditapps:public-apply-done", kwargs={"form_key": form_key})
    if request.method == "POST" and all(form.is_valid() for form in forms):
        submission = services.PublicApplication(
            customer=customer_form.cleaned_data,
            application=application_data(terms_form, references),
            certificates=certificates.uploads(),
        )
        try:
            with submit_once(request.POST.get(FIELD), purpose=purpose) as once:
                application = services.public_application_submit(
                    organization=organization, submission=submission
                )
                once.result_url = done
        except FormAlreadySent as sent:
            return already_sent_response(request, sent, fallback=done)
        except NuvoError as refusal:  # FormTokenInvalid too
            error = refusal.message
        else:
            request.session["submitted_application"] = application.reference
            return redirect(done)
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
            "form_token": form_token_for(request, purpose),
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


@request_size_limit("NUVO_PUBLIC_MAX_REQUEST_BYTES")
@require_http_methods(["GET", "POST"])
@limit_posts(PER_IP)
def info_request_respond(request, token):
    try:
        info_request = info_request_from_token(token)
    except InfoRequestLinkError as error:
        return render(request, "public/link_error.html", status=error.status)
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
