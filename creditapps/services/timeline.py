from creditapps.models import ApplicationEvent, CreditApplication
from nuvo.roles import user_display_name


def record_event(
    *,
    application: CreditApplication,
    kind: str,
    actor=None,
    actor_name: str = "",
    message: str = "",
) -> ApplicationEvent:
    """Append to the application's timeline; the actor's name is kept as written at the time."""
    return ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor,
        actor_name=actor_name or user_display_name(actor),
        message=message,
    )


def customer_actor_name(application: CreditApplication) -> str:
    """How a customer (who has no account) appears on the timeline."""
    customer = application.customer
    return f"{customer.contact_name or customer.legal_name} (customer)"
