"""The public form's inputs work for people on phones: browsers can fill them in, phones get the
right keyboard, iOS does not zoom, and control edges and targets are big and clear enough."""

import re
from pathlib import Path

from django.test import Client

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "nuvo.css").read_text()


def input_tag(html: str, name: str) -> str:
    found = re.search(rf'<(?:input|select)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert found, f"no input {name}"
    return found.group(0)


def test_the_applicants_own_details_carry_autocomplete_and_phone_keyboards(organization):
    html = Client().get(organization.get_public_form_url()).content.decode()

    expected = {
        "customer-legal_name": 'autocomplete="organization"',
        "customer-contact_name": 'autocomplete="name"',
        "customer-email": 'autocomplete="email"',
        "customer-phone": 'autocomplete="tel"',
        "customer-address_line1": 'autocomplete="address-line1"',
        "customer-city": 'autocomplete="address-level2"',
        "customer-region": 'autocomplete="address-level1"',
        "customer-postal_code": 'autocomplete="postal-code"',
        "terms-requested_credit_limit": 'inputmode="decimal"',
        "terms-bank_phone": 'type="tel"',
        "references-0-phone": 'type="tel"',
    }
    for name, attribute in expected.items():
        assert attribute in input_tag(html, name), name
    assert 'autocomplete="off"' in input_tag(html, "references-0-phone")  # someone else's number


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_inputs_have_clear_edges_16_px_text_and_24_px_targets():
    border = re.search(r"--input-border:\s*(#[0-9a-fA-F]{6})", CSS).group(1)
    contrast = (1 + 0.05) / (_luminance(border) + 0.05)
    controls = re.search(r"input\[type=text\][^{]*\{([^}]*)\}", CSS).group(1)
    targets = re.search(r"input\[type=checkbox\], input\[type=radio\] \{([^}]*)\}", CSS).group(1)

    assert contrast >= 3  # WCAG 1.4.11
    assert "border: 1px solid var(--input-border)" in controls
    assert "font-size: 16px" in controls  # iOS zooms into smaller text
    assert "width: 24px" in targets
    assert "height: 24px" in targets
