"""Template slots: where a lower app lets a higher one add to its pages without importing it.

The app that owns a page declares a `Slot` and renders it with `{% slot "name" %}`; a higher app
fills it from its AppConfig.ready() with a template and, optionally, a function that returns the
template's extra context (or None to stay out of this page). Dependencies keep pointing down: the
page's app never learns who filled the slot.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.http import HttpRequest
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

ContextFunction = Callable[[HttpRequest | None, Mapping], Mapping | None]


@dataclass(frozen=True)
class SlotFiller:
    template: str
    context: ContextFunction | None
    order: int


class UnknownSlot(LookupError):
    pass


class Slot:
    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description
        self._fillers: list[SlotFiller] = []
        _slots[name] = self

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"

    def fill(self, template: str, *, context: ContextFunction | None = None, order: int = 100):
        """Render `template` in this slot; filling twice with one template counts once."""
        if any(filler.template == template for filler in self._fillers):
            return
        self._fillers.append(SlotFiller(template=template, context=context, order=order))
        self._fillers.sort(key=lambda filler: filler.order)

    def clear(self, template: str) -> None:
        self._fillers = [filler for filler in self._fillers if filler.template != template]

    def render(self, context: Context) -> SafeString:
        request = context.get("request")
        parts = []
        for filler in self._fillers:
            extra = filler.context(request, context.flatten()) if filler.context else {}
            if extra is None:
                continue
            with context.push(**extra):
                parts.append(context.template.engine.get_template(filler.template).render(context))
        return mark_safe("".join(parts))  # the fillers are templates, autoescaped


_slots: dict[str, Slot] = {}


def slot_named(name: str) -> Slot:
    try:
        return _slots[name]
    except KeyError:
        raise UnknownSlot(f"No slot is named {name!r}; known: {sorted(_slots)}") from None


# The main navigation's badges (e.g. failed Avalara calls beside Reports).
navigation_reports = Slot(
    "navigation.reports", "Inside the Reports link: a count needing attention."
)
