"""Avalara's own refusals, read as field-level problems and learned for the next send.

CertCapture's answer comes inside a CertificatesError as JSON in details[].description, with
AvaTax's trailing "." (integrations/simulator/README.md): `{"error": {"<field>": ["..."]}}`.
"""

import json
import re

from integrations.avalara import AvalaraError
from integrations.checks.problems import Problem, fix_url_for
from integrations.checks.rules import RULES, Rule
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


def _rule_for(message: str) -> Rule | None:
    return next((rule for rule in RULES if rule.matches(message)), None)


def rule_code_for(error: AvalaraError) -> str:
    """The pre-send rule Avalara's refusal is (its fix link), else the guide's error code."""
    for _field, message in problems_from(error):
        rule = _rule_for(message)
        if rule is not None:
            return rule.code
    return str(error.code)


def rejection_problems(error: AvalaraError, *, certificate, region: str = "") -> list[Problem]:
    """What Avalara refused, in Avalara's words, with the rule's meaning and fix where one
    matches (for History)."""
    found = []
    for field_name, message in problems_from(error):
        rule = _rule_for(message)
        found.append(
            Problem(
                code=rule.code if rule else str(error.code),
                field=rule.field if rule else field_name,
                message=message,
                meaning=rule.meaning if rule else "",
                fix=rule.fix if rule else "",
                fix_url=fix_url_for(
                    rule.code, customer_id=certificate.customer_id, certificate_id=certificate.pk
                )
                if rule
                else "",
                certificate_id=certificate.pk,
                region=region,
            )
        )
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


def describe_refusal(error: AvalaraError) -> str:
    """What Avalara said, details included: the named problems, else its message and details."""
    named = problems_from(error)
    if named:
        return "; ".join(f"{message} ({field})" for field, message in named)[:2000]
    said = error.avalara_message or error.reason or ""
    details = "; ".join(
        detail.description or detail.message
        for detail in error.details
        if detail.description or detail.message
    )
    return " ".join(part for part in (said, details) if part)[:2000]
