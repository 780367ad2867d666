"""Exposure coverage: for each state a customer ships to, is a Valid certificate on file there?

Valid means Avalara's badge (a synced status), so the credit team sees tax exposure before
approving. One query for a whole page of customers.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from integrations.models import AvalaraCertificate, AvalaraOnlyCertificate, Badge
from nuvo.regions import region_name


@dataclass(frozen=True)
class StateCoverage:
    region: str
    covered_by: tuple[str, ...] = ()  # certificate names

    @property
    def name(self) -> str:
        return region_name(self.region)

    @property
    def covered(self) -> bool:
        return bool(self.covered_by)


@dataclass(frozen=True)
class Coverage:
    states: tuple[StateCoverage, ...] = field(default_factory=tuple)

    @property
    def uncovered(self) -> list[StateCoverage]:
        return [state for state in self.states if not state.covered]

    @property
    def summary(self) -> str:
        if not self.states:
            return "No ship-to states on file"
        missing = self.uncovered
        if not missing:
            return f"All {len(self.states)} ship-to state(s) covered"
        return f"{len(missing)} of {len(self.states)} ship-to state(s) without a valid certificate"


def coverage_by_customer(customers, *, company_id: int) -> dict[int, Coverage]:
    """Each customer's coverage of its ship-to states by Valid certificates in Avalara."""
    customer_ids = [customer.pk for customer in customers]
    valid: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for customer_id, region, name, filename in AvalaraCertificate.objects.filter(
        certificate__customer_id__in=customer_ids, company_id=company_id, badge=Badge.VALID
    ).values_list(
        "certificate__customer_id", "region", "certificate__name", "certificate__original_filename"
    ):
        valid[customer_id][region].append(name or filename.rsplit(".", 1)[0])
    for customer_id, region, filename, avalara_id in AvalaraOnlyCertificate.objects.filter(
        customer_id__in=customer_ids, company_id=company_id, badge=Badge.VALID
    ).values_list("customer_id", "region", "filename", "avalara_id"):
        valid[customer_id][region].append(filename or f"Avalara certificate {avalara_id}")
    return {
        customer.pk: Coverage(
            tuple(
                StateCoverage(region, tuple(valid[customer.pk].get(region, ())))
                for region in customer.ship_to_states
            )
        )
        for customer in customers
    }
