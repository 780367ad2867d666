"""Running the rules over a customer and its certificates (no call to Avalara)."""

from django.utils import timezone

from integrations.checks import rules
from integrations.checks.problems import (
    CERTIFICATE_EDIT,
    CUSTOMER_EDIT,
    Problem,
    SendCheck,
    field_url,
)
from integrations.models import ReasonRegionRule
from integrations.services.definitions import account_reason_for, country_of

MAX_ADDRESS_LENGTH = 50


def _problem(rule: rules.Rule, *, url_name: str, pk: int, certificate_id=None, region="", **words):
    return Problem(
        code=rule.code,
        field=rule.field,
        message=rule.message.format(**words),
        meaning=rule.meaning,
        fix=rule.fix,
        fix_url=field_url(url_name, pk, rule.field),
        certificate_id=certificate_id,
        region=region,
    )


def check_customer(customer, *, customer_code: str = "") -> list[Problem]:
    """What CertCapture refuses in the customer linked to a certificate."""
    code = customer_code or f"customer {customer.pk}"
    found = []

    def add(rule):
        found.append(_problem(rule, url_name=CUSTOMER_EDIT, pk=customer.pk, code=code))

    if not customer.legal_name.strip():
        add(rules.CUSTOMER_NAME)
    if not customer.address_line1.strip():
        add(rules.ADDRESS_MISSING)
    elif len(customer.address_line1) > MAX_ADDRESS_LENGTH:
        add(rules.ADDRESS_TOO_LONG)
    if len(customer.address_line2) > MAX_ADDRESS_LENGTH:
        add(rules.ADDRESS_2_TOO_LONG)
    if not customer.city.strip():
        add(rules.CITY_MISSING)
    if not customer.region.strip():
        add(rules.REGION_MISSING)
    if not customer.postal_code.strip():
        add(rules.ZIP_MISSING)
    if not customer.country.strip():
        add(rules.COUNTRY_MISSING)
    return found


def _not_exempt_regions(certificate, known: dict[tuple[str, str], bool]) -> list[str]:
    letter = rules.REASON_CODE_LETTERS.get(certificate.exemption_reason)
    scope = rules.COUNTRY_SCOPE.get(letter or "")
    regions = []
    for region in certificate.exempt_regions:
        verdict = known.get((certificate.exemption_reason, region))
        if verdict is False or (scope is not None and country_of(region) != scope):
            regions.append(region)
    return regions


def check_certificate(certificate, *, definitions=None, mappings=None, known=None) -> list[Problem]:
    """What CertCapture refuses in one certificate. `definitions` (the account's reasons) and
    `known` (the organization's reason-by-region cells) are used when given."""
    found = []

    def add(rule, region="", **words):
        found.append(
            _problem(
                rule,
                url_name=CERTIFICATE_EDIT,
                pk=certificate.pk,
                certificate_id=certificate.pk,
                region=region,
                **words,
            )
        )

    if certificate.is_single_use and not certificate.po_number.strip():
        add(rules.PO_NUMBER_MISSING)
    if not certificate.tax_id.strip():
        for region in certificate.exempt_regions:
            if region in rules.SST_FULL_MEMBERS:
                add(rules.TAX_ID_MISSING, region=region)
    if definitions is not None and (
        account_reason_for(definitions, certificate.exemption_reason, mappings or {}) is None
    ):
        add(rules.REASON_NOT_IN_ACCOUNT)
    refused = _not_exempt_regions(certificate, known or {})
    if refused:
        letter = rules.REASON_CODE_LETTERS.get(certificate.exemption_reason, "?")
        # One reason must hold in every region of a multi-state certificate (the seed).
        add(rules.REASON_NOT_EXEMPT_IN_REGION, letter=letter, regions=", ".join(refused))
    return found


def known_cells(organization) -> dict[tuple[str, str], bool]:
    return {
        (rule.exemption_reason, rule.region): rule.exempt
        for rule in ReasonRegionRule.objects.filter(organization=organization)
    }


def check_send(*, customer, certificates, customer_code: str, definitions, mappings) -> SendCheck:
    """Every problem at once, and the certificates held for a future effective date."""
    result = SendCheck(customer_problems=check_customer(customer, customer_code=customer_code))
    known = known_cells(customer.organization)
    today = timezone.localdate()
    for certificate in certificates:
        problems = check_certificate(
            certificate, definitions=definitions, mappings=mappings, known=known
        )
        if problems:
            result.certificate_problems[certificate.pk] = problems
        if certificate.effective_date > today:
            result.held_until[certificate.pk] = certificate.effective_date
    return result
