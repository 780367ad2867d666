"""Refresh status, and certificates only Avalara has: their PDF fetched when first opened."""

import hashlib

from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from certificates.downloads import pdf_attachment, png_response
from certificates.previews import page_png
from creditapps import selectors as creditapps_selectors
from integrations.avalara import AvalaraError
from integrations.models import AvalaraOnlyCertificate
from integrations.services.connection import avalara_client_get
from integrations.services.sync import customer_status_refresh
from nuvo.web import member_required, redirect_after_action, render_page


@member_required()
@require_POST
def refresh_status(request, pk):
    """Refresh status: read this customer's certificates from Avalara now."""
    customer = creditapps_selectors.customer_get(member=request.member, pk=pk)
    application = creditapps_selectors.application_for_customer_or_none(
        customer=customer, pk=request.POST.get("application")
    )
    try:
        client, _connection = avalara_client_get(organization=request.member.organization)
        with client:
            refreshed = customer_status_refresh(customer=customer, client=client)
    except AvalaraError as error:
        messages.error(request, f"{error.code}: {error.summary} Resolution: {error.resolution}")
    else:
        messages.success(request, f"Status read from Avalara for {refreshed} certificate(s).")
    return redirect_after_action(request, (application or customer).get_absolute_url())


def _only_certificate(request, pk) -> AvalaraOnlyCertificate:
    return get_object_or_404(
        AvalaraOnlyCertificate.objects.select_related("customer"),
        organization=request.member.organization,
        pk=pk,
    )


def _pdf_of(request, only: AvalaraOnlyCertificate) -> bytes:
    """Our copy, or Avalara's (DownloadCertificateImage), kept once fetched."""
    if not only.file:
        try:
            client, _connection = avalara_client_get(organization=request.member.organization)
            with client:
                pdf = client.download_certificate_attachment(only.company_id, only.avalara_id)
        except AvalaraError as error:
            raise Http404(f"{error.code}: {error.summary}") from error
        only.file.save(f"{only.company_id}-{only.avalara_id}.pdf", ContentFile(pdf), save=True)
    with only.file.open("rb") as handle:
        return handle.read()


@member_required()
def only_certificate_preview(request, pk):
    only = _only_certificate(request, pk)
    error = None
    try:
        _pdf_of(request, only)
    except Http404 as refusal:
        error = str(refusal)
    return render_page(
        request,
        "integrations/avalara_only_preview.html",
        "dialog",
        {
            "only": only,
            "error": error,
            "pages": range(1, (only.page_count or 1) + 1),
        },
    )


@member_required()
def only_certificate_page(request, pk, page):
    only = _only_certificate(request, pk)
    pdf = _pdf_of(request, only)
    try:
        png = page_png(
            sha256=hashlib.sha256(pdf).hexdigest(), read_pdf=lambda: pdf, page=page, size="page"
        )
    except LookupError as exc:
        raise Http404("No such page.") from exc
    return png_response(png)


@member_required()
def only_certificate_file(request, pk):
    only = _only_certificate(request, pk)
    _pdf_of(request, only)
    return pdf_attachment(
        only.file.open("rb"), filename=f"{only.display_name.removesuffix('.pdf')}.pdf"
    )
