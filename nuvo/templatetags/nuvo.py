from django import template

from creditapps.roles import user_display_name

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user's full name, else their username; `empty` when there is no user."""
    return user_display_name(user) if user else empty
