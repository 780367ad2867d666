from django.apps import AppConfig


class NuvoConfig(AppConfig):
    name = "nuvo"
    verbose_name = "Nuvo"
