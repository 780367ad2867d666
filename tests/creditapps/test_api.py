import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certificates.models import TaxExemptionCertificate
from certificates.services import certificate_create
from creditapps.models import CreditApplication
from tests.creditapps.test_services import certificate_upload
from tests.pdf_factory import make_encrypted_pdf, make_pdf

Status = CreditApplication.Status


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def analyst_api(analyst_user) -> APIClient:
    return token_client(analyst_user)


@pytest.fixture
def approver_api(approver_user) -> APIClient:
    return token_client(approver_user)


@pytest.fixture
def outsider_api(outsider_user) -> APIClient:
    return token_client(outsider_user)


@pytest.fixture
def certificate(customer, pdf_bytes) -> TaxExemptionCertificate:
    return certificate_create(
        customer=customer,
        upload=certificate_upload(pdf_bytes),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )


def test_api_requires_authentication(client, db):
    for url in ["/api/v1/customers/", "/api/v1/credit-applications/", "/api/v1/certificates/"]:
        assert APIClient().get(url).status_code == 401


def test_api_refuses_a_user_without_an_organization(make_user):
    response = token_client(make_user("lonely")).get("/api/v1/customers/")

    assert response.status_code == 403
    assert response.json()["detail"] == "Your account is not a member of any organization."


def test_session_authentication_works_for_the_api(analyst_client, application):
    response = analyst_client.get("/api/v1/credit-applications/")

    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [application.reference]


def test_lists_only_show_the_callers_organization(outsider_api, application, certificate):
    for url in ["/api/v1/customers/", "/api/v1/credit-applications/", "/api/v1/certificates/"]:
        response = outsider_api.get(url)
        assert response.status_code == 200
        assert response.json()["results"] == [], url


def test_another_organizations_records_are_not_found(outsider_api, application, certificate):
    base = f"/api/v1/credit-applications/{application.pk}"
    urls = [
        ("get", f"/api/v1/customers/{application.customer_id}/"),
        ("patch", f"/api/v1/customers/{application.customer_id}/"),
        ("get", f"{base}/"),
        *[
            ("post", f"{base}/{action}/")
            for action in (
                "submit",
                "start-review",
                "request-info",
                "request-approval",
                "approve",
                "decline",
            )
        ],
        ("get", f"/api/v1/certificates/{certificate.pk}/"),
        ("get", f"/api/v1/certificates/{certificate.pk}/download/"),
    ]
    payload = {
        "items": ["other"],
        "comment": "x",
        "credit_limit": "1",
        "terms": "net_30",
        "legal_name": "Hijacked",
    }
    for method, url in urls:
        assert getattr(outsider_api, method)(url, payload, format="json").status_code == 404, url
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.customer.legal_name == "Lone Star Restaurant Supply LLC"


def test_records_cannot_be_created_for_another_organizations_customer(
    outsider_api, customer, pdf_bytes
):
    draft = outsider_api.post(
        "/api/v1/credit-applications/",
        {"customer": customer.pk, "requested_credit_limit": "10", "requested_terms": "net_30"},
        format="json",
    )
    upload = outsider_api.post(
        "/api/v1/certificates/", _certificate_form(customer, make_pdf()), format="multipart"
    )

    assert (draft.status_code, upload.status_code) == (404, 404)
    assert CreditApplication.objects.count() == 0
    assert customer.certificates.count() == 0


@pytest.mark.parametrize(
    ("who", "action", "payload"),
    [
        ("approver", "start-review", {}),
        ("approver", "request-info", {"items": ["other"]}),
        ("approver", "request-approval", {}),
        ("analyst", "decline", {"comment": "No"}),
    ],
)
def test_role_checks_apply_to_every_transition(
    who, action, payload, analyst_api, approver_api, application
):
    client = {"analyst": analyst_api, "approver": approver_api}[who]

    response = client.post(
        f"/api/v1/credit-applications/{application.pk}/{action}/", payload, format="json"
    )

    assert response.status_code == 403
    assert application.events.count() == 0


def test_application_list_queries_do_not_grow_with_rows(
    analyst_api, make_application, make_customer, django_assert_max_num_queries
):
    for number in range(10):
        application = make_application(customer=make_customer(legal_name=f"Customer {number}"))
        application.trade_references.create(company_name="Supplier")

    with django_assert_max_num_queries(6):
        response = analyst_api.get("/api/v1/credit-applications/")

    assert len(response.json()["results"]) == 10


