"""The simulator's certificates: creation rules, ECM status, attachments, and links to customers."""

import json

import pytest

from tests.integrations.simulator_helpers import (
    CERTIFICATES,
    CUSTOMERS,
    LICENSE_KEY,
    b64,
    call,
    certificate,
    create_certificate,
    create_customers,
    customer,
    error_of,
)
from tests.pdf_factory import make_pdf

# Certificates


def test_create_certificate_with_inline_pdf_creates_and_links_the_customers(simulator):
    create_customers(simulator, customer("NUVO_0001"))

    created = create_certificate(
        simulator, customers=[{"customerCode": "NUVO_0001"}, {"customerCode": "NUVO_0002"}]
    )

    assert created["documentExists"] is True
    assert created["pageCount"] == 1
    assert created["valid"] is True
    assert created["ecmStatus"] == "Valid"
    assert created["exemptionReason"] == {"id": 7, "name": "RESALE"}
    assert created["exposureZone"] == {
        "id": 48,
        "name": "Washington",
        "region": "WA",
        "country": "US",
    }
    linked = call(simulator, "GET", f"{CERTIFICATES}/{created['id']}/customers").json()
    assert [c["customerCode"] for c in linked["value"]] == ["NUVO_0001", "NUVO_0002"]


def test_certificate_pdf_that_is_not_a_pdf_is_400_certificates_error_with_certcapture_json(
    simulator,
):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

    response = call(simulator, "POST", CERTIFICATES, json=[certificate(pdf=b64(png))])

    assert error_of(response) == (400, "CertificatesError")
    detail = response.json()["error"]["details"][0]
    assert detail["message"] == "Certificates API returned error"
    assert json.loads(detail["description"].removesuffix(".")) == {
        "success": False,
        "code": "100110",
        "error": {"pdf": ["The uploaded file must be a base64 encoded PDF."]},
    }
    assert call(simulator, "GET", CERTIFICATES).json()["@recordsetCount"] == 0


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"pdf": None}, "MissingRequiredFields"),
        ({"filename": "scan.pdf"}, "ConflictingFields"),
        ({"pdf": ""}, "InvalidPdfOrImageFile"),
        ({"exemptionReason": None}, "MissingExemptReason"),
        ({"exemptionReason": {"name": "EXPOSURE"}}, "InvalidExemptReason"),
        ({"exposureZone": None}, "ValueRequiredError"),
        ({"expirationDate": None}, "ValueRequiredError"),
        # As strict as AvaTax's model binding: types and formats of the spec.
        ({"valid": "false"}, "ModelStateInvalid"),
        ({"isSingleCertificate": "true"}, "ModelStateInvalid"),
        ({"exemptionNumber": 12345}, "ModelStateInvalid"),
        ({"signedDate": "2024-01-15T00:00:00"}, "DateFormatError"),
        ({"poNumbers": [{"number": "PO-1"}]}, "ValueRequiredError"),
        ({"pdf": b64(b"%PDF-1.7\n1 0 obj << >> endobj\n")}, "CertificatesError"),
    ],
)
def test_invalid_certificates_are_400_with_avalaras_code(simulator, overrides, code):
    response = call(simulator, "POST", CERTIFICATES, json=[certificate(**overrides)])

    assert error_of(response) == (400, code)
    assert call(simulator, "GET", CERTIFICATES).json()["@recordsetCount"] == 0


@pytest.mark.parametrize(
    ("overrides", "ecm_status"),
    [
        ({"expirationDate": "2001-01-01", "signedDate": "2000-01-01"}, "Expired"),
        ({"signedDate": "2098-01-01"}, "PendingFuture"),
        ({"valid": False}, "Invalid"),
        ({}, "Valid"),
    ],
)
def test_certificate_ecm_status_follows_dates_and_validity(simulator, overrides, ecm_status):
    assert create_certificate(simulator, **overrides)["ecmStatus"] == ecm_status


