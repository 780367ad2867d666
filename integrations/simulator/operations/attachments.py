"""A certificate's document: multipart upload and download (REFERENCE.md §5)."""

from ..bodies import multipart_fields
from ..errors import ApiError, certificates_error, not_found
from ..messages import Response, ok
from ..routing import RouteTable
from .certificates import CERTIFICATE_PATH

routes = RouteTable()
ATTACHMENT_PATH = CERTIFICATE_PATH + "/attachment"
NOT_AN_IMAGE = (  # simulator wording: no stored source shows CertCapture's answer
    '{"success":false,"code":"100110",'
    '"error":{"file":["The uploaded file must be a PDF, JPEG, TIFF or PNG."]}}.'
)
FILE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


@routes.add("POST", ATTACHMENT_PATH, "UploadCertificateImage")
def upload_certificate_image(state, req):
    content_type = req.content_type.strip()
    if content_type and not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(
            400,
            "InvalidRequestContentType",
            "The request content type is invalid.",
            "The request content type must be either 'multipart/form-data' or empty string.",
        )
    data = multipart_fields(req.body, content_type).get("file") if content_type else None
    req.company.certificate(req.args["id"])
    if not data:
        raise ApiError(
            400,
            "InvalidPdfOrImageFile",
            "Pdf or Image files are empty",
            "If you'd like to upload a PDF or image file, please upload a valid one.",
        )
    kind = next((kind for magic, kind in FILE_SIGNATURES if data.startswith(magic)), None)
    if kind is None:
        raise certificates_error(NOT_AN_IMAGE)
    state.ecm.attach_document(req.company, req.args["id"], data, kind)
    return ok("OK")


@routes.add("GET", ATTACHMENT_PATH, "DownloadCertificateImage")
def download_certificate_image(state, req):
    certificate = req.company.certificate(req.args["id"])
    preview = (req.query("$type") or "Pdf").lower()
    if preview not in ("pdf", "jpeg"):
        raise ApiError(
            400,
            "InvalidParameterValue",
            "An invalid value was provided for $type.",
            f"The value '{req.query('$type')}' is not a valid CertificatePreviewType (Pdf, Jpeg).",
            refers_to="$type",
        )
    if certificate.document is None:
        raise not_found("Certificate attachment", "certificate ID", certificate.id)
    # Real ECM renders Jpeg pages and converts images to PDF; the simulator returns what it holds.
    return Response(200, certificate.document, certificate.document_type)
