from django.urls import path

from integrations import matrix_views, reason_views, views

app_name = "integrations"

urlpatterns = [
    path("integrations/", views.integrations, name="integrations"),
    path("integrations/avalara/connect/", views.avalara_connect, name="avalara-connect"),
    path("integrations/avalara/test/", views.avalara_test, name="avalara-test"),
    path(
        "integrations/avalara/request-setup/",
        views.avalara_request_setup,
        name="avalara-request-setup",
    ),
    path("integrations/avalara/disconnect/", views.avalara_disconnect, name="avalara-disconnect"),
    path("integrations/avalara/sync/", views.avalara_sync_now, name="avalara-sync"),
    path("integrations/avalara/matrix/", matrix_views.exemption_matrix, name="avalara-matrix"),
    path(
        "integrations/avalara/matrix/<int:pk>/remove/",
        matrix_views.exemption_matrix_delete,
        name="avalara-matrix-delete",
    ),
    path(
        "integrations/avalara/exemption-reasons/",
        reason_views.exemption_reasons,
        name="avalara-reasons",
    ),
    path(
        "integrations/avalara/exemption-reasons/refresh/",
        reason_views.exemption_reasons_refresh,
        name="avalara-reasons-refresh",
    ),
]
