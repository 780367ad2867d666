from django.urls import path

from integrations.api import sends
from integrations.api.views import AvalaraConnectionView

urlpatterns = [
    path("integrations/avalara/", AvalaraConnectionView.as_view(), name="avalara-connection"),
    path(
        "customers/<int:pk>/send-to-avalara/",
        sends.CustomerSendView.as_view(),
        name="customer-send-to-avalara",
    ),
    path(
        "credit-applications/<int:pk>/send-to-avalara/",
        sends.ApplicationSendView.as_view(),
        name="credit-application-send-to-avalara",
    ),
    path("avalara-sends/<int:pk>/", sends.SendDetailView.as_view(), name="avalara-send"),
]
