import re

from playwright.sync_api import Page


def main_navigation(page: Page):
    """The main navigation, opened first where the layout folds it behind the Menu button."""
    toggle = page.locator("header.topbar").get_by_role("button", name=re.compile("menu", re.I))
    if toggle.count() and toggle.first.is_visible():
        toggle.first.click()
    return page.get_by_role("navigation", name="Main")
