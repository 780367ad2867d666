"""The AvaTax REST v2 operations the simulator answers, one module per resource."""

from ..routing import RouteTable
from . import attachments, certificates, companies, customers, definitions

ROUTES = RouteTable(
    companies.routes,
    customers.routes,
    certificates.routes,
    attachments.routes,
    definitions.routes,
)
