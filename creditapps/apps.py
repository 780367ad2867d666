from django.apps import AppConfig


class CreditappsConfig(AppConfig):
    name = "creditapps"
    verbose_name = "Credit applications"

    def ready(self) -> None:
        # Declares this app's template slots, so {% slot %} finds them by name.
        from creditapps import slots  # noqa: F401
        from nuvo.roles import Role
        from nuvo.settings_pages import SettingsPage, register_settings_page

        register_settings_page(
            SettingsPage(
                label="Certificates",
                url_name="creditapps:certificate-settings",
                role=Role.ADMIN,
                order=150,
            )
        )
