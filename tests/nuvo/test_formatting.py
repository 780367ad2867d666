"""One money format, times with their zone, one full stop after a name that ends in one."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from nuvo.formatting import is_past, local_datetime, money, sentence


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("25000"), "$25,000.00"),
        (Decimal("1234567.5"), "$1,234,567.50"),
        (0, "$0.00"),
        ("49.999", "$50.00"),
        (Decimal("-5"), "-$5.00"),
        (None, "—"),
    ],
)
def test_money_is_dollars_cents_and_thousands(value, shown):
    assert money(value) == shown


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 12, 2, 20, 4, tzinfo=UTC), "Dec 2, 2026, 3:04 PM EST"),
        (datetime(2026, 7, 4, 13, 0, tzinfo=UTC), "Jul 4, 2026, 9:00 AM EDT"),
        (None, "—"),
    ],
)
def test_a_time_is_shown_in_the_site_zone_with_the_zone_named(moment, shown, settings):
    settings.TIME_ZONE = "America/New_York"

    assert local_datetime(moment) == shown


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        ("Acme Supply Co.", "Acme Supply Co."),
        ("Lone Star LLC", "Lone Star LLC."),
        ("Really?", "Really?"),
        ("trailing space ", "trailing space."),
        ("", ""),
    ],
)
def test_a_sentence_gets_one_full_stop(text, ended):
    assert sentence(text) == ended


def test_a_date_is_past_when_before_today():
    with time_machine.travel("2026-12-02 15:00 +0000", tick=False):
        assert is_past(date(2026, 12, 1))
        assert not is_past(date(2026, 12, 2))
        assert not is_past(None)


def test_the_template_filters_use_the_same_formats():
    template = Template(
        "{% load nuvo %}{{ limit|money }}|{{ at|when }}|with {{ name|sentence }}|{{ day|is_past }}"
    )
    with time_machine.travel("2026-12-02 15:00 +0000", tick=False):
        rendered = template.render(
            Context(
                {
                    "limit": Decimal("25000.00"),
                    "at": datetime(2026, 12, 2, 20, 4, tzinfo=UTC),
                    "name": "Acme Supply Co.",
                    "day": date(2026, 11, 30),
                }
            )
        )

    assert rendered == "$25,000.00|Dec 2, 2026, 3:04 PM EST|with Acme Supply Co.|True"


def test_pages_never_put_a_second_full_stop_after_a_name(analyst_client, organization):
    assert organization.name == "Acme Supply Co."

    html = analyst_client.get(reverse("creditapps:customer-list")).content.decode()

    assert "with Acme Supply Co.</p>" in html
    assert "Co.." not in html


def test_money_on_the_list_and_application_pages_has_cents(analyst_client, application):
    listing = analyst_client.get(reverse("creditapps:application-list")).content.decode()
    detail = analyst_client.get(application.get_absolute_url()).content.decode()

    assert '<td data-label="Requested" class="num">$50,000.00</td>' in listing
    assert "<dd>$50,000.00</dd>" in detail
    assert "Nov 2, 2026, 4:30 AM EST" in detail  # submitted 09:30 UTC


def test_reports_shows_approved_credit_with_cents(analyst_client):
    html = analyst_client.get(reverse("creditapps:reports")).content.decode()

    assert '<span class="stat-value">$0.00</span>' in html


def test_entry_forms_share_one_empty_choice_label(analyst_client, customer):
    upload = analyst_client.get(reverse("creditapps:certificate-upload", args=[customer.pk]))
    edit = analyst_client.get(reverse("creditapps:customer-edit", args=[customer.pk]))

    for html in (upload.content.decode(), edit.content.decode()):
        assert re.search(r'<option value=""( selected)?>Choose…</option>', html)
        assert "Choose a reason" not in html
        assert '<option value="">—</option>' not in html


def test_filters_keep_their_all_label(analyst_client):
    html = analyst_client.get(reverse("creditapps:application-list")).content.decode()

    assert '<option value="" selected>All statuses</option>' in html


def test_actions_and_navigation_are_in_sentence_case_except_the_guides_names(analyst_client):
    html = analyst_client.get(reverse("creditapps:application-list")).content.decode()

    assert "<h1>Credit applications</h1>" in html
    assert ">Credit applications</a>" in html
    assert "Credit Applications" not in html
    assert "Copy application link" in html


def test_the_menu_button_is_a_disclosure_of_the_navigation_and_account(analyst_client):
    html = analyst_client.get(reverse("creditapps:reports")).content.decode()

    assert (
        '<button type="button" class="menu-toggle button secondary small" aria-expanded="false" '
        'aria-controls="site-menu" data-menu-toggle>Menu</button>'
    ) in html
    menu = html[html.index('<div class="site-menu" id="site-menu">') :]
    assert menu.index('aria-label="Main"') < menu.index(">Log out</button>")
    assert 'role="menu"' not in html[: html.index("</header>")]
    assert "js/navigation.js" in html
