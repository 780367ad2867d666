"""The status sync under every fault Avalara can answer its query with, then recovery: the run
fails with the user-facing code and changes nothing; the next run picks it up and completes,
marking nothing missing that Avalara still has."""

import pytest

from integrations.avalara import AvalaraError
from integrations.avalara import client as avalara_client
from integrations.models import AvalaraCertificate, AvalaraSyncRun, Badge
from tests.integrations.status.test_sync import run_sync
from tests.integrations.status.test_sync import sent as sent  # the fixture

Status = AvalaraSyncRun.Status
HTML_PAGE = "<html><body>Bad gateway</body></html>"
AVALARA_400 = {"error": {"code": "InvalidParameterValue", "message": "$filter is not valid."}}
FAULTS = {
    "429": ({"status": 429, "retry_after": 1}, "UNABLE_TO_CONNECT"),
    "500": ({"status": 500}, "UNKNOWN_ERROR"),
    "503": ({"status": 503}, "UNABLE_TO_CONNECT"),
    "html-error-page": (
        {"status": 502, "body": HTML_PAGE, "content_type": "text/html"},
        "UNABLE_TO_CONNECT",
    ),
    "malformed-json": ({"status": 200, "body": '{"value": [{"id": 1'}, "UNKNOWN_ERROR"),
    "read-timeout": ({"timeout_ms": 1200}, "UNABLE_TO_CONNECT"),
    "401": ({"status": 401}, "INVALID_CREDENTIALS"),
    "400-error-body": ({"status": 400, "body": AVALARA_400}, "UNKNOWN_ERROR"),
}


@pytest.mark.parametrize("name", FAULTS)
def test_a_sync_meeting_a_fault_changes_nothing_and_the_next_run_completes(
    name, sent, connected, simulator, settings, monkeypatch
):
    monkeypatch.setattr(avalara_client, "_sleep", lambda seconds: None)
    settings.AVALARA_TIMEOUT = 0.3
    rule, code = FAULTS[name]
    before = sorted(AvalaraCertificate.objects.values_list("pk", "badge", "synced_at"))
    simulator.state.faults.add(operation="QueryCertificates", **rule)

    with pytest.raises(AvalaraError) as caught:
        run_sync(connected, full=True)

    failed = AvalaraSyncRun.objects.get()
    assert (caught.value.code.value, failed.status, failed.error_code) == (
        code,
        Status.FAILED,
        code,
    )
    assert sorted(AvalaraCertificate.objects.values_list("pk", "badge", "synced_at")) == before
    simulator.state.faults.clear()

    resumed = run_sync(connected, full=True)

    assert (resumed.pk, resumed.status, resumed.marked_missing) == (failed.pk, Status.DONE, 0)
    assert set(AvalaraCertificate.objects.values_list("badge", flat=True)) == {Badge.VALID}
