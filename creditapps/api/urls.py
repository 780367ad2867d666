from rest_framework.routers import SimpleRouter

from creditapps.api.certificates import CustomerCertificateViewSet
from creditapps.api.views import CreditApplicationViewSet, CustomerViewSet

router = SimpleRouter()
router.register("customers", CustomerViewSet, basename="customer")
router.register("credit-applications", CreditApplicationViewSet, basename="credit-application")
router.register("certificates", CustomerCertificateViewSet, basename="certificate")

urlpatterns = router.urls
