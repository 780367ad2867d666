"""Avalara's exemption reasons (entity/use codes A-R) as CertCapture names them.

Source: ../shared/avatax/exempt-reason-matrix.json (Avalara's "Exemption Reason Matrices for US and
Canada"). The value is the name Avalara expects in `exemptionReason.name`. Which reasons are valid
in which region is decided by the account's CertCapture matrix, not here.
"""

from django.db import models


class ExemptionReason(models.TextChoices):
    FEDERAL_GOV = "FEDERAL GOV", "A · Federal government"
    STATE_GOV = "STATE GOV", "B · State government"
    TRIBAL_GOVERNMENT = "TRIBAL GOVERNMENT", "C · Tribal government"
    FOREIGN_DIPLOMAT = "FOREIGN DIPLOMAT", "D · Foreign diplomat"
    CHARITABLE = "CHARITABLE/EXEMPT ORG", "E · Charitable organization"
    RELIGIOUS = "RELIGIOUS ORG", "F · Religious organization"
    RESALE = "RESALE", "G · Resale"
    AGRICULTURE = "AGRICULTURE", "H · Agricultural production"
    INDUSTRIAL = "INDUSTRIAL PROD/MANUFACTURERS", "I · Industrial production or manufacturers"
    DIRECT_PAY = "DIRECT PAY", "J · Direct pay permit"
    DIRECT_MAIL = "DIRECT MAIL", "K · Direct mail"
    OTHER = "OTHER/CUSTOM", "L · Other or custom"
    EDUCATIONAL = "EDUCATIONAL ORG", "M · Educational organization"
    LOCAL_GOVERNMENT = "LOCAL GOVERNMENT", "N · Local government"
    COMMERCIAL_AQUACULTURE = "COMMERCIAL AQUACULTURE", "P · Commercial aquaculture (Canada)"
    COMMERCIAL_FISHERY = "COMMERCIAL FISHERY", "Q · Commercial fishery (Canada)"
    NON_RESIDENT = "NON-RESIDENT", "R · Non-resident (Canada)"
