from django.urls import path

from integrations.api.views import AvalaraConnectionView

urlpatterns = [
    path("integrations/avalara/", AvalaraConnectionView.as_view(), name="avalara-connection"),
]
