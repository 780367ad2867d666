"""Bulk data for benchmarks: many customers with certificates, and changes to some of them.

The `/_simulator/seed` and `/_simulator/change` controls call these; they skip the request
rules (the data is the simulator's own) but store exactly what CreateCustomers and
CreateCertificates would.
"""

from datetime import date, timedelta

from .customer_rules import placeholder_customer
from .state import SimulatorState


def seed_customers(
    state: SimulatorState,
    *,
    company_id: int,
    customers: int,
    certificates_per_customer: int,
    code_prefix: str = "BENCH_",
    modified_days_ago: int = 30,
) -> list[dict]:
    """`customers` customers with `certificates_per_customer` each, last changed days ago.

    Returns each customer's code and its certificates' ids.
    """
    zones = [zone for zone in state.zones if zone["country"] == "US"]
    with state.lock:
        company = state.companies[company_id]
        reason = state.reasons_of(company)[0]
        past = state.now() - timedelta(days=modified_days_ago)
        created = []
        for number in range(customers):
            code = f"{code_prefix}{number:06d}"
            customer = state.ecm._add_customer(
                company, placeholder_customer({"customerCode": code, "companyId": company_id})
            )
            customer.created = customer.modified = past
            ids = []
            for index in range(certificates_per_customer):
                certificate = state.ecm._new_certificate(
                    company,
                    {
                        "fields": {
                            "signedDate": date(2025, 1, 1),
                            "expirationDate": date(2029, 12, 31),
                            "valid": True,
                            "exemptPercentage": 100.0,
                            "isSingleCertificate": False,
                            "filename": f"{code}-{index}.pdf",
                        },
                        "exemption_reason": reason,
                        "exposure_zone": zones[(number + index) % len(zones)],
                    },
                    verified=True,
                )
                certificate.created = certificate.modified = past
                company.links.add((certificate.id, code))
                ids.append(certificate.id)
            created.append({"customerCode": code, "certificateIds": ids})
        return created


def change_certificates(
    state: SimulatorState, *, company_id: int, certificate_ids: list[int], valid: bool
) -> int:
    for certificate_id in certificate_ids:
        state.change_certificate(company_id, certificate_id, valid=valid)
    return len(certificate_ids)
