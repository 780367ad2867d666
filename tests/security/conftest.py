"""An organization with a record of every kind a URL can name, and a check that it is untouched."""

import hashlib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import FieldError
from django.core.files.base import ContentFile
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.reasons import ExemptionReason
from creditapps.models import CreditApplication, Customer, InfoRequest
from creditapps.tokens import info_request_token
from integrations.models import (
    AvalaraCertificate,
    AvalaraOnlyCertificate,
    AvalaraSend,
    ReasonRegionRule,
)
from nuvo.models import Organization
from tests.integrations.conftest import committed as committed
from tests.integrations.conftest import send as send
from tests.integrations.conftest import simulator as simulator
from tests.integrations.conftest import simulator_server as simulator_server
from tests.integrations.sending.helpers import add_certificate, connect
from tests.pdf_factory import make_pdf

# The Avalara password the world connects with: unique, so that finding it anywhere is a leak.
SECRET = "Zq9-avalara-secret-never-shown-7Hx"
DEMO_ACCOUNT_ID = 2000100001  # the simulator's account of the nuvo-demo user

APPS = ("nuvo", "creditapps", "certificates", "integrations")
# How a row reaches its organization, tried in order; models with none of these are not scoped.
ORGANIZATION_PATHS = (
    "organization",
    "application__organization",
    "customer__organization",
    "certificate__organization",
    "send__organization",
)


@dataclass
class World:
    organization: Organization
    customer: Customer
    customer_two: Customer
    application: CreditApplication
    certificate: TaxExemptionCertificate
    send: AvalaraSend
    avalara_certificate: AvalaraCertificate
    only_certificate: AvalaraOnlyCertificate
    matrix_rule: ReasonRegionRule
    info_request: InfoRequest
    info_request_token: str


@pytest.fixture
def world(
    admin_member, customer, make_customer, make_application, simulator, committed, send
) -> World:
    """Connected to the simulator, one customer sent to Avalara, one of each record."""
    simulator.state.accounts[DEMO_ACCOUNT_ID].password = SECRET
    with committed():
        connect(admin_member, password=SECRET)
    certificate = add_certificate(customer)
    application = make_application(customer=customer)
    sent = send(admin_member, customer)
    customer_two = make_customer(legal_name="Prairie Farm Cooperative", email="ap@prairie.test")
    AvalaraSend.objects.filter(pk=sent.pk).update(batch=uuid.uuid4())
    sent.refresh_from_db()
    only = AvalaraOnlyCertificate(
        organization=admin_member.organization,
        customer=customer,
        company_id=sent.company_id,
        avalara_id=990001,
        region="TX",
        filename="from-avalara.pdf",
        page_count=1,
    )
    only.file.save("from-avalara.pdf", ContentFile(make_pdf(text="From Avalara")), save=False)
    only.save()
    info_request = InfoRequest.objects.create(
        application=application,
        recipient_email=customer.email,
        requested_items=[InfoRequest.Item.choices[0][0]],
        expires_at=timezone.now() + timedelta(days=14),
    )
    simulator.state.clear_requests()
    mail.outbox.clear()
    return World(
        organization=admin_member.organization,
        customer=customer,
        customer_two=customer_two,
        application=application,
        certificate=certificate,
        send=sent,
        avalara_certificate=AvalaraCertificate.objects.filter(send=sent).earliest("pk"),
        only_certificate=only,
        matrix_rule=ReasonRegionRule.objects.create(
            organization=admin_member.organization,
            exemption_reason=ExemptionReason.RESALE,
            region="OR",
            exempt=False,
            source=ReasonRegionRule.Source.MANUAL,
        ),
        info_request=info_request,
        info_request_token=info_request_token(info_request),
    )


def organization_rows(organization: Organization) -> dict[str, str]:
    """A digest of every row that belongs to the organization, per model."""
    digests = {}
    for model in (m for app in APPS for m in apps.get_app_config(app).get_models()):
        for path in ORGANIZATION_PATHS:
            try:
                rows = model.objects.filter(**{path: organization}).order_by("pk")
            except FieldError:  # the model does not reach organizations this way
                continue
            values = list(rows.values_list())
            digests[model._meta.label] = hashlib.sha256(repr(values).encode()).hexdigest()
            break
    return digests


@pytest.fixture
def untouched(world, simulator):
    """`with untouched(): ...` a refused request: no row changed, no email, no call to Avalara."""

    @contextmanager
    def block():
        before = organization_rows(world.organization)
        yield
        assert organization_rows(world.organization) == before
        assert mail.outbox == []
        assert simulator.state.count() == 0

    return block
