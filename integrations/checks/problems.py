"""A problem found before sending: CertCapture's words, ours, and where to fix it."""

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

CUSTOMER_EDIT, CERTIFICATE_EDIT = "creditapps:customer-edit", "certificates:edit"


def field_url(url_name: str, pk: int, field_name: str) -> str:
    """The edit page opening at the field (`?focus=`; the fragment scrolls there)."""
    return f"{reverse(url_name, args=[pk])}?focus={field_name}#id_{field_name}"


def fix_url_for(code: str, *, customer_id: int, certificate_id: int | None) -> str:
    """Where to fix what a rule found; "" for a code no rule has (an Avalara refusal)."""
    from integrations.checks.rules import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code)
    if rule is None:
        return ""
    if rule.code.startswith("customer_") or certificate_id is None:
        return field_url(CUSTOMER_EDIT, customer_id, rule.field)
    return field_url(CERTIFICATE_EDIT, certificate_id, rule.field)


@dataclass(frozen=True)
class Problem:
    code: str  # stable, for the API: e.g. "customer_city_missing"
    field: str  # the Nuvo field that fixes it: e.g. "city", "po_number"
    message: str  # CertCapture's error message, verbatim (with the customer's code filled in)
    meaning: str  # what it means, from the same page
    fix: str  # what to do in Nuvo
    fix_url: str = ""  # the page opening at that field
    certificate_id: int | None = None  # None: a problem of the customer, blocking every certificate
    region: str = ""

    def as_api(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass
class SendCheck:
    """Everything found for one customer and its certificates; holds are not problems."""

    customer_problems: list[Problem] = field(default_factory=list)
    certificate_problems: dict[int, list[Problem]] = field(default_factory=dict)
    # (certificate id, region) -> the date it may be sent from: a future effective date.
    held_until: dict[int, date] = field(default_factory=dict)

    @property
    def problems(self) -> list[Problem]:
        found = list(self.customer_problems)
        for problems in self.certificate_problems.values():
            found.extend(problems)
        return found

    @property
    def blocks_everything(self) -> bool:
        return bool(self.customer_problems)

    def blocks(self, certificate_id: int, region: str) -> list[Problem]:
        return [
            problem
            for problem in self.certificate_problems.get(certificate_id, [])
            if not problem.region or problem.region == region
        ]
