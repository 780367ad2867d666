"""The ECM definitions lists: exposure zones and exempt reasons (REFERENCE.md §8)."""

from ..paging import listing
from ..queries import REASONS, ZONES
from ..routing import RouteTable

routes = RouteTable()


@routes.add(
    "GET",
    "/api/v2/definitions/certificateexposurezones",
    "ListCertificateExposureZones",
    "definitions",
)
def list_certificate_exposure_zones(state, req):
    return listing(state, req, state.zones, lambda zone, _: dict(zone), ZONES)


@routes.add(
    "GET",
    "/api/v2/definitions/certificateexemptreasons",
    "ListCertificateExemptReasons",
    "definitions",
)
def list_certificate_exempt_reasons(state, req):
    # Each account has its own names (REFERENCE.md §8: "Full value lists are per account").
    return listing(state, req, req.account.reasons, lambda reason, _: dict(reason), REASONS)
