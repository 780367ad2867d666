"""The pages under Settings. Apps add theirs (integrations adds Integrations); nuvo has Team."""

from dataclasses import dataclass

from django.urls import reverse

from nuvo.roles import Member


@dataclass(frozen=True)
class SettingsPage:
    label: str
    url_name: str
    role: str | None = None  # None: every member
    order: int = 100

    def visible_to(self, member: Member) -> bool:
        return self.role is None or self.role in member.roles

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_pages: list[SettingsPage] = []


def register_settings_page(page: SettingsPage) -> None:
    if any(existing.url_name == page.url_name for existing in _pages):
        return  # AppConfig.ready() may run twice (tests, the autoreloader)
    _pages.append(page)
    _pages.sort(key=lambda item: (item.order, item.label))


def settings_pages_for(member: Member) -> list[SettingsPage]:
    return [page for page in _pages if page.visible_to(member)]
