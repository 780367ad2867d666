from django.views.decorators.clickjacking import xframe_options_sameorigin

from certificates import selectors
from certificates.downloads import pdf_response
from nuvo.web import member_required, render_page


@member_required()
def certificate_preview(request, pk):
    """The preview dialog (or page): the PDF framed in Nuvo, with Download."""
    certificate = selectors.certificate_get(member=request.member, pk=pk)
    return render_page(
        request,
        "certificates/preview.html",
        "dialog",
        {"certificate": certificate},
    )


@xframe_options_sameorigin
@member_required()
def certificate_file(request, pk):
    certificate = selectors.certificate_get(member=request.member, pk=pk)
    as_attachment = request.GET.get("download") == "1"
    return pdf_response(certificate, as_attachment=as_attachment)
