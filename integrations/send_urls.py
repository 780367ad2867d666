from django.urls import path

from integrations import report_views, send_views, status_views

app_name = "avalara"

urlpatterns = [
    path(
        "applications/<int:pk>/send-to-avalara/",
        send_views.send_application,
        name="send-application",
    ),
    path("applications/send-to-avalara/", send_views.bulk_send, name="bulk-send"),
    path("customers/<int:pk>/send-to-avalara/", send_views.send_customer, name="send-customer"),
    path(
        "customers/<int:pk>/send-to-avalara/not-a-match/<int:other_pk>/",
        send_views.dismiss_match,
        name="dismiss-match",
    ),
    path(
        "customers/<int:pk>/send-to-avalara/merge-into/<int:into_pk>/",
        send_views.merge_into,
        name="merge-into",
    ),
    path(
        "customers/<int:pk>/refresh-avalara-status/",
        status_views.refresh_status,
        name="refresh-status",
    ),
    path(
        "avalara/certificates/from-avalara/<int:pk>/",
        status_views.only_certificate_preview,
        name="only-certificate-preview",
    ),
    path(
        "avalara/certificates/from-avalara/<int:pk>/file/",
        status_views.only_certificate_file,
        name="only-certificate-file",
    ),
    path(
        "avalara/certificates/from-avalara/<int:pk>/pages/<int:page>.png",
        status_views.only_certificate_page,
        name="only-certificate-page",
    ),
    path("reports/failed-api-calls/", report_views.failed_api_calls, name="failed-api-calls"),
    path("reports/failed-api-calls/retry/", report_views.retry_failed, name="failed-retry"),
    path("reports/failed-api-calls/dismiss/", report_views.dismiss_failed, name="failed-dismiss"),
    path("avalara/sends/<int:pk>/", send_views.send_progress, name="send-progress"),
    path("avalara/sends/batch/<uuid:batch>/", send_views.batch_progress, name="batch"),
    path(
        "avalara/certificates/<int:pk>/retry/",
        send_views.certificate_retry,
        name="certificate-retry",
    ),
]
