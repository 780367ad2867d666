"""The items of a page's error summary, gathered from all its forms and formsets.

GOV.UK's pattern: one summary at the top lists every error, each a link to the field it is about.
A page with several forms (the public credit application: customer, terms, trade references,
certificates) builds one list from all of them, in page order.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms


@dataclass(frozen=True)
class ErrorItem:
    message: str
    # The id of the field the message is about; empty for an error about the whole form.
    field_id: str = ""


def error_items(*forms_or_formsets, messages: Iterable[str] = ()) -> list[ErrorItem]:
    """Every error of these forms and formsets (a form's own first, then its fields'), then
    `messages` (refusals that belong to no form)."""
    items: list[ErrorItem] = []
    for form in forms_or_formsets:
        if isinstance(form, forms.BaseFormSet):
            items += _formset_items(form)
        elif form is not None:
            items += _form_items(form)
    return items + [ErrorItem(message) for message in messages if message]


def _form_items(form: forms.BaseForm) -> list[ErrorItem]:
    if not form.is_bound or not form.errors:
        return []
    items = [ErrorItem(str(error)) for error in form.non_field_errors()]
    for field in form:
        # A group of checkboxes has no one control to label; its wrapper carries the field's id.
        field_id = field.id_for_label or field.auto_id
        items += [ErrorItem(str(error), field_id) for error in field.errors]
    return items


def _formset_items(formset: forms.BaseFormSet) -> list[ErrorItem]:
    if not formset.is_bound:
        return []
    items = [ErrorItem(str(error)) for error in formset.non_form_errors()]
    for form in formset.forms:
        items += _form_items(form)
    return items
