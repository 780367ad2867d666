"""The root URLconf. Apps are included by module name, so this bottom layer imports none of them."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from nuvo import auth_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Ahead of django.contrib.auth.urls, which has the same path and name.
    path("accounts/password_reset/", auth_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("settings/", views.settings_index, name="settings"),
    path("settings/team/", views.team, name="team"),
    path("settings/team/approvals/", views.team_approval_settings, name="team-approval-settings"),
    path("", include("creditapps.urls")),
    path("", include("certificates.urls")),
    path("settings/", include("integrations.urls")),
    path("", include("integrations.send_urls")),
    path("api/v1/", include("nuvo.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
