import hashlib
import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction

from certificates.models import TaxExemptionCertificate
from certificates.pdf import PdfValidationError, ValidatedPdf, validate_pdf
from certificates.reasons import ExemptionReason
from nuvo.errors import NuvoError
from nuvo.regions import region_name

logger = logging.getLogger(__name__)

DUPLICATE_FILE_MESSAGE = "This file is already on file for this customer."
# Past this many regions a name listing them all stops being readable.
NAMED_REGIONS_MAX = 3


class DuplicateCertificate(NuvoError):
    code = "duplicate_file"


class InvalidCertificateDetails(NuvoError):
    code = "invalid_certificate"


def certificate_details_errors(
    *,
    effective_date: date | None,
    expiration_date: date | None,
    is_single_use: bool,
    po_number: str,
) -> dict[str, str]:
    """What is wrong with a certificate's fields, by field name (empty when nothing is)."""
    errors = {}
    if effective_date and expiration_date and expiration_date < effective_date:
        errors["expiration_date"] = "The expiration date is before the effective date."
    if is_single_use and not po_number.strip():
        errors["po_number"] = "A single-use certificate needs the PO number it covers."
    return errors


def certificate_default_name(*, exempt_regions: list[str], exemption_reason: str) -> str:
    """The name a certificate gets when the uploader gives none: "Texas resale certificate",
    "Ohio, Texas resale certificate", "Multi-state resale certificate" past three regions."""
    codes = sorted(set(exempt_regions))
    if len(codes) > NAMED_REGIONS_MAX:
        regions = "Multi-state"
    else:
        regions = ", ".join(region_name(code) for code in codes)
    try:
        label = ExemptionReason(exemption_reason).label
    except ValueError:
        label = exemption_reason or "exemption"
    # "G · Resale" -> "resale"; proper nouns later in a label ("(Canada)") keep their capital.
    reason = label.split(" · ", 1)[-1]
    reason = reason[:1].lower() + reason[1:]
    name = " ".join(part for part in (regions, reason, "certificate") if part)
    return (name[:1].upper() + name[1:])[:150]


def certificate_name(*, name: str, exempt_regions: list[str], exemption_reason: str) -> str:
    """The uploader's name for a certificate, or the default one when they left it blank."""
    name = " ".join(name.split())
    return name or certificate_default_name(
        exempt_regions=exempt_regions, exemption_reason=exemption_reason
    )


def discard_stored_files(certificates: list[TaxExemptionCertificate]) -> None:
    """After a rollback the rows are gone; their files must go too."""
    for certificate in certificates:
        certificate.file.delete(save=False)


@dataclass(frozen=True)
class CertificateUpload:
    """A certificate PDF and the fields printed on it, as entered by staff or the customer."""

    content: bytes
    filename: str
    exemption_reason: str
    effective_date: date
    exempt_regions: list[str] = field(default_factory=list)
    expiration_date: date | None = None
    is_single_use: bool = False
    po_number: str = ""
    tax_id: str = ""
    name: str = ""
    # Set by forms that already ran the PDF checks on these bytes, so they run once per upload.
    checked: ValidatedPdf | None = field(default=None, repr=False, compare=False)

    def validated(self) -> ValidatedPdf:
        if self.checked and self.checked.sha256 == hashlib.sha256(self.content).hexdigest():
            return self.checked
        return validate_pdf(self.content)


def shown_filename(name: str) -> str:
    """The uploader's file name as it is shown and offered back: one line of printable text
    (control characters and line breaks would break headers and rows), at most 255 long."""
    printable = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in name)
    return " ".join(printable.split())[:255] or "certificate.pdf"


