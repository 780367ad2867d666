"""The send through the API, and importing existing customers' Avalara IDs."""

import io

import pytest
from django.core.management import CommandError, call_command

from integrations.models import AvalaraCustomer, AvalaraSend
from tests.creditapps.test_api import token_client
from tests.integrations.sending.helpers import COMPANY_ID, add_certificate, company


def test_the_api_queues_a_send_with_202_and_shows_its_progress(
    analyst_user, application, connected, simulator, committed
):
    api = token_client(analyst_user)
    add_certificate(application.customer, regions=["KS", "NE"])

    with committed():
        response = api.post(f"/api/v1/credit-applications/{application.pk}/send-to-avalara/")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["customer_code"].startswith("NUVO_")
    progress = api.get(body["url"]).json()
    assert progress["status"] == "done"
    assert sorted(item["region"] for item in progress["certificates"]) == ["KS", "NE"]
    assert {item["state"] for item in progress["certificates"]} == {"sent"}
    assert len(company(simulator).certificates) == 2


def test_the_customer_endpoint_sends_the_same_way(analyst_user, customer, connected, committed):
    add_certificate(customer)

    with committed():
        response = token_client(analyst_user).post(
            f"/api/v1/customers/{customer.pk}/send-to-avalara/"
        )

    assert response.status_code == 202
    assert AvalaraSend.objects.get().trigger == AvalaraSend.Trigger.API


@pytest.mark.parametrize(
    ("setup", "code"),
    [("no_connection", "CREDENTIALS_NOT_CONFIGURED"), ("no_certificates", "NO_CERTIFICATES_FOUND")],
)
def test_the_api_answers_the_guides_codes_with_409(
    analyst_user, customer, simulator, admin_member, committed, setup, code
):
    if setup == "no_certificates":
        from tests.integrations.sending.helpers import connect

        with committed():
            connect(admin_member)
    else:
        add_certificate(customer)

    response = token_client(analyst_user).post(f"/api/v1/customers/{customer.pk}/send-to-avalara/")

    assert response.status_code == 409
    assert response.json()["code"] == code
    assert response.json()["resolution"]


def test_approvers_and_other_organizations_cannot_send_through_the_api(
    approver_user, outsider_user, customer, connected
):
    add_certificate(customer)
    url = f"/api/v1/customers/{customer.pk}/send-to-avalara/"

    assert token_client(approver_user).post(url).status_code == 403
    assert token_client(outsider_user).post(url).status_code == 404
    assert not AvalaraSend.objects.exists()


def write_csv(tmp_path, text: str):
    path = tmp_path / "codes.csv"
    path.write_text(text)
    return path


def run_import(path, *options):
    out = io.StringIO()
    call_command(
        "import_avalara_customers", str(path), "--organization", "acme", *options, stdout=out
    )
    return out.getvalue()


def test_a_dry_run_reports_every_row_and_changes_nothing(tmp_path, make_customer, connected):
    make_customer(legal_name="Match By Tax", tax_id="11-1111111", email="t@t.example")
    make_customer(legal_name="Twin", email="twin@x.example")
    make_customer(legal_name="Twin 2", email="twin@x.example")
    path = write_csv(
        tmp_path,
        "customer_code,tax_id,email,name\n"
        "CUST-1,11-1111111,,\n"
        "CUST-2,,twin@x.example,\n"
        "CUST-3,,,Nobody Inc.\n"
        ",,,Match By Tax\n",
    )

    output = run_import(path, "--dry-run")

    assert "CUST-1 → Match By Tax: matched (by tax ID)" in output
    assert "CUST-2: ambiguous (several customers have this email)" in output
    assert "CUST-3: unmatched" in output
    assert "line 5: : invalid (customer_code is empty)" in output
    assert "Would import 1 Avalara ID(s). 1 matched, 1 unmatched, 1 ambiguous, 1 invalid" in output
    assert not AvalaraCustomer.objects.exists()


def test_an_import_keeps_the_codes_as_sent_and_never_overwrites_one(
    tmp_path, make_customer, connected, simulator, analyst, send
):
    first = make_customer(legal_name="First Co.", email="first@x.example")
    second = make_customer(legal_name="Second Co.", email="second@x.example")
    AvalaraCustomer.objects.create(
        organization=second.organization,
        customer=second,
        customer_code="OLD-2",
        company_id=COMPANY_ID,
        confirmed_at="2026-01-02T00:00:00Z",  # Avalara holds it
    )
    with simulator.state.lock:
        simulator.state.ecm.create_customers(
            company(simulator),
            [
                {
                    "customerCode": "ERP-0001",
                    "name": "First Co.",
                    "line1": "1 Main St",
                    "city": "Austin",
                    "region": "TX",
                    "postalCode": "78701",
                    "country": "US",
                }
            ],
        )
    path = write_csv(
        tmp_path, "customer_code,email\nERP-0001,first@x.example\nERP-0002,second@x.example\n"
    )

    output = run_import(path)

    assert "Imported 1 Avalara ID(s)" in output
    assert "Second Co. already has Avalara ID OLD-2" in output
    record = AvalaraCustomer.objects.get(customer=first)
    assert (record.customer_code, record.source, record.is_confirmed) == (
        "ERP-0001",
        AvalaraCustomer.Source.IMPORTED,
        False,  # not verified: the first send looks it up before creating anything
    )
    add_certificate(first)
    simulator.state.clear_requests()
    send(analyst, first)
    assert simulator.state.count("GetCustomer") == 1
    assert simulator.state.count("CreateCustomers") == 0
    assert {code for _id, code in company(simulator).links} == {"ERP-0001"}


