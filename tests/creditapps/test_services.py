from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from certificates.models import TaxExemptionCertificate
from certificates.reasons import ExemptionReason
from certificates.services import CertificateUpload, DuplicateCertificate, certificate_create
from creditapps import services
from creditapps.models import ApplicationEvent, CreditApplication, InfoRequest
from nuvo.errors import InvalidTransition, NuvoError
from tests.pdf_factory import make_pdf

Status = CreditApplication.Status
Kind = ApplicationEvent.Kind


def certificate_upload(content: bytes, **overrides) -> CertificateUpload:
    fields = {
        "content": content,
        "filename": "tx-resale.pdf",
        "exempt_regions": ["TX"],
        "exemption_reason": ExemptionReason.RESALE,
        "effective_date": date(2026, 1, 15),
        "expiration_date": date(2029, 1, 15),
    }
    return CertificateUpload(**{**fields, **overrides})


def kinds(application) -> list[str]:
    return list(application.events.values_list("kind", flat=True))


def test_start_review_moves_submitted_application_to_review_and_assigns_the_analyst(
    analyst, application
):
    services.application_start_review(member=analyst, application=application)

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.assigned_analyst == analyst.user
    assert kinds(application) == [Kind.REVIEW_STARTED]


def test_start_review_keeps_an_existing_assignment(analyst, make_user, make_application):
    colleague = make_user("colleague", "credit_analyst")
    application = make_application(assigned_analyst=colleague)

    services.application_start_review(member=analyst, application=application)

    assert application.assigned_analyst == colleague


def test_start_review_of_a_draft_is_refused_and_changes_nothing(analyst, make_application):
    draft = make_application(status=Status.DRAFT)

    with pytest.raises(InvalidTransition, match="draft"):
        services.application_start_review(member=analyst, application=draft)

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.assigned_analyst is None
    assert kinds(draft) == []


def test_only_one_of_two_concurrent_start_reviews_wins(analyst, application):
    stale_copy = CreditApplication.objects.get(pk=application.pk)
    services.application_start_review(member=analyst, application=application)

    with pytest.raises(InvalidTransition):
        services.application_start_review(member=analyst, application=stale_copy)

    assert kinds(application) == [Kind.REVIEW_STARTED]


def test_approver_cannot_start_a_review(approver, application):
    with pytest.raises(PermissionDenied):
        services.application_start_review(member=approver, application=application)

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_member_of_another_organization_cannot_act_on_the_application(outsider, application):
    with pytest.raises(ValueError, match="outside"):
        services.application_start_review(member=outsider, application=application)

    assert kinds(application) == []


def test_draft_created_by_an_analyst_can_be_submitted(analyst, customer):
    application = services.application_create(
        member=analyst,
        customer=customer,
        data=services.ApplicationData(
            requested_credit_limit=Decimal("12000"),
            requested_terms=CreditApplication.Terms.NET_15,
            trade_references=[
                services.TradeReferenceData(company_name="Gulf Coast Paper"),
                services.TradeReferenceData(company_name="  "),
            ],
        ),
    )
    assert application.status == Status.DRAFT
    assert [r.company_name for r in application.trade_references.all()] == ["Gulf Coast Paper"]

    services.application_submit(member=analyst, application=application)

    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    assert kinds(application) == [Kind.CREATED, Kind.SUBMITTED]


def test_request_info_emails_a_signed_link_and_waits_for_the_customer(
    analyst, make_application, django_capture_on_commit_callbacks
):
    application = make_application(status=Status.IN_REVIEW)

    with django_capture_on_commit_callbacks(execute=True):
        info_request = services.application_request_info(
            member=analyst,
            application=application,
            items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
            message="Please send your Texas resale certificate.",
        )

    assert application.status == Status.INFO_REQUESTED
    assert info_request.recipient_email == "maria@lonestar.example"
    assert info_request.expires_at > timezone.now() + timedelta(days=13)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["maria@lonestar.example"]
    assert "Tax-exemption certificates" in email.body
    assert "Please send your Texas resale certificate." in email.body
    assert "/respond/" in email.body
    info_request.refresh_from_db()
    assert info_request.email_sent_at is not None
    assert kinds(application) == [Kind.INFO_REQUESTED]


