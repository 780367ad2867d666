"""Certificate status sync against the simulator: paging, watermark, resume, 429, from Avalara."""

import io
from datetime import date, timedelta
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.utils import timezone

from integrations.avalara import AvalaraError, ErrorCode
from integrations.avalara import client as avalara_client
from integrations.models import (
    AvalaraCertificate,
    AvalaraCustomer,
    AvalaraOnlyCertificate,
    AvalaraSyncRun,
    Badge,
)
from integrations.services import sync
from integrations.services.connection import avalara_client_get
from integrations.services.sync import certificate_status_sync, customer_status_refresh
from tests.integrations.sending.helpers import COMPANY_ID, add_certificate, company

Status = AvalaraSyncRun.Status


def run_sync(connection, *, full=False):
    client, connection = avalara_client_get(organization=connection.organization, interactive=False)
    with client:
        return certificate_status_sync(connection=connection, client=client, full=full)


def avalara_certificate(simulator, code, *, zone="Texas", **fields):
    """A certificate added in CertCapture directly, linked to `code`."""
    item = {
        "signedDate": "2026-01-15",
        "expirationDate": "2029-12-31",
        "exemptionReason": {"name": "RESALE"},
        "exposureZone": {"name": zone},
        "filename": "scan.pdf",
        "customers": [{"customerCode": code}],
        **fields,
    }
    with simulator.state.lock:
        (created,) = simulator.state.ecm.create_certificates(
            company(simulator), [item], prevalidated=False
        )
    return created


@pytest.fixture
def sent(analyst, customer, connected, send):
    add_certificate(customer, regions=["TX"])
    add_certificate(customer, regions=["KS", "NE"], text="Multistate")
    send(analyst, customer)
    return AvalaraCustomer.objects.get(customer=customer)


def queries(simulator, operation="QueryCertificates"):
    return [parse_qs(record.query) for record in simulator.state.requests(operation)]


def test_a_full_sync_pages_at_avalaras_maximum_with_equal_steps_one_order_and_customers(
    sent, connected, simulator, monkeypatch
):
    monkeypatch.setattr(sync, "PAGE_SIZE", 2)
    simulator.state.clear_requests()

    run = run_sync(connected, full=True)

    assert run.status == Status.DONE
    assert (run.pages, run.certificates_read, run.rows_updated) == (2, 3, 3)
    assert [q["$skip"] for q in queries(simulator)] == [["0"], ["2"]]
    assert all(q["$top"] == ["2"] and q["$orderBy"] == ["id ASC"] for q in queries(simulator))
    assert all(q["$include"] == ["customers"] for q in queries(simulator))
    assert simulator.state.count() == 2  # never one request per certificate
    assert set(AvalaraCertificate.objects.values_list("badge", flat=True)) == {Badge.VALID}


def test_page_size_is_avalaras_maximum():
    assert sync.PAGE_SIZE == 1000


def test_a_change_at_avalara_shows_after_an_incremental_sync_from_the_day_before(
    sent, connected, simulator
):
    first = run_sync(connected, full=True)
    texas = AvalaraCertificate.objects.get(region="TX")
    simulator.state.change_certificate(COMPANY_ID, texas.avalara_id, valid=False)
    simulator.state.clear_requests()

    second = run_sync(connected)

    assert second.kind == AvalaraSyncRun.Kind.INCREMENTAL
    assert second.modified_since == timezone.localdate(first.started_at) - timedelta(days=1)
    (query,) = queries(simulator)
    assert query["$filter"] == [f"modifiedDate ge '{second.modified_since.isoformat()}'"]
    texas.refresh_from_db()
    assert (texas.badge, texas.badge_reason) == (Badge.INVALID, "Not valid")


def test_a_sync_that_fails_mid_way_keeps_its_pages_and_the_next_run_resumes(
    sent, connected, simulator, monkeypatch
):
    monkeypatch.setattr(sync, "PAGE_SIZE", 1)
    real_page = avalara_client.AvaTaxClient.query_certificates_page
    failures = [1]  # the $skip that fails, once

    def fails_once_at_the_second_page(self, company_id, *, skip, **options):
        if skip in failures:
            failures.remove(skip)
            raise AvalaraError(ErrorCode.UNABLE_TO_CONNECT, retryable=True, reason="test")
        return real_page(self, company_id, skip=skip, **options)

    monkeypatch.setattr(
        avalara_client.AvaTaxClient,
        "query_certificates_page",
        fails_once_at_the_second_page,
    )
    with pytest.raises(AvalaraError):
        run_sync(connected, full=True)
    failed = AvalaraSyncRun.objects.get()
    assert (failed.status, failed.pages, failed.next_skip) == (Status.FAILED, 1, 1)
    assert failed.error_code == "UNABLE_TO_CONNECT"
    assert AvalaraCertificate.objects.filter(synced_at__isnull=False).count() == 3  # from send
    simulator.state.clear_requests()

    resumed = run_sync(connected, full=True)

    assert resumed.pk == failed.pk
    assert resumed.status == Status.DONE
    assert [q["$skip"] for q in queries(simulator)] == [["1"], ["2"]]
    assert resumed.certificates_read == 3


