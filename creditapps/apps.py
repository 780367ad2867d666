from django.apps import AppConfig


class CreditappsConfig(AppConfig):
    name = "creditapps"
    verbose_name = "Credit applications"
