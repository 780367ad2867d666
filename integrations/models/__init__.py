from integrations.models.calls import AvalaraCall
from integrations.models.connection import AvalaraConnection, IntegrationEvent
from integrations.models.definitions import AvalaraDefinitions, ExemptionReasonMapping
from integrations.models.sending import AvalaraCertificate, AvalaraCustomer, AvalaraSend

__all__ = [
    "AvalaraCall",
    "AvalaraCertificate",
    "AvalaraConnection",
    "AvalaraCustomer",
    "AvalaraDefinitions",
    "AvalaraSend",
    "ExemptionReasonMapping",
    "IntegrationEvent",
]
