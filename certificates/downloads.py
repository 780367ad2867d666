from django.http import FileResponse, Http404, HttpResponse

from certificates.models import TaxExemptionCertificate


def pdf_response(certificate: TaxExemptionCertificate) -> FileResponse:
    """The stored PDF, unchanged, as a download (never shown inline: previews are images)."""
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The certificate file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{certificate.display_name}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def png_response(png: bytes) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
