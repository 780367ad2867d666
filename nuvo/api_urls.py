from django.urls import path
from rest_framework.routers import DefaultRouter

from certificates.api.views import CertificateViewSet
from creditapps.api.views import CreditApplicationViewSet, CustomerViewSet
from integrations.api.views import AvalaraConnectionView

app_name = "api"

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("credit-applications", CreditApplicationViewSet, basename="credit-application")
router.register("certificates", CertificateViewSet, basename="certificate")

urlpatterns = [
    *router.urls,
    path("integrations/avalara/", AvalaraConnectionView.as_view(), name="avalara-connection"),
]
