"""AvaTax definitions the certificate forms need: exposure zones and exemption reasons."""

from __future__ import annotations

from ..plumbing import ClientPlumbing
from ..types import ExemptionReason, ExposureZone


class DefinitionOperations(ClientPlumbing):
    """Lists of reference data, read whole."""

    def list_exposure_zones(self) -> list[ExposureZone]:
        """All exposure zones, all pages; none is filterable (ListCertificateExposureZones)."""
        items = self._fetch_all(
            "/api/v2/definitions/certificateexposurezones",
            {},
            operation="ListCertificateExposureZones",
        )
        return self._parse_each("ListCertificateExposureZones", items, ExposureZone.from_wire)

    def list_exemption_reasons(self) -> list[ExemptionReason]:
        """All exemption reasons, all pages (ListCertificateExemptReasons)."""
        items = self._fetch_all(
            "/api/v2/definitions/certificateexemptreasons",
            {},
            operation="ListCertificateExemptReasons",
        )
        return self._parse_each("ListCertificateExemptReasons", items, ExemptionReason.from_wire)
