"""The status sync under every fault Avalara can answer its query with, then recovery: the run
fails with the user-facing code and changes nothing; the next run picks it up and completes,
marking nothing missing that Avalara still has."""

import pytest

from integrations.avalara import AvalaraError
from integrations.avalara import client as avalara_client
from integrations.models import AvalaraCertificate, AvalaraSyncRun, Badge
from tests.integrations.read_faults import READ_FAULTS
from tests.integrations.status.test_sync import run_sync
from tests.integrations.status.test_sync import sent as sent  # the fixture

Status = AvalaraSyncRun.Status


@pytest.mark.parametrize("name", READ_FAULTS)
def test_a_sync_meeting_a_fault_changes_nothing_and_the_next_run_completes(
    name, sent, connected, simulator, settings, monkeypatch
):
    monkeypatch.setattr(avalara_client, "_sleep", lambda seconds: None)
    settings.AVALARA_TIMEOUT = 0.3
    rule, code = READ_FAULTS[name]
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
