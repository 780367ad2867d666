"""The staff pages of credit applications and customers (thin: each calls one service)."""

from creditapps.views.applications import (
    application_approve,
    application_assign,
    application_decline,
    application_detail,
    application_list,
    application_request_approval,
    application_request_info,
    application_start_review,
    application_submit,
)
from creditapps.views.certificates import (
    certificate_request_renewal,
    certificate_settings,
    certificate_upload,
)
from creditapps.views.customers import (
    customer_create,
    customer_detail,
    customer_edit,
    customer_list,
    reports,
)
from creditapps.views.info_requests import application_resume_review, info_request_resend

__all__ = [
    "application_approve",
    "application_assign",
    "application_decline",
    "application_detail",
    "application_list",
    "application_request_approval",
    "application_request_info",
    "application_resume_review",
    "application_start_review",
    "application_submit",
    "certificate_request_renewal",
    "certificate_settings",
    "certificate_upload",
    "customer_create",
    "customer_detail",
    "customer_edit",
    "customer_list",
    "info_request_resend",
    "reports",
]
