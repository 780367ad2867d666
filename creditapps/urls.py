from django.urls import path

from creditapps import public_views, views

app_name = "creditapps"

urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/start-review/",
        views.application_start_review,
        name="application-start-review",
    ),
    path(
        "applications/<int:pk>/resume-review/",
        views.application_resume_review,
        name="application-resume-review",
    ),
    path("applications/<int:pk>/assign/", views.application_assign, name="application-assign"),
    path(
        "applications/<int:pk>/request-info/",
        views.application_request_info,
        name="application-request-info",
    ),
    path(
        "applications/<int:pk>/request-approval/",
        views.application_request_approval,
        name="application-request-approval",
    ),
    path("applications/<int:pk>/approve/", views.application_approve, name="application-approve"),
    path("applications/<int:pk>/decline/", views.application_decline, name="application-decline"),
    path("info-requests/<int:pk>/resend/", views.info_request_resend, name="info-request-resend"),
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer-edit"),
    path(
        "customers/<int:pk>/certificates/new/",
        views.certificate_upload,
        name="certificate-upload",
    ),
    path("reports/", views.reports, name="reports"),
    path(
        "certificates/<int:pk>/request-renewal/",
        views.certificate_request_renewal,
        name="certificate-request-renewal",
    ),
    path("settings/certificates/", views.certificate_settings, name="certificate-settings"),
    path("apply/<uuid:form_key>/", public_views.public_apply, name="public-apply"),
    path("apply/<uuid:form_key>/thanks/", public_views.public_apply_done, name="public-apply-done"),
    path("respond/<str:token>/", public_views.info_request_respond, name="info-request-respond"),
]
