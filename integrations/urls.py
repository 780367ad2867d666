from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.settings_index, name="settings"),
    path("team/", views.team, name="team"),
    path("integrations/", views.integrations, name="integrations"),
]
