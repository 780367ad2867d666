"""One way to write money, times and sentence ends, in pages and messages alike."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import dateformat, timezone

# "Dec 2, 2026, 3:04 PM EST": a time is never shown without its zone.
DATETIME_FORMAT = "M j, Y, g:i A T"
DATE_FORMAT = "M j, Y"
EMPTY = "—"
SENTENCE_ENDS = (".", "!", "?", "…")
# What a select shows before anything is chosen, in every form (filters say "All …" instead).
EMPTY_CHOICE = ("", "Choose…")


def money(value) -> str:
    """US dollars with cents and thousands separators: "$25,000.00", "-$5.00"."""
    if value is None or value == "":
        return EMPTY
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def local_datetime(value: datetime | None) -> str:
    """A moment in the site's time zone, with the zone named."""
    if value is None:
        return EMPTY
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, DATETIME_FORMAT)


def sentence(text) -> str:
    """`text` ending a sentence: a full stop added only when it does not already end in one
    ("Acme Supply Co." stays as it is, never "Co..")."""
    text = str(text).rstrip()
    return text if not text or text.endswith(SENTENCE_ENDS) else f"{text}."


def is_past(value: date | None) -> bool:
    """Whether a date is before today (in the site's time zone)."""
    if value is None:
        return False
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value < timezone.localdate()