def test_prevalidated_certificate_is_verified(simulator):
    response = call(
        simulator,
        "POST",
        CERTIFICATES,
        params={"$preValidatedExemptionReason": "true"},
        json=[certificate()],
    )

    assert (response.json()[0]["verified"], response.json()[0]["status"]) == (True, "COMPLETE")


def test_update_and_delete_certificate(simulator):
    created = create_certificate(simulator)
    changed = certificate(exposureZone={"name": "Oregon"}, pdf=None)

    updated = call(simulator, "PUT", f"{CERTIFICATES}/{created['id']}", json=changed)
    deleted = call(simulator, "DELETE", f"{CERTIFICATES}/{created['id']}")

    assert (updated.json()["exposureZone"]["region"], updated.json()["documentExists"]) == (
        "OR",
        True,
    )
    assert deleted.json()[0]["code"] == "DeleteInformation"
    assert error_of(call(simulator, "GET", f"{CERTIFICATES}/{created['id']}")) == (
        404,
        "EntityNotFoundError",
    )


# Attachments


def test_uploaded_attachment_downloads_as_identical_pdf_bytes(simulator):
    created = create_certificate(simulator, pdf=None, filename="scan.pdf")
    document = make_pdf(pages=2, text="line\r\nbreaks --boundary\n")
    attachment = f"{CERTIFICATES}/{created['id']}/attachment"

    uploaded = call(
        simulator, "POST", attachment, files={"file": ("scan.pdf", document, "application/pdf")}
    )
    downloaded = call(simulator, "GET", attachment, params={"$type": "Pdf"})

    assert (uploaded.status_code, uploaded.json()) == (200, "OK")
    assert downloaded.headers["Content-Type"] == "application/pdf"
    assert downloaded.content == document
    fetched = call(simulator, "GET", f"{CERTIFICATES}/{created['id']}").json()
    assert (created["documentExists"], fetched["documentExists"]) == (False, True)
    assert fetched["pageCount"] == 2


def test_attachment_upload_that_is_not_multipart_is_400_invalid_request_content_type(simulator):
    created = create_certificate(simulator)

    response = call(
        simulator, "POST", f"{CERTIFICATES}/{created['id']}/attachment", json={"file": "JVBERi0="}
    )

    assert error_of(response) == (400, "InvalidRequestContentType")


def test_attachment_upload_without_a_file_is_400_invalid_pdf_or_image_file(simulator):
    created = create_certificate(simulator)

    response = call(simulator, "POST", f"{CERTIFICATES}/{created['id']}/attachment", data=b"")

    assert error_of(response) == (400, "InvalidPdfOrImageFile")


def test_download_of_certificate_without_document_is_404(simulator):
    created = create_certificate(simulator, pdf=None, filename="scan.pdf")

    response = call(simulator, "GET", f"{CERTIFICATES}/{created['id']}/attachment")

    assert error_of(response) == (404, "EntityNotFoundError")


# Links


def test_link_and_unlink_certificates_drive_the_customers_exemption_status(simulator):
    create_customers(simulator, customer("NUVO_0001"))
    cert = create_certificate(simulator)
    link = CUSTOMERS + "/NUVO_0001/certificates/link"
    exempt_in_wa = CUSTOMERS + "/NUVO_0001/certificates/US/WA"

    linked = call(simulator, "POST", link, json={"certificates": [cert["id"]]})
    status_linked = call(simulator, "GET", exempt_in_wa).json()
    status_oregon = call(simulator, "GET", CUSTOMERS + "/NUVO_0001/certificates/US/OR").json()
    unlinked = call(
        simulator,
        "POST",
        CUSTOMERS + "/NUVO_0001/certificates/unlink",
        json={"certificates": [cert["id"]]},
    )

    assert [c["id"] for c in linked.json()["value"]] == [cert["id"]]
    assert status_linked["status"] == "Exempt"
    assert status_linked["certificate"]["id"] == cert["id"]
    assert status_oregon == {"status": "NotExempt"}
    assert unlinked.status_code == 200
    assert call(simulator, "GET", exempt_in_wa).json() == {"status": "NotExempt"}
    assert call(simulator, "GET", CUSTOMERS + "/NUVO_0001/certificates").json()["value"] == []