def test_an_incremental_run_between_a_stopped_full_pass_and_its_resume_marks_nothing_missing(
    sent, connected, simulator, monkeypatch
):
    run_sync(connected, full=True)
    monkeypatch.setattr(sync, "PAGE_SIZE", 1)
    real_page = avalara_client.AvaTaxClient.query_certificates_page
    failures = [1]

    def fails_once_at_the_second_page(self, company_id, *, skip, **options):
        if skip in failures and not options.get("filter"):
            failures.remove(skip)
            raise AvalaraError(ErrorCode.UNABLE_TO_CONNECT, retryable=True, reason="test")
        return real_page(self, company_id, skip=skip, **options)

    monkeypatch.setattr(
        avalara_client.AvaTaxClient, "query_certificates_page", fails_once_at_the_second_page
    )
    with pytest.raises(AvalaraError):
        run_sync(connected, full=True)
    incremental = run_sync(connected)
    assert (incremental.kind, incremental.certificates_read) == (AvalaraSyncRun.Kind.INCREMENTAL, 3)

    resumed = run_sync(connected, full=True)

    assert resumed.marked_missing == 0
    assert set(AvalaraCertificate.objects.values_list("badge", flat=True)) == {Badge.VALID}


def test_a_429_during_a_sync_waits_for_retry_after_and_goes_on(
    sent, connected, simulator, monkeypatch
):
    waits = []
    monkeypatch.setattr(avalara_client, "_sleep", waits.append)
    simulator.state.faults.add(operation="QueryCertificates", status=429, retry_after=2, first_n=1)

    run = run_sync(connected, full=True)

    assert run.status == Status.DONE
    assert waits == [2.0]
    assert simulator.state.count("QueryCertificates") == 2


def test_certificates_added_in_avalara_for_a_nuvo_customer_are_listed_from_avalara(
    sent, connected, simulator
):
    avalara_certificate(simulator, sent.customer_code, zone="Oklahoma")
    avalara_certificate(simulator, "SOMEONE_ELSE", zone="Ohio")

    run_sync(connected, full=True)

    (only,) = AvalaraOnlyCertificate.objects.all()
    assert (only.customer_id, only.region, only.badge) == (sent.customer_id, "OK", Badge.VALID)
    run_sync(connected, full=True)
    assert AvalaraOnlyCertificate.objects.count() == 1  # idempotent


def test_a_full_sync_marks_what_avalara_no_longer_has_as_missing(sent, connected, simulator):
    texas = AvalaraCertificate.objects.get(region="TX")
    with simulator.state.lock:
        del simulator.state.companies[COMPANY_ID].certificates[texas.avalara_id]

    run = run_sync(connected, full=True)

    assert run.marked_missing == 1
    texas.refresh_from_db()
    assert (texas.badge, texas.badge_reason) == (Badge.MISSING, "Not found in Avalara")


def test_a_certificate_unlinked_from_the_customer_shows_missing(sent, connected, simulator):
    texas = AvalaraCertificate.objects.get(region="TX")
    held = simulator.state.companies[COMPANY_ID]
    with simulator.state.lock:
        held.links.discard((texas.avalara_id, sent.customer_code))

    run_sync(connected, full=True)

    texas.refresh_from_db()
    assert texas.badge == Badge.MISSING
    assert texas.badge_reason == "No longer linked to this customer's Avalara ID"


def test_expired_at_avalara_shows_invalid(sent, connected, simulator):
    texas = AvalaraCertificate.objects.get(region="TX")
    simulator.state.change_certificate(
        COMPANY_ID, texas.avalara_id, expirationDate=date(2020, 1, 1), signedDate=date(2019, 1, 1)
    )

    run_sync(connected, full=True)

    texas.refresh_from_db()
    assert (texas.badge, texas.avalara_ecm_status) == (Badge.INVALID, "Expired")


def test_refreshing_one_customer_reads_only_its_certificates(sent, connected, simulator):
    simulator.state.clear_requests()
    client, _ = avalara_client_get(organization=connected.organization)
    with client:
        refreshed = customer_status_refresh(customer=sent.customer, client=client)

    assert refreshed == 3
    assert simulator.state.count() == 1
    assert simulator.state.count("ListCertificatesForCustomer") == 1


def test_the_command_syncs_without_redis(sent, connected, simulator):
    out = io.StringIO()

    call_command("sync_certificate_status", "--full", "--organization", "acme", stdout=out)

    assert "full sync, 1 page(s), 3 certificate(s) read, 3 updated" in out.getvalue()


def test_a_sent_certificate_shows_avalaras_status_at_once(sent):
    row = AvalaraCertificate.objects.get(region="TX")

    assert row.found_in_avalara is True
    assert row.badge == Badge.VALID
    assert row.badge_reason == "Valid, pending review at Avalara"