def test_analyst_creates_a_customer_and_a_draft_application(analyst_api):
    customer = analyst_api.post(
        "/api/v1/customers/",
        {"legal_name": "Bayou Medical", "region": "LA", "ship_to_states": ["LA", "MS"]},
        format="json",
    )
    assert customer.status_code == 201, customer.json()

    application = analyst_api.post(
        "/api/v1/credit-applications/",
        {
            "customer": customer.json()["id"],
            "requested_credit_limit": "30000",
            "requested_terms": "net_30",
            "trade_references": [{"company_name": "Gulf Medical"}],
        },
        format="json",
    )

    assert application.status_code == 201, application.json()
    body = application.json()
    assert body["status"] == "draft"
    assert body["trade_references"] == [
        {"company_name": "Gulf Medical", "contact_name": "", "phone": "", "email": ""}
    ]


def test_an_unknown_region_is_refused(analyst_api):
    response = analyst_api.post(
        "/api/v1/customers/", {"legal_name": "X", "region": "ZZ"}, format="json"
    )

    assert response.status_code == 400
    assert "region" in response.json()


def test_approver_cannot_create_customers(approver_api):
    response = approver_api.post("/api/v1/customers/", {"legal_name": "X"}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == "This action needs the credit analyst role."


def test_transitions_through_the_api_end_to_end(analyst_api, approver_api, application):
    base = f"/api/v1/credit-applications/{application.pk}"

    assert analyst_api.post(f"{base}/start-review/").json()["status"] == "in_review"
    assert analyst_api.post(f"{base}/request-approval/", {"note": "ok"}).json()["awaiting_approval"]
    approved = approver_api.post(
        f"{base}/approve/", {"credit_limit": "20000", "terms": "net_30"}, format="json"
    )

    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["approved_credit_limit"]) == ("approved", "20000.00")
    assert [event["kind"] for event in body["timeline"]] == [
        "review_started",
        "approval_requested",
        "approved",
    ]


def test_an_invalid_transition_is_a_conflict_with_a_code(analyst_api, make_application):
    draft = make_application(status=Status.DRAFT)

    response = analyst_api.post(f"/api/v1/credit-applications/{draft.pk}/start-review/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_analyst_cannot_approve_through_the_api(analyst_api, application):
    response = analyst_api.post(
        f"/api/v1/credit-applications/{application.pk}/approve/",
        {"credit_limit": "1", "terms": "net_30"},
        format="json",
    )

    assert response.status_code == 403


def test_request_info_through_the_api(analyst_api, application):
    response = analyst_api.post(
        f"/api/v1/credit-applications/{application.pk}/request-info/",
        {"items": ["tax_exemption_certificates"], "message": "Please"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["recipient_email"] == "maria@lonestar.example"
    application.refresh_from_db()
    assert application.status == Status.INFO_REQUESTED


def _certificate_form(customer, content: bytes, **extra) -> dict:
    return {
        "customer": customer.pk,
        "file": SimpleUploadedFile("cert.pdf", content, content_type="application/pdf"),
        "exempt_regions": ["TX"],
        "exemption_reason": "RESALE",
        "effective_date": "2026-01-01",
        **extra,
    }


def test_certificate_upload_list_and_download(analyst_api, customer):
    content = make_pdf(pages=3)

    created = analyst_api.post(
        "/api/v1/certificates/", _certificate_form(customer, content), format="multipart"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    listed = analyst_api.get("/api/v1/certificates/", {"customer": customer.pk}).json()
    download = analyst_api.get(body["download_url"])

    assert (body["page_count"], body["source"], body["exempt_regions"]) == (3, "api", ["TX"])
    assert [row["id"] for row in listed["results"]] == [body["id"]]
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"GIF89a not a pdf", "not_a_pdf"),
        (make_encrypted_pdf(), "encrypted"),
        (b"%PDF-1.7\n garbage without structure", "malformed"),
    ],
)
def test_a_refused_pdf_is_a_400_with_a_code(analyst_api, customer, content, code):
    response = analyst_api.post(
        "/api/v1/certificates/", _certificate_form(customer, content), format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert customer.certificates.count() == 0


def test_the_same_certificate_twice_is_refused_through_the_api(analyst_api, customer, certificate):
    response = analyst_api.post(
        "/api/v1/certificates/",
        _certificate_form(customer, certificate.file.read()),
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_file"


def test_openapi_schema_is_served(analyst_client):
    response = analyst_client.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/credit-applications/{id}/approve/" in response.content
