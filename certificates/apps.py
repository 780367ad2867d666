from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "Tax-exemption certificates"

    def ready(self) -> None:
        # Declares this app's template slots, so {% slot %} finds them by name.
        from certificates import slots  # noqa: F401
