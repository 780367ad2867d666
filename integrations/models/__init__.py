from integrations.models.calls import AvalaraCall
from integrations.models.checks import ReasonRegionRule
from integrations.models.connection import AvalaraConnection, IntegrationEvent
from integrations.models.definitions import AvalaraDefinitions, ExemptionReasonMapping
from integrations.models.history import CertificateEvent
from integrations.models.sending import AvalaraCertificate, AvalaraCustomer, AvalaraSend
from integrations.models.status import Badge
from integrations.models.sync import AvalaraOnlyCertificate, AvalaraSyncRun

__all__ = [
    "AvalaraCall",
    "AvalaraCertificate",
    "AvalaraConnection",
    "AvalaraCustomer",
    "AvalaraDefinitions",
    "AvalaraOnlyCertificate",
    "AvalaraSend",
    "AvalaraSyncRun",
    "Badge",
    "CertificateEvent",
    "ExemptionReasonMapping",
    "IntegrationEvent",
    "ReasonRegionRule",
]
