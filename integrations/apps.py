from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from integrations import contributions, coverage_contributions, status_contributions
        from nuvo.roles import Role

        contributions.register()
        status_contributions.register()
        coverage_contributions.register()
        from nuvo.settings_pages import SettingsPage, register_settings_page

        register_settings_page(
            SettingsPage(
                label="Integrations",
                url_name="integrations:integrations",
                role=Role.ADMIN,
                order=100,
            )
        )
