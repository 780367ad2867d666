from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from creditapps.views import home
from nuvo.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("creditapps.urls")),
    path("", include("certificates.urls")),
    path("settings/", include("integrations.urls")),
    path("api/v1/", include("nuvo.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
