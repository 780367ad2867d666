from django.apps import AppConfig


class NuvoConfig(AppConfig):
    name = "nuvo"
    verbose_name = "Nuvo"

    def ready(self) -> None:
        from nuvo.settings_pages import SettingsPage, register_settings_page

        register_settings_page(SettingsPage(label="Team", url_name="team", order=200))
