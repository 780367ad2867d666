from rest_framework.routers import DefaultRouter

from certificates.api.views import CertificateViewSet
from creditapps.api.views import CreditApplicationViewSet, CustomerViewSet

app_name = "api"

router = DefaultRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("credit-applications", CreditApplicationViewSet, basename="credit-application")
router.register("certificates", CertificateViewSet, basename="certificate")

urlpatterns = router.urls
