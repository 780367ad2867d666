from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from certificates import selectors
from certificates.downloads import pdf_response, png_response
from certificates.forms import CertificateDetailsForm
from certificates.previews import page_png
from certificates.services import certificate_update
from nuvo.errors import NuvoError
from nuvo.roles import RECORD_EDITORS
from nuvo.web import member_required, render_page, safe_next


@member_required()
def certificate_preview(request, pk):
    """The preview dialog (or page): the certificate's pages as images, with Download."""
    certificate = selectors.certificate_get(member=request.member, pk=pk)
    return render_page(
        request,
        "certificates/preview.html",
        "dialog",
        {"certificate": certificate, "pages": range(1, certificate.page_count + 1)},
    )


@member_required()
def certificate_file(request, pk):
    """Download: the original PDF, byte for byte, as an attachment."""
    return pdf_response(selectors.certificate_get(member=request.member, pk=pk))


@member_required()
def certificate_page_image(request, pk, page):
    """One page of the certificate as an image (the preview), or `?size=thumbnail` for lists."""
    certificate = selectors.certificate_get(member=request.member, pk=pk)
    size = "thumbnail" if request.GET.get("size") == "thumbnail" else "page"
    if not 1 <= page <= certificate.page_count:
        raise Http404("No such page.")

    def read_pdf() -> bytes:
        with certificate.file.open("rb") as handle:
            return handle.read()

    return png_response(
        page_png(sha256=certificate.sha256, read_pdf=read_pdf, page=page, size=size)
    )


@member_required(*RECORD_EDITORS)
@require_http_methods(["GET", "POST"])
def certificate_edit(request, pk):
    """Edit the details printed on the certificate; `?focus=field` opens at that field."""
    certificate = selectors.certificate_get(member=request.member, pk=pk)
    form = CertificateDetailsForm(
        request.POST or None, instance=certificate, focus=request.GET.get("focus", "")
    )
    if request.method == "POST" and form.is_valid():
        try:
            certificate_update(member=request.member, certificate=certificate, **form.cleaned_data)
        except NuvoError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{certificate.display_name} saved.")
            return redirect(safe_next(request, certificate.customer.get_absolute_url()))
    back = safe_next(request, "")
    return render(
        request,
        "certificates/edit.html",
        {
            "form": form,
            "certificate": certificate,
            "next": back,
            "cancel_url": back or certificate.customer.get_absolute_url(),
        },
    )