def test_request_info_email_is_sent_once_even_if_the_task_runs_twice(
    analyst, make_application, django_capture_on_commit_callbacks
):
    from creditapps.tasks import send_info_request_email

    application = make_application(status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        info_request = services.application_request_info(
            member=analyst, application=application, items=[InfoRequest.Item.OTHER]
        )

    send_info_request_email(info_request.pk)

    assert len(mail.outbox) == 1


def test_request_info_without_a_customer_email_is_refused(analyst, make_customer, make_application):
    application = make_application(customer=make_customer(email=""), status=Status.IN_REVIEW)

    with pytest.raises(NuvoError, match="no email address"):
        services.application_request_info(
            member=analyst, application=application, items=[InfoRequest.Item.OTHER]
        )

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert InfoRequest.objects.count() == 0
    assert kinds(application) == []


def test_request_info_withdraws_a_pending_approval_request(analyst, make_application):
    application = make_application(
        status=Status.IN_REVIEW,
        approval_requested_at=timezone.now(),
        approval_requested_by=analyst.user,
    )

    services.application_request_info(
        member=analyst, application=application, items=[InfoRequest.Item.BANK_REFERENCE]
    )

    assert application.approval_requested_at is None
    assert not application.awaiting_approval


def _open_info_request(analyst, application) -> InfoRequest:
    return services.application_request_info(
        member=analyst,
        application=application,
        items=[InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
    )


def test_customer_response_files_certificates_and_resumes_review(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    info_request = _open_info_request(analyst, application)
    content = make_pdf(text="Texas resale")

    services.info_request_respond(
        info_request=info_request,
        message="Here is our certificate.",
        certificates=[certificate_upload(content)],
    )

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    certificate = application.customer.certificates.get()
    assert certificate.source == TaxExemptionCertificate.Source.INFO_REQUEST
    assert certificate.file.read() == content
    assert info_request.responded_at is not None
    assert info_request.response_message == "Here is our certificate."
    assert kinds(application) == [Kind.INFO_REQUESTED, Kind.CERTIFICATE_ADDED, Kind.INFO_RECEIVED]
    received = application.events.get(kind=Kind.INFO_RECEIVED)
    assert received.actor is None
    assert received.actor_name == "Maria Gonzales (customer)"


def test_a_request_can_be_answered_only_once(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    info_request = _open_info_request(analyst, application)
    services.info_request_respond(info_request=info_request, message="Done", certificates=[])

    with pytest.raises(NuvoError, match="already been answered"):
        services.info_request_respond(info_request=info_request, message="Again", certificates=[])

    assert application.events.filter(kind=Kind.INFO_RECEIVED).count() == 1


def test_an_expired_request_cannot_be_answered(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    info_request = _open_info_request(analyst, application)
    InfoRequest.objects.filter(pk=info_request.pk).update(expires_at=timezone.now())
    info_request.refresh_from_db()

    with pytest.raises(NuvoError, match="expired"):
        services.info_request_respond(info_request=info_request, message="Late", certificates=[])

    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED


def test_an_empty_response_is_refused(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    info_request = _open_info_request(analyst, application)

    with pytest.raises(NuvoError, match="Upload a document or write a message"):
        services.info_request_respond(info_request=info_request, message="  ", certificates=[])

    info_request.refresh_from_db()
    assert info_request.responded_at is None


def test_a_duplicate_file_in_a_response_rolls_the_whole_response_back(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    info_request = _open_info_request(analyst, application)
    content = make_pdf(text="Same file")
    certificate_create(
        customer=application.customer,
        upload=certificate_upload(content),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )

    with pytest.raises(DuplicateCertificate):
        services.info_request_respond(
            info_request=info_request, message="", certificates=[certificate_upload(content)]
        )

    info_request.refresh_from_db()
    application.refresh_from_db()
    assert info_request.responded_at is None
    assert application.status == Status.INFO_REQUESTED
    assert application.customer.certificates.count() == 1


def test_request_approval_puts_the_application_in_the_approvers_queue(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)

    services.application_request_approval(
        member=analyst, application=application, note="References are good."
    )

    assert application.awaiting_approval
    assert application.approval_requested_by == analyst.user
    event = application.events.get()
    assert (event.kind, event.message) == (Kind.APPROVAL_REQUESTED, "References are good.")


def test_request_approval_twice_is_refused(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    services.application_request_approval(member=analyst, application=application)

    with pytest.raises(InvalidTransition):
        services.application_request_approval(member=analyst, application=application)

    assert application.events.count() == 1


@pytest.fixture
def awaiting_approval(analyst, make_application) -> CreditApplication:
    application = make_application(status=Status.IN_REVIEW)
    services.application_request_approval(member=analyst, application=application)
    return application


def test_approver_approves_with_a_limit_and_terms(approver, awaiting_approval):
    services.application_approve(
        member=approver,
        application=awaiting_approval,
        credit_limit=Decimal("40000"),
        terms=CreditApplication.Terms.NET_45,
        comment="Good references.",
    )

    application = awaiting_approval
    assert application.status == Status.APPROVED
    assert application.approved_credit_limit == Decimal("40000.00")
    assert application.approved_terms == CreditApplication.Terms.NET_45
    assert application.decided_by == approver.user
    assert application.decided_at is not None
    event = application.events.latest("id")
    assert event.kind == Kind.APPROVED
    assert event.message == "Approved $40,000.00 on Net 45.\nGood references."


def test_analyst_cannot_approve(analyst, awaiting_approval):
    with pytest.raises(PermissionDenied):
        services.application_approve(
            member=analyst,
            application=awaiting_approval,
            credit_limit=Decimal("1000"),
            terms=CreditApplication.Terms.NET_30,
        )

    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.IN_REVIEW


def test_approval_needs_the_analyst_to_send_it_for_approval_first(approver, make_application):
    application = make_application(status=Status.IN_REVIEW)

    with pytest.raises(InvalidTransition, match="not waiting for approval"):
        services.application_approve(
            member=approver,
            application=application,
            credit_limit=Decimal("1000"),
            terms=CreditApplication.Terms.NET_30,
        )

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW


def test_approval_with_a_zero_limit_is_refused(approver, awaiting_approval):
    with pytest.raises(NuvoError, match="greater than zero"):
        services.application_approve(
            member=approver,
            application=awaiting_approval,
            credit_limit=Decimal("0"),
            terms=CreditApplication.Terms.NET_30,
        )


def test_decline_needs_a_comment(approver, awaiting_approval):
    with pytest.raises(NuvoError, match="Say why"):
        services.application_decline(member=approver, application=awaiting_approval, comment=" ")

    awaiting_approval.refresh_from_db()
    assert awaiting_approval.status == Status.IN_REVIEW


def test_decline_records_the_reason_on_the_timeline(approver, awaiting_approval):
    services.application_decline(
        member=approver, application=awaiting_approval, comment="Too little trading history."
    )

    assert awaiting_approval.status == Status.DECLINED
    assert awaiting_approval.decision_comment == "Too little trading history."
    event = awaiting_approval.events.latest("id")
    assert (event.kind, event.message) == (Kind.DECLINED, "Too little trading history.")


def test_a_decided_application_cannot_be_decided_again(approver, awaiting_approval):
    services.application_decline(member=approver, application=awaiting_approval, comment="No.")

    with pytest.raises(InvalidTransition):
        services.application_approve(
            member=approver,
            application=awaiting_approval,
            credit_limit=Decimal("1000"),
            terms=CreditApplication.Terms.NET_30,
        )


def test_assign_accepts_only_analysts_of_the_organization(analyst, approver, application):
    with pytest.raises(NuvoError, match="Only credit analysts"):
        services.application_assign(member=analyst, application=application, analyst=approver.user)

    services.application_assign(member=analyst, application=application, analyst=analyst.user)

    application.refresh_from_db()
    assert application.assigned_analyst == analyst.user
    assert application.events.get().message == "Assigned to Analyst"


def test_public_application_creates_customer_application_and_certificates(organization):
    content = make_pdf(text="Washington reseller permit")

    application = services.public_application_submit(
        organization=organization,
        submission=services.PublicApplication(
            customer={
                "legal_name": "Cascade Hardware Co.",
                "contact_name": "Ben Okafor",
                "email": "ben@cascade.example",
                "region": "WA",
                "unknown_field": "ignored",
            },
            application=services.ApplicationData(
                requested_credit_limit=Decimal("25000"),
                requested_terms=CreditApplication.Terms.NET_45,
                trade_references=[services.TradeReferenceData(company_name="Evergreen Tools")],
            ),
            certificates=[certificate_upload(content, exempt_regions=["WA", "ID", "WA"])],
        ),
    )

    assert application.status == Status.SUBMITTED
    assert application.organization == organization
    assert application.customer.legal_name == "Cascade Hardware Co."
    certificate = application.customer.certificates.get()
    assert certificate.exempt_regions == ["ID", "WA"]
    assert certificate.source == TaxExemptionCertificate.Source.APPLICATION_FORM
    assert kinds(application) == [Kind.SUBMITTED, Kind.CERTIFICATE_ADDED]
    assert application.events.first().actor_name == "Ben Okafor (customer)"


def test_resume_review_closes_the_open_request(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    info_request = _open_info_request(analyst, application)

    services.application_resume_review(member=analyst, application=application)

    info_request.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert info_request.is_expired
    assert kinds(application) == [Kind.INFO_REQUESTED, Kind.REVIEW_RESUMED]
    with pytest.raises(NuvoError, match="expired"):
        services.info_request_respond(info_request=info_request, message="Late", certificates=[])


def test_resume_review_needs_an_open_request(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)

    with pytest.raises(InvalidTransition):
        services.application_resume_review(member=analyst, application=application)

    assert kinds(application) == []


def test_a_new_request_replaces_the_open_one(analyst, make_application):
    application = make_application(status=Status.IN_REVIEW)
    first = _open_info_request(analyst, application)

    second = _open_info_request(analyst, application)

    first.refresh_from_db()
    assert first.is_expired
    assert not second.is_expired
    assert application.status == Status.INFO_REQUESTED
    assert kinds(application) == [Kind.INFO_REQUESTED, Kind.INFO_REQUESTED]


def test_a_stale_approval_after_another_info_round_is_refused(analyst, approver, make_application):
    application = make_application(status=Status.IN_REVIEW)
    services.application_request_approval(member=analyst, application=application)
    stale = CreditApplication.objects.get(pk=application.pk)
    info_request = _open_info_request(analyst, application)
    services.info_request_respond(info_request=info_request, message="More", certificates=[])

    with pytest.raises(InvalidTransition, match="not waiting for approval"):
        services.application_approve(
            member=approver,
            application=stale,
            credit_limit=Decimal("1000"),
            terms=CreditApplication.Terms.NET_30,
        )

    application.refresh_from_db()
    assert application.status == Status.IN_REVIEW
    assert application.decided_by is None


def test_assigning_a_decided_application_is_refused(analyst, make_application):
    declined = make_application(status=Status.DECLINED)

    with pytest.raises(InvalidTransition, match="already decided"):
        services.application_assign(member=analyst, application=declined, analyst=analyst.user)

    declined.refresh_from_db()
    assert declined.assigned_analyst is None


def test_certificate_details_are_checked_by_the_service(customer):
    from certificates.services import InvalidCertificateDetails

    upload = certificate_upload(
        make_pdf(), effective_date=date(2026, 5, 1), expiration_date=date(2026, 4, 1)
    )

    with pytest.raises(InvalidCertificateDetails, match="before the effective date"):
        certificate_create(
            customer=customer, upload=upload, source=TaxExemptionCertificate.Source.API
        )

    assert customer.certificates.count() == 0


def test_a_failed_response_leaves_no_files_behind(analyst, make_application, settings):
    application = make_application(status=Status.IN_REVIEW)
    info_request = _open_info_request(analyst, application)
    content = make_pdf(text="twice")

    with pytest.raises(DuplicateCertificate):
        services.info_request_respond(
            info_request=info_request,
            message="",
            certificates=[certificate_upload(content), certificate_upload(content)],
        )

    stored = [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    assert stored == []
    assert TaxExemptionCertificate.objects.count() == 0
