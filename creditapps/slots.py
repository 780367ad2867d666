"""Where higher apps (integrations) add to credit-application and customer pages."""

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
