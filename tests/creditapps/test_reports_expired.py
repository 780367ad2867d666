"""Reports' expiring certificates: the expired ones are a group of their own, listed first,
counted, and marked "Expired" in text wherever the expiry shows."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from creditapps.selectors import certificates_by_expiry
from tests.integrations.sending.helpers import add_certificate

EXPIRED_BADGE = '<span class="badge badge-invalid">Expired</span>'


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-01 15:00 +0000", tick=False):
        yield


@pytest.fixture
def certificates(customer):
    return {
        "long_expired": add_certificate(
            customer, regions=["KS"], text="Long", expiration_date=date(2026, 3, 1)
        ),
        "expired": add_certificate(
            customer, regions=["OK"], text="Old", expiration_date=date(2026, 11, 20)
        ),
        "soon": add_certificate(customer, regions=["TX"], expiration_date=date(2026, 12, 20)),
        "later": add_certificate(
            customer, regions=["NM"], text="Later", expiration_date=date(2027, 6, 1)
        ),
    }


def test_the_expired_come_first_in_a_group_of_their_own_with_counts(analyst, certificates):
    groups = certificates_by_expiry(member=analyst, limit=100)

    assert [c.name for c in groups.expired] == [
        "Kansas resale certificate",
        "Oklahoma resale certificate",
    ]
    assert [c.name for c in groups.expiring] == ["Texas resale certificate"]
    assert (groups.expired_count, groups.expiring_count, groups.count) == (2, 1, 3)


def test_the_counts_are_whole_when_the_list_is_cut_short(analyst, certificates):
    groups = certificates_by_expiry(member=analyst, limit=1)

    assert [c.name for c in groups.expired] == ["Kansas resale certificate"]
    assert groups.expiring == []
    assert (groups.expired_count, groups.expiring_count, groups.shown) == (2, 1, 1)


def test_reports_lists_an_expired_section_before_the_expiring_one(analyst_client, certificates):
    html = analyst_client.get(reverse("creditapps:reports")).content.decode()

    assert "Certificates expired or expiring in 30 days (3)" in html
    expired_at = html.index('<h3 id="expired-group-heading">Expired (2)</h3>')
    expiring_at = html.index(
        '<h3 id="expiring-group-heading">Expiring in the next 30 days (1)</h3>'
    )
    assert expired_at < html.index("Kansas resale certificate (KS)") < expiring_at
    assert expiring_at < html.index("Texas resale certificate (TX)")
    assert "New Mexico" not in html
    assert "(NM)" not in html
    assert html.count(EXPIRED_BADGE) == 2
    assert '<time datetime="2026-11-20">Nov 20, 2026</time>' in html


def test_the_list_page_card_shows_both_groups_and_says_when_it_shows_fewer(
    analyst_client, customer, certificates
):
    for day in range(2, 8):
        add_certificate(
            customer, regions=["OH"], text=f"More {day}", expiration_date=date(2026, 12, day)
        )

    html = analyst_client.get(reverse("creditapps:application-list")).content.decode()

    assert "Certificates expired or expiring in 30 days (9)" in html
    assert "Expired (2)" in html
    assert "Expiring in the next 30 days (7)" in html
    assert "Showing 5 of 9, the earliest dates first." in html


def test_nothing_expiring_says_so(analyst_client):
    html = analyst_client.get(reverse("creditapps:reports")).content.decode()

    assert "No certificate has expired or expires in the next 30 days." in html
    assert "Expired (" not in html


def test_an_expired_certificate_is_marked_in_text_on_the_customer_page(
    analyst_client, customer, certificates
):
    html = analyst_client.get(customer.get_absolute_url()).content.decode()

    expires_cells = re.findall(r'<td data-label="Expires"[^>]*>(.*?)</td>', html, re.S)
    marked = [cell for cell in expires_cells if EXPIRED_BADGE in cell]
    assert len(marked) == 2
    assert any('<time datetime="2026-03-01">Mar 1, 2026</time>' in cell for cell in marked)
    assert 'class="text-danger" title="Expired"' not in html
