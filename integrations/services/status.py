"""From Avalara's stored status to the badge Nuvo shows: the table, in the order it is read.

The badge mirrors what Avalara holds for the certificate (`valid`, `status`, `ecmStatus` when
present, `expirationDate`, the certificate's `customers`), never a guess from Nuvo's own data
(REFERENCE.md §5: "compute expired as expirationDate < today when ecmStatus is absent").
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from integrations.avalara import Certificate
from integrations.models import Badge


@dataclass(frozen=True)
class Observed:
    """What is known of one Avalara certificate, for the table below."""

    sent: bool  # Nuvo has an Avalara id for it
    found: bool | None  # None: not read from Avalara yet
    valid: bool | None = None
    ecm_status: str = ""
    status: str = ""
    expiration_date: date | None = None
    linked: bool = True  # the customer's code is among the certificate's customers
    today: date | None = None


@dataclass(frozen=True)
class Rule:
    when: str
    applies: Callable[[Observed], bool]
    badge: str
    reason: str


def _expired_by_date(seen: Observed) -> bool:
    return (
        not seen.ecm_status
        and seen.expiration_date is not None
        and seen.expiration_date < seen.today
    )


# Read top to bottom; the first rule that applies decides. Tested row by row.
STATUS_TABLE: tuple[Rule, ...] = (
    Rule("never sent", lambda s: not s.sent, Badge.MISSING, "Not sent to Avalara yet"),
    Rule("not synced yet", lambda s: s.found is None, Badge.MISSING, "Not synced from Avalara yet"),
    Rule("not found in Avalara", lambda s: s.found is False, Badge.MISSING, "Not found in Avalara"),
    Rule(
        "not linked to the customer's code any more",
        lambda s: not s.linked,
        Badge.MISSING,
        "No longer linked to this customer's Avalara ID",
    ),
    Rule("ecmStatus Expired", lambda s: s.ecm_status == "Expired", Badge.INVALID, "Expired"),
    Rule("expired by date, no ecmStatus", _expired_by_date, Badge.INVALID, "Expired"),
    Rule("not valid", lambda s: s.valid is False, Badge.INVALID, "Not valid"),
    Rule("ecmStatus Invalid", lambda s: s.ecm_status == "Invalid", Badge.INVALID, "Not valid"),
    Rule(
        "ecmStatus PendingFuture",
        lambda s: s.ecm_status == "PendingFuture",
        Badge.INVALID,
        "Not valid yet: its effective date is in the future",
    ),
    Rule(
        "valid, pending review",
        lambda s: s.valid is True and s.status.upper() == "PENDING",
        Badge.VALID,
        "Valid, pending review at Avalara",
    ),
    Rule("valid", lambda s: s.valid is True, Badge.VALID, "Current and valid"),
)
UNDETERMINED = Rule("anything else", lambda s: True, Badge.MISSING, "Avalara's status is unknown")


def badge_for(observed: Observed) -> tuple[str, str]:
    rule = next((rule for rule in STATUS_TABLE if rule.applies(observed)), UNDETERMINED)
    return rule.badge, rule.reason


def status_fields(
    certificate: Certificate,
    *,
    customer_code: str,
    today: date,
    now,
    customers_included: bool = True,
) -> dict:
    """The row's Avalara fields and badge from a CertificateModel as Avalara sent it.

    `customers_included`: the answer carried the certificate's customers (`$include=customers`);
    without them, whether it is still linked is not known and not held against it.
    """
    linked = customer_code in certificate.customer_codes if customers_included else True
    badge, reason = badge_for(
        Observed(
            sent=True,
            found=True,
            valid=certificate.valid,
            ecm_status=certificate.ecm_status,
            status=certificate.status,
            expiration_date=certificate.expiration_date,
            linked=linked,
            today=today,
        )
    )
    return {
        "found_in_avalara": True,
        "avalara_valid": certificate.valid,
        "avalara_status": certificate.status[:40],
        "avalara_ecm_status": certificate.ecm_status[:40],
        "avalara_expiration_date": certificate.expiration_date,
        "avalara_exposure_zone": certificate.exposure_zone[:100],
        "avalara_exemption_reason": certificate.exemption_reason[:100],
        "avalara_invalid_reasons": list(certificate.invalid_reasons),
        "avalara_modified_date": certificate.modified_date,
        "synced_at": now,
        "badge": badge,
        "badge_reason": reason,
    }


def missing_fields(*, now, reason: str = "Not found in Avalara") -> dict:
    return {
        "found_in_avalara": False,
        "synced_at": now,
        "badge": Badge.MISSING,
        "badge_reason": reason,
    }
