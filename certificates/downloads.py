from django.http import FileResponse, Http404, HttpResponse

from certificates.models import TaxExemptionCertificate

# A stored PDF may carry scripts (a form's) or be crafted: a browser must save it, never render
# it as a page. `sandbox` stops script and same-origin access even if one renders it anyway.
FILE_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


def pdf_response(certificate: TaxExemptionCertificate) -> FileResponse:
    """The stored PDF, unchanged, as a download (never shown inline: previews are images)."""
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The certificate file is missing from storage.") from exc
    return pdf_attachment(handle, filename=f"{certificate.display_name}.pdf")


def pdf_attachment(handle, *, filename: str) -> FileResponse:
    """Any stored PDF (ours or Avalara's copy) as an attachment, with the headers above."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    for header, value in FILE_SECURITY_HEADERS.items():
        response[header] = value
    return response


def png_response(png: bytes) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
