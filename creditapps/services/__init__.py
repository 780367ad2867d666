"""Credit-application workflows: the functions views, the API and tasks call to change anything.

Each status change is a guarded UPDATE (transitions.py): exactly one caller wins.
"""

from creditapps.services.applications import (
    ApplicationData,
    TradeReferenceData,
    application_approve,
    application_assign,
    application_create,
    application_decline,
    application_request_approval,
    application_start_review,
    application_submit,
)
from creditapps.services.customers import (
    customer_create,
    customer_match_dismiss,
    customer_merge,
    customer_update,
    organization_certificate_settings_update,
)
from creditapps.services.info_requests import (
    application_request_info,
    application_resume_review,
    info_request_resend,
    info_request_respond,
)
from creditapps.services.intake import (
    PublicApplication,
    certificate_upload_by_staff,
    public_application_submit,
)
from creditapps.services.renewals import certificate_renewal_request, due_for_renewal
from creditapps.services.timeline import record_event

__all__ = [
    "ApplicationData",
    "PublicApplication",
    "TradeReferenceData",
    "application_approve",
    "application_assign",
    "application_create",
    "application_decline",
    "application_request_approval",
    "application_request_info",
    "application_resume_review",
    "application_start_review",
    "application_submit",
    "certificate_renewal_request",
    "certificate_upload_by_staff",
    "customer_create",
    "customer_match_dismiss",
    "customer_merge",
    "customer_update",
    "due_for_renewal",
    "info_request_resend",
    "info_request_respond",
    "organization_certificate_settings_update",
    "public_application_submit",
    "record_event",
]
