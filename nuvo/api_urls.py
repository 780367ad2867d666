"""/api/v1/: each app brings its own routes (included by name, so nuvo imports no app)."""

from django.urls import include, path

from nuvo.api_views import api_root

app_name = "api"

urlpatterns = [
    path("", api_root, name="api-root"),
    path("", include("creditapps.api.urls")),
    path("", include("integrations.api.urls")),
]
