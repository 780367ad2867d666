from django.apps import AppConfig


class CreditappsConfig(AppConfig):
    name = "creditapps"
    verbose_name = "Credit applications"

    def ready(self) -> None:
        # Declares this app's template slots, so {% slot %} finds them by name.
        from creditapps import slots  # noqa: F401