def certificate_create(
    *,
    customer: models.Model,
    upload: CertificateUpload,
    source: str,
    uploaded_by=None,
) -> TaxExemptionCertificate:
    """Store a checked certificate PDF for a customer, unchanged; the same file twice is refused.

    The workflow that files it (public form, Request Info, staff upload) puts it on the timeline.
    """
    errors = certificate_details_errors(
        effective_date=upload.effective_date,
        expiration_date=upload.expiration_date,
        is_single_use=upload.is_single_use,
        po_number=upload.po_number,
    )
    if errors:
        raise InvalidCertificateDetails(" ".join(errors.values()))
    validated = upload.validated()
    if TaxExemptionCertificate.objects.filter(customer=customer, sha256=validated.sha256).exists():
        raise DuplicateCertificate(DUPLICATE_FILE_MESSAGE)

    certificate = TaxExemptionCertificate(
        organization_id=customer.organization_id,
        customer=customer,
        name=certificate_name(
            name=upload.name,
            exempt_regions=upload.exempt_regions,
            exemption_reason=upload.exemption_reason,
        ),
        original_filename=shown_filename(upload.filename),
        file_size=validated.size,
        page_count=validated.page_count,
        sha256=validated.sha256,
        has_scripts=validated.has_scripts,
        exempt_regions=sorted(set(upload.exempt_regions)),
        exemption_reason=upload.exemption_reason,
        effective_date=upload.effective_date,
        expiration_date=upload.expiration_date,
        is_single_use=upload.is_single_use,
        po_number=upload.po_number.strip(),
        tax_id=upload.tax_id.strip(),
        source=source,
        uploaded_by=uploaded_by,
    )
    certificate.file.save("certificate.pdf", ContentFile(upload.content), save=False)
    try:
        # A savepoint: inside a caller's transaction the refused insert must not break it.
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        # Two uploads of the same file raced past the check above; the constraint decided.
        certificate.file.delete(save=False)
        raise DuplicateCertificate(DUPLICATE_FILE_MESSAGE) from exc
    logger.info(
        "certificate stored id=%s customer=%s source=%s", certificate.pk, customer.pk, source
    )
    return certificate


DETAIL_FIELDS = (
    "name",
    "exempt_regions",
    "exemption_reason",
    "effective_date",
    "expiration_date",
    "is_single_use",
    "po_number",
    "tax_id",
)


def certificate_update(*, member, certificate: TaxExemptionCertificate, **fields):
    """Correct the details printed on a certificate; its file never changes."""
    from nuvo.roles import RECORD_EDITORS

    member.require_any(*RECORD_EDITORS)
    if certificate.organization_id != member.organization.pk:
        raise ValueError("certificate is outside the member's organization")
    errors = certificate_details_errors(
        effective_date=fields.get("effective_date", certificate.effective_date),
        expiration_date=fields.get("expiration_date", certificate.expiration_date),
        is_single_use=fields.get("is_single_use", certificate.is_single_use),
        po_number=fields.get("po_number", certificate.po_number),
    )
    if errors:
        raise InvalidCertificateDetails(" ".join(errors.values()))
    changed = [name for name in DETAIL_FIELDS if name in fields]
    # A name left as the default follows the regions and reason it was made from.
    old_default = certificate_default_name(
        exempt_regions=certificate.exempt_regions, exemption_reason=certificate.exemption_reason
    )
    given_name = " ".join(fields.get("name", certificate.name).split())
    for name in changed:
        value = fields[name]
        if name == "exempt_regions":
            value = sorted(set(value))
        elif isinstance(value, str):
            value = value.strip()
        setattr(certificate, name, value)
    certificate.name = certificate_name(
        name="" if given_name == old_default else given_name,
        exempt_regions=certificate.exempt_regions,
        exemption_reason=certificate.exemption_reason,
    )
    if "name" not in changed:
        changed.append("name")
    certificate.save(update_fields=changed)
    return certificate


def certificate_recheck(*, certificate: TaxExemptionCertificate) -> str | None:
    """Run today's intake checks on a stored file: set `has_scripts`, and give the refusal code
    the file would get now (None if it passes). The file and the row are otherwise untouched:
    a stored certificate is evidence, and staff decide what to do with one that fails."""
    with certificate.file.open("rb") as handle:
        content = handle.read()
    try:
        validated = validate_pdf(content, max_bytes=len(content))
    except PdfValidationError as refusal:
        return refusal.code
    if validated.has_scripts != certificate.has_scripts:
        TaxExemptionCertificate.objects.filter(pk=certificate.pk).update(
            has_scripts=validated.has_scripts
        )
        certificate.has_scripts = validated.has_scripts
    return None
