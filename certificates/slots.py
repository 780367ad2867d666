"""Where higher apps add to certificate lists (e.g. a status badge per certificate)."""

from collections.abc import Callable, Sequence

from certificates.models import TaxExemptionCertificate
from nuvo.slots import Slot

certificate_status = Slot(
    "certificate.status", "A cell of each certificate row; `certificate` is in the context."
)

certificate_history = Slot(
    "certificate.history",
    "The certificate preview's History tab: what happened to it elsewhere (Avalara).",
)
certificate_extra_rows = Slot(
    "certificate.extra_rows",
    "More rows of the certificate table (e.g. certificates only Avalara has); `customer` is set.",
)

# Run once per certificate list before it renders, to attach what the slot shows (one query for
# the whole list rather than one per row).
CertificatePreparer = Callable[[Sequence[TaxExemptionCertificate]], None]
_preparers: list[CertificatePreparer] = []


def register_certificate_preparer(preparer: CertificatePreparer) -> None:
    if preparer not in _preparers:
        _preparers.append(preparer)


def prepare_certificates(
    certificates: Sequence[TaxExemptionCertificate],
) -> list[TaxExemptionCertificate]:
    rows = list(certificates)
    for preparer in _preparers:
        preparer(rows)
    return rows
