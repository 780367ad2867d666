"""The AvaTax operations ``AvaTaxClient`` is made of, one mixin per group of resources."""

from .account import AccountOperations
from .certificates import CertificateOperations
from .customers import CustomerOperations
from .definitions import DefinitionOperations

__all__ = [
    "AccountOperations",
    "CertificateOperations",
    "CustomerOperations",
    "DefinitionOperations",
]