def test_an_import_replaces_a_code_nuvo_generated_but_never_used(
    tmp_path, make_customer, connected
):
    first = make_customer(legal_name="First Co.", email="first@x.example")
    AvalaraCustomer.objects.create(
        organization=first.organization,
        customer=first,
        customer_code="NUVO_unused",
        company_id=COMPANY_ID,
    )

    output = run_import(write_csv(tmp_path, "customer_code,email\nERP-0001,first@x.example\n"))

    assert "Imported 1 Avalara ID(s)" in output
    assert AvalaraCustomer.objects.get(customer=first).customer_code == "ERP-0001"


def test_verify_looks_each_code_up_in_avalara(tmp_path, make_customer, connected, simulator):
    make_customer(legal_name="Ghost Co.", email="ghost@x.example")
    path = write_csv(tmp_path, "customer_code,email\nNOT-THERE,ghost@x.example\n")

    output = run_import(path, "--verify")

    assert "NOT-THERE → Ghost Co.: not in Avalara" in output
    assert simulator.state.count("GetCustomer") == 1
    assert not AvalaraCustomer.objects.exists()


def test_an_unknown_organization_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="No organization with slug 'acme'"):
        run_import(write_csv(tmp_path, "customer_code,email\n"))


def test_operators_import_avalara_ids_in_the_admin_after_a_dry_run_preview(
    client, django_user_model, make_customer, connected
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    customer = make_customer(legal_name="Admin Import Co.", email="import@x.example")
    AvalaraCustomer.objects.create(  # a code Nuvo generated and never used: the import replaces it
        organization=customer.organization,
        customer=customer,
        customer_code="NUVO_unused",
        company_id=COMPANY_ID,
    )
    operator = django_user_model.objects.create_superuser("op", "op@x.example", "op-password")
    client.force_login(operator)
    url = "/admin/integrations/avalaracustomer/import/"
    upload = SimpleUploadedFile(
        "codes.csv",
        b"customer_code,email\nERP-9,import@x.example\nERP-10,nobody@x.example\n",
        content_type="text/csv",
    )
    preview = client.post(
        url,
        {
            "organization": connected.organization_id,
            "format": "0",
            "import_file": upload,
        },
    )

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "unmatched: no customer with this tax ID, email or name" in html
    assert AvalaraCustomer.objects.get().customer_code == "NUVO_unused"

    clean = SimpleUploadedFile(
        "codes.csv", b"customer_code,email\nERP-9,import@x.example\n", content_type="text/csv"
    )
    preview = client.post(
        url, {"organization": connected.organization_id, "format": "0", "import_file": clean}
    )
    confirm = preview.context["confirm_form"].initial
    done = client.post("/admin/integrations/avalaracustomer/process_import/", confirm)

    assert done.status_code == 302
    record = AvalaraCustomer.objects.get()
    assert (record.customer_code, record.source) == ("ERP-9", AvalaraCustomer.Source.IMPORTED)
    assert not record.is_confirmed  # the first send looks ERP-9 up before creating anything


def test_organization_admins_cannot_reach_the_import(admin_client_member, connected):
    response = admin_client_member.get("/admin/integrations/avalaracustomer/import/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_imported_code_takes_the_unused_codes_unsent_certificates_to_its_company(
    analyst, customer, connected, simulator, send
):
    from integrations.models import AvalaraCertificate
    from integrations.services.imports import import_avalara_customers

    certificate = add_certificate(customer, regions=["TX"])
    AvalaraCustomer.objects.create(
        organization=customer.organization,
        customer=customer,
        customer_code="NUVO_unused",
        company_id=7100002,  # an earlier connection's company; nothing reached it
    )
    AvalaraCertificate.objects.create(
        organization=customer.organization,
        certificate=certificate,
        region="TX",
        company_id=7100002,
        state=AvalaraCertificate.State.FAILED,
    )

    report = import_avalara_customers(
        organization=customer.organization,
        company_id=COMPANY_ID,
        rows=[{"customer_code": "ERP-1", "email": customer.email}],
        dry_run=False,
    )
    send(analyst, customer)

    assert [row.outcome for row in report.rows] == ["matched"]
    (row,) = AvalaraCertificate.objects.all()
    assert (row.company_id, row.state) == (COMPANY_ID, AvalaraCertificate.State.SENT)
    assert len(company(simulator).certificates) == 1
    assert list(company(simulator).customers) == ["ERP-1"]