def test_linking_an_unknown_certificate_is_404_and_links_nothing(simulator):
    create_customers(simulator, customer("NUVO_0001"))

    response = call(
        simulator, "POST", CUSTOMERS + "/NUVO_0001/certificates/link", json={"certificates": [99]}
    )

    assert error_of(response) == (404, "EntityNotFoundError")


def test_customer_certificates_include_their_linked_customers(simulator):
    create_customers(simulator, customer("NUVO_0001"), customer("NUVO_0002"))
    cert = create_certificate(simulator, customers=[{"customerCode": "NUVO_0001"}])
    call(
        simulator,
        "POST",
        f"{CERTIFICATES}/{cert['id']}/customers/link",
        json={"customers": ["NUVO_0002"]},
    )

    plain = call(simulator, "GET", CUSTOMERS + "/NUVO_0001/certificates").json()
    included = call(
        simulator, "GET", CUSTOMERS + "/NUVO_0001/certificates", params={"$include": "customers"}
    ).json()

    assert "customers" not in plain["value"][0]
    assert [c["customerCode"] for c in included["value"][0]["customers"]] == [
        "NUVO_0001",
        "NUVO_0002",
    ]


def test_unlinking_customers_from_a_certificate(simulator):
    cert = create_certificate(simulator, customers=[{"customerCode": "A"}, {"customerCode": "B"}])

    response = call(
        simulator,
        "POST",
        f"{CERTIFICATES}/{cert['id']}/customers/unlink",
        json={"customers": ["A"]},
    )

    assert [c["customerCode"] for c in response.json()["value"]] == ["A"]
    remaining = call(simulator, "GET", f"{CERTIFICATES}/{cert['id']}/customers").json()["value"]
    assert [c["customerCode"] for c in remaining] == ["B"]


def test_a_certificate_without_exempt_percentage_is_stored_as_not_exempt(simulator):
    created = create_certificate(simulator, exemptPercentage=None)

    assert created["exemptPercentage"] == 0


def test_po_numbers_are_kept(simulator):
    created = create_certificate(simulator, poNumbers=[{"poNumber": "PO-77"}])

    stored = simulator.state.companies[7100001].certificates[created["id"]]
    assert stored.fields["poNumbers"] == [{"poNumber": "PO-77"}]


def test_a_json_body_with_another_content_type_is_refused(simulator):
    body = json.dumps([customer()])

    response = call(simulator, "POST", CUSTOMERS, data=body, headers={"Content-Type": "text/plain"})

    assert response.status_code == 415
    assert call(simulator, "GET", CUSTOMERS).json()["@recordsetCount"] == 0


def test_each_account_has_its_own_exemption_reasons(simulator):
    older = call(simulator, "GET", "/api/v2/definitions/certificateexemptreasons", auth=LICENSE_KEY)
    names = {reason["name"] for reason in older.json()["value"]}

    assert "MANUFACTURER" in names
    assert "INDUSTRIAL PROD/MANUFACTURERS" not in names
    refused = call(
        simulator,
        "POST",
        "/api/v2/companies/7100002/certificates",
        auth=LICENSE_KEY,
        json=[certificate(exemptionReason={"name": "INDUSTRIAL PROD/MANUFACTURERS"})],
    )
    assert error_of(refused) == (400, "InvalidExemptReason")


def test_a_missing_customer_can_be_answered_with_certcaptures_error(simulator):
    simulator.state.missing_customer_as_certificates_error = True

    response = call(simulator, "GET", f"{CUSTOMERS}/NUVO_missing")

    assert error_of(response) == (400, "CertificatesError")
    assert response.json()["error"]["details"][0]["number"] == 1203
    simulator.state.reset()
    assert error_of(call(simulator, "GET", f"{CUSTOMERS}/NUVO_missing")) == (
        404,
        "EntityNotFoundError",
    )
