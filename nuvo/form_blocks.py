"""The "Add another" button of a formset's blocks, when the browser runs no script.

The button posts the form with `add_block=<prefix>`; the page comes back with one more block of
that formset and what was typed, and without errors: the form was not sent yet.
"""

from django.forms import BaseFormSet
from django.forms.utils import ErrorDict

ADD_FIELD = "add_block"


def block_to_add(request) -> str:
    """The prefix of the formset whose "Add another" was pressed ("" for a real submit)."""
    return request.POST.get(ADD_FIELD, "") if request.method == "POST" else ""


def with_another_block(data, *, prefix: str, max_num: int):
    """`data` with the formset's TOTAL_FORMS one higher, up to `max_num`."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(max(total, 0) + 1, max_num))
    return data


def forget_errors(*forms_or_formsets) -> None:
    """Validated (files passed intake are kept), but shown without their errors."""
    for form in forms_or_formsets:
        if isinstance(form, BaseFormSet):
            form.is_valid()
            form._non_form_errors = form.error_class(renderer=form.renderer)
            forget_errors(*form.forms)
        else:
            form.is_valid()
            form._errors = ErrorDict(renderer=form.renderer)
