"""Where higher apps (integrations) add to credit-application and customer pages."""

from collections.abc import Callable, Sequence

from creditapps.models import CreditApplication
from nuvo.slots import Slot

application_more_menu = Slot(
    "application.more_menu",
    "Items of the application's More menu: elements with role=menuitem.",
)
application_sidebar = Slot(
    "application.sidebar", "Below the customer's details in the application sidebar."
)
customer_sidebar = Slot("customer.sidebar", "Below the details on the customer page.")
approval_dialog = Slot(
    "application.approval_dialog",
    "Inside the Approve dialog's form, before its buttons (see creditapps.approval for options).",
)
application_list_bulk_actions = Slot(
    "application_list.bulk_actions",
    "Buttons acting on the applications chosen in the list (a form of `application` ids).",
)
reports_sections = Slot("reports.sections", "Sections of the Reports page, after the pipeline.")
application_main = Slot(
    "application.main",
    "A section of the application page's main column, after Compliance & Tax Documents.",
)
application_list_column = Slot(
    "application_list.column",
    "A column of the applications list: `header` for its heading, else `application` is set.",
)

# Run once per page of the applications list before it renders (one query for the page).
ApplicationPreparer = Callable[[Sequence[CreditApplication]], None]
_application_preparers: list[ApplicationPreparer] = []


def register_application_list_preparer(preparer: ApplicationPreparer) -> None:
    if preparer not in _application_preparers:
        _application_preparers.append(preparer)


def prepare_applications(applications: Sequence[CreditApplication]) -> None:
    for preparer in _application_preparers:
        preparer(applications)
