from django.http import FileResponse, Http404

from certificates.models import TaxExemptionCertificate


def pdf_response(certificate: TaxExemptionCertificate, *, as_attachment: bool) -> FileResponse:
    """The stored PDF, unchanged, for the HTML preview and download and the API alike."""
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The certificate file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=f"{certificate.display_name}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # The PDF is shown only inside our own preview dialog.
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response
