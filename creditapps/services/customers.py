from creditapps.models import Customer
from nuvo.roles import Member, Role


def customer_details(fields: dict) -> dict:
    """Only the customer details people may set (Customer.DETAIL_FIELDS)."""
    return {name: value for name, value in fields.items() if name in Customer.DETAIL_FIELDS}


def customer_create(*, member: Member, **fields) -> Customer:
    member.require(Role.CREDIT_ANALYST)
    return Customer.objects.create(organization=member.organization, **customer_details(fields))


def customer_update(*, member: Member, customer: Customer, **fields) -> Customer:
    member.require(Role.CREDIT_ANALYST)
    if customer.organization_id != member.organization.pk:
        raise ValueError("customer is outside the member's organization")
    changes = customer_details(fields)
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.save(update_fields=[*changes, "updated_at"])
    return customer
