from django.http import Http404

from certificates import selectors
from certificates.downloads import pdf_response, png_response
from certificates.previews import page_png
from nuvo.web import member_required, render_page


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
