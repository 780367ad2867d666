from urllib.parse import urlencode

from django import template

from nuvo import formatting
from nuvo.error_summary import error_items
from nuvo.roles import user_display_name
from nuvo.settings_pages import settings_pages_for
from nuvo.slots import slot_named

register = template.Library()


@register.filter
def person(user, empty: str = "—") -> str:
    """A user's full name, else their username; `empty` when there is no user."""
    return user_display_name(user) if user else empty


@register.filter
def startswith(text: str, prefix: str) -> bool:
    return str(text).startswith(str(prefix))


@register.simple_tag(takes_context=True)
def settings_pages(context) -> list:
    """The Settings pages the signed-in member may open, in order."""
    member = context.get("member")
    return settings_pages_for(member) if member else []


@register.simple_tag(takes_context=True)
def slot(context, name: str, **values):
    """Whatever higher apps put in the named slot (see nuvo/slots.py); `values` join the context."""
    with context.push(**values):
        return slot_named(name).render(context)


@register.filter
def length_is_more(items, count: int) -> bool:
    return len(items or ()) > int(count)


@register.filter
def with_next(url: str, back: str) -> str:
    """`url` with `next=back` in its query string (before any #fragment), for a page that
    returns where the user came from."""
    if not url or not back:
        return url
    address, hash_mark, fragment = str(url).partition("#")
    joiner = "&" if "?" in address else "?"
    return f"{address}{joiner}{urlencode({'next': back})}{hash_mark}{fragment}"


@register.simple_tag
def error_items_of(*forms_or_formsets) -> list:
    """The error summary's items for forms a view did not gather itself (nuvo.error_summary)."""
    return error_items(*forms_or_formsets)


@register.filter
def money(value) -> str:
    """One money format everywhere: "$25,000.00"."""
    return formatting.money(value)


@register.filter
def when(value) -> str:
    """A date and time with its time zone: "Dec 2, 2026, 3:04 PM EST"."""
    return formatting.local_datetime(value)


@register.filter(is_safe=True)
def sentence(text) -> str:
    """Ends `text` with a full stop unless it ends with one already (a name like "Co.")."""
    return formatting.sentence(text)


@register.filter
def is_past(value) -> bool:
    return formatting.is_past(value)
