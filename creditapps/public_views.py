"""Pages customers reach without an account: the credit-application form and Request Info links."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from certificates.forms import public_certificate_formset
from certificates.kept_files import kept_file_owner, pending_uploads_consume
from creditapps import selectors, services
from creditapps.forms import (
    ApplicationTermsForm,
    InfoResponseForm,
    PublicCustomerForm,
    TaxExemptForm,
    TradeReferenceFormSet,
    application_data,
)
from creditapps.tokens import InfoRequestLinkError, info_request_from_token
from nuvo.abuse import Limit, limit_posts, request_size_limit, url_argument
from nuvo.error_summary import error_items
from nuvo.errors import NuvoError
from nuvo.form_blocks import block_to_add, forget_errors, with_another_block
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
    posted = request.method == "POST"
    adding = block_to_add(request)
    data, files = (request.POST, request.FILES) if posted else (None, None)
    if adding in BLOCK_CAPS:
        data = with_another_block(data, prefix=adding, max_num=BLOCK_CAPS[adding]())
    purpose = f"public-apply:{organization.pk}"
    # The token the page carries; the files kept across a failed submit belong to it.
    token = form_token_for(request, purpose)
    owner = kept_file_owner(f"public-apply:{token}")
    customer_form = PublicCustomerForm(data, prefix="customer")
    terms_form = ApplicationTermsForm(data, prefix="terms")
    references = TradeReferenceFormSet(data, prefix="references")
    tax_exempt_form = TaxExemptForm(data)
    certificates = public_certificate_formset(data, files, owner=owner)
    declined = posted and not adding and tax_exempt_form.declines(certificates)
    if declined:  # "No": whatever the certificate blocks held is ignored
        certificates = public_certificate_formset(owner=owner)
    forms = [customer_form, terms_form, references, tax_exempt_form, certificates]
    refusal = ""
    if posted and not adding and _apply_forms_valid(forms, declined=declined):
        done = reverse("creditapps:public-apply-done", kwargs={"form_key": form_key})
        submission = services.PublicApplication(
            customer=customer_form.cleaned_data,
            application=application_data(terms_form, references),
            certificates=[] if declined else certificates.uploads(),
        )
        try:
            with submit_once(request.POST.get(FIELD), purpose=purpose) as once:
                application = services.public_application_submit(
                    organization=organization, submission=submission
                )
                once.result_url = done
                pending_uploads_consume(owner=owner)
        except FormAlreadySent as sent:
            return already_sent_response(request, sent, fallback=done)
        except NuvoError as error:  # FormTokenInvalid too
            refusal = error.message
        else:
            request.session["submitted_application"] = application.reference
            return redirect(done)
    if adding:
        forget_errors(*forms)
    if posted and not declined:
        certificates.keep_files()
    return render(
        request,
        "public/apply.html",
        {
            "organization": organization,
            "customer_form": customer_form,
            "terms_form": terms_form,
            "references": references,
            "tax_exempt_form": tax_exempt_form,
            "certificates": certificates,
            "error_items": error_items(*forms, messages=[refusal]) if posted and not adding else [],
            "form_token": token,
        },
    )


# The formsets whose blocks "Add another" adds to without script, and their caps.
BLOCK_CAPS = {
    "references": lambda: TradeReferenceFormSet.max_num,
    "certificates": lambda: public_certificate_formset().max_num,
}


def _apply_forms_valid(forms, *, declined: bool) -> bool:
    """Every form checked (so the summary lists every error); certificates only after a Yes."""
    customer_form, terms_form, references, tax_exempt_form, certificates = forms
    checked = [customer_form.is_valid(), terms_form.is_valid(), references.is_valid()]
    if not declined:
        checked += [certificates.is_valid(), tax_exempt_form.require_a_certificate(certificates)]
    return all(checked)


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
        return render(
            request,
            "public/link_error.html",
            {"organization": error.organization, "contact": error.contact},
            status=error.status,
        )
    application = info_request.application
    context = {
        "info_request": info_request,
        "organization": application.organization,
        "customer": application.customer,
    }
    if info_request.responded_at is not None:
        return render(request, "public/info_request_done.html", context)

    posted = request.method == "POST"
    adding = block_to_add(request) == "certificates"
    data, files = (request.POST, request.FILES) if posted else (None, None)
    if adding:
        data = with_another_block(data, prefix="certificates", max_num=BLOCK_CAPS["certificates"]())
    owner = kept_file_owner(f"info-request:{token}")
    response_form = InfoResponseForm(data)
    certificates = public_certificate_formset(data, files, owner=owner)
    if posted and not adding and all([response_form.is_valid(), certificates.is_valid()]):
        try:
            services.info_request_respond(
                info_request=info_request,
                message=response_form.cleaned_data["message"],
                certificates=certificates.uploads(),
            )
        except NuvoError as refusal:
            response_form.add_error(None, refusal.message)
        else:
            pending_uploads_consume(owner=owner)
            return redirect("creditapps:info-request-respond", token=token)
    if adding:
        forget_errors(certificates, response_form)
    if posted:
        certificates.keep_files()
    return render(
        request,
        "public/info_request.html",
        {
            **context,
            "response_form": response_form,
            "certificates": certificates,
            "error_items": error_items(certificates, response_form)
            if posted and not adding
            else [],
        },
    )
