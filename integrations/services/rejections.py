"""Avalara's own refusals, read as field-level problems and learned for the next send.

CertCapture's answer comes inside a CertificatesError as JSON in details[].description, with
AvaTax's trailing "." (integrations/simulator/README.md): `{"error": {"<field>": ["..."]}}`.
"""

import json
import re

from integrations.avalara import AvalaraError
from integrations.models import CertificateEvent, ReasonRegionRule
from integrations.services import history

# CertCapture's field names, as Nuvo's certificate fields.
FIELDS = {
    "pdf": "file",
    "exposure_zone": "exempt_regions",
    "exempt_reason": "exemption_reason",
    "exemption_reason": "exemption_reason",
    "document_ref_no": "po_number",
    "id_no": "tax_id",
    "signed_date": "effective_date",
    "expiration_date": "expiration_date",
}
REGION_REJECTION = re.compile(
    r"Reason Code (\w+) isn't exempt in region\(s\): ([A-Z]{2}(?:, ?[A-Z]{2})*)"
)


def problems_from(error: AvalaraError) -> list[tuple[str, str]]:
    """(Nuvo field, CertCapture's message) for each problem Avalara named."""
    found = []
    texts = [error.avalara_message or ""]
    for detail in error.details:
        texts.append(detail.message)
        description = detail.description.strip()
        if description.endswith("}."):
            description = description[:-1]
        try:
            body = json.loads(description)
        except ValueError:
            texts.append(detail.description)
            continue
        errors = body.get("error") if isinstance(body, dict) else None
        if isinstance(errors, dict):
            for name, messages in errors.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    found.append((FIELDS.get(str(name), str(name)), str(message)))
    for text in texts:
        if REGION_REJECTION.search(text or ""):
            found.append(("exemption_reason", REGION_REJECTION.search(text).group(0) + "."))
    return found


def learn_from(error: AvalaraError, *, certificate) -> list[str]:
    """Remember "reason not exempt in region" refusals; returns the regions learned."""
    learned = []
    for _field, message in problems_from(error):
        match = REGION_REJECTION.search(message)
        if not match:
            continue
        for region in (part.strip() for part in match.group(2).split(",")):
            ReasonRegionRule.objects.update_or_create(
                organization_id=certificate.organization_id,
                exemption_reason=certificate.exemption_reason,
                region=region,
                defaults={
                    "exempt": False,
                    "source": ReasonRegionRule.Source.AVALARA,
                    "note": message[:500],
                },
            )
            learned.append(region)
    if learned:
        history.record(
            certificate,
            CertificateEvent.Kind.LEARNED,
            f"Avalara refused {certificate.get_exemption_reason_display()} in "
            f"{', '.join(learned)}; later sends check this before calling Avalara.",
        )
    return learned
