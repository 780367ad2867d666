"""Certificates arriving with a workflow: the public form, a Request Info answer, a staff upload.

Each is stored by the certificates app and put on the application's timeline here, all in one
transaction; files of a rolled-back transaction are removed again.
"""

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from certificates.models import TaxExemptionCertificate
from certificates.services import CertificateUpload, certificate_create, discard_stored_files
from creditapps.models import ApplicationEvent, CreditApplication, Customer
from creditapps.services.applications import ApplicationData, create_application
from creditapps.services.customers import customer_details
from creditapps.services.timeline import customer_actor_name, record_event
from creditapps.services.transitions import Status
from nuvo.models import Organization
from nuvo.roles import Member, Role

logger = logging.getLogger(__name__)

Kind = ApplicationEvent.Kind


class CertificateFiling:
    """Stores certificates and notes each on the timeline; remembers files to remove on rollback."""

    def __init__(self, *, source: str, actor=None, actor_name: str = "") -> None:
        self.source = source
        self.actor = actor
        self.actor_name = actor_name
        self.stored: list[TaxExemptionCertificate] = []

    def add(
        self,
        upload: CertificateUpload,
        *,
        customer: Customer,
        application: CreditApplication | None = None,
    ) -> TaxExemptionCertificate:
        certificate = certificate_create(
            customer=customer, upload=upload, source=self.source, uploaded_by=self.actor
        )
        self.stored.append(certificate)
        if application is not None:
            record_event(
                application=application,
                kind=Kind.CERTIFICATE_ADDED,
                actor=self.actor,
                actor_name=self.actor_name,
                message=f"{certificate.display_name} ({', '.join(certificate.exempt_regions)})",
            )
        return certificate

    def add_all(
        self,
        uploads: Sequence[CertificateUpload],
        *,
        customer: Customer,
        application: CreditApplication | None = None,
    ) -> None:
        for upload in uploads:
            self.add(upload, customer=customer, application=application)


@contextmanager
def file_certificates(
    *, source: str, actor=None, actor_name: str = ""
) -> Iterator[CertificateFiling]:
    filing = CertificateFiling(source=source, actor=actor, actor_name=actor_name)
    try:
        with transaction.atomic():
            yield filing
    except BaseException:
        discard_stored_files(filing.stored)
        raise


def certificate_upload_by_staff(
    *,
    member: Member,
    customer: Customer,
    upload: CertificateUpload,
    application: CreditApplication | None = None,
    source: str = TaxExemptionCertificate.Source.STAFF_UPLOAD,
) -> TaxExemptionCertificate:
    """An analyst files a certificate the customer sent in by other means."""
    member.require(Role.CREDIT_ANALYST)
    if customer.organization_id != member.organization.pk:
        raise ValueError("customer is outside the member's organization")
    if application is not None and application.customer_id != customer.pk:
        raise ValueError("application belongs to another customer")
    with file_certificates(source=source, actor=member.user) as filing:
        return filing.add(upload, customer=customer, application=application)


@dataclass(frozen=True)
class PublicApplication:
    customer: dict
    application: ApplicationData
    certificates: Sequence[CertificateUpload] = ()


def public_application_submit(
    *, organization: Organization, submission: PublicApplication
) -> CreditApplication:
    """A customer applies through the organization's link; their certificates come with it."""
    with file_certificates(source=TaxExemptionCertificate.Source.APPLICATION_FORM) as filing:
        customer = Customer.objects.create(
            organization=organization, **customer_details(submission.customer)
        )
        application = create_application(
            organization=organization,
            customer=customer,
            data=submission.application,
            status=Status.SUBMITTED,
        )
        filing.actor_name = customer_actor_name(application)
        record_event(
            application=application,
            kind=Kind.SUBMITTED,
            actor_name=filing.actor_name,
            message="Submitted through the online credit application.",
        )
        filing.add_all(submission.certificates, customer=customer, application=application)
        from creditapps.tasks import send_application_receipt_email

        send_application_receipt_email.delay_on_commit(application.pk)
    logger.info("public application %s submitted for org=%s", application.pk, organization.pk)
    return application
