"""Every row of the status table (integrations/services/status.py), and its order."""

from datetime import date

import pytest

from integrations.models import Badge
from integrations.services.status import STATUS_TABLE, Observed, badge_for

TODAY = date(2026, 12, 1)


def seen(**fields) -> Observed:
    return Observed(**{"sent": True, "found": True, "valid": True, "today": TODAY, **fields})


@pytest.mark.parametrize(
    ("observed", "badge", "reason"),
    [
        (seen(sent=False, found=None), Badge.MISSING, "Not sent to Avalara yet"),
        (seen(found=None), Badge.MISSING, "Not synced from Avalara yet"),
        (seen(found=False), Badge.MISSING, "Not found in Avalara"),
        (seen(linked=False), Badge.MISSING, "No longer linked to this customer's Avalara ID"),
        (seen(ecm_status="Expired"), Badge.INVALID, "Expired"),
        (seen(expiration_date=date(2026, 11, 30)), Badge.INVALID, "Expired"),
        (seen(valid=False), Badge.INVALID, "Not valid"),
        (seen(ecm_status="Invalid"), Badge.INVALID, "Not valid"),
        (
            seen(ecm_status="PendingFuture"),
            Badge.INVALID,
            "Not valid yet: its effective date is in the future",
        ),
        (seen(status="PENDING"), Badge.VALID, "Valid, pending review at Avalara"),
        (seen(status="COMPLETE"), Badge.VALID, "Current and valid"),
        (seen(valid=None), Badge.MISSING, "Avalara's status is unknown"),
    ],
)
def test_each_row_of_the_table(observed, badge, reason):
    assert badge_for(observed) == (badge, reason)


def test_the_table_has_a_test_for_every_rule():
    assert len(STATUS_TABLE) == 11  # the 11 rules above, plus "anything else"


def test_expiry_by_date_counts_only_when_avalara_sends_no_ecm_status():
    # Avalara's own ecmStatus wins: a certificate it calls Valid is not expired by our clock.
    assert badge_for(seen(ecm_status="Valid", expiration_date=date(2026, 11, 30)))[0] == Badge.VALID
    assert badge_for(seen(expiration_date=TODAY))[0] == Badge.VALID  # expires today: still valid


def test_missing_and_unlinked_come_before_validity():
    assert badge_for(seen(found=False, valid=False))[0] == Badge.MISSING
    assert badge_for(seen(linked=False, ecm_status="Expired"))[0] == Badge.MISSING
