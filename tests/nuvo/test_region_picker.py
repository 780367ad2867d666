"""Region multi-choice fields render as checkboxes grouped by country (nuvo.widgets.RegionPicker),
not as a multiple select that needs Ctrl held down, and post exactly what the select posted."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.urls import reverse

from certificates.forms import CertificateDetailsForm, CertificateForm
from certificates.models import TaxExemptionCertificate
from certificates.services import CertificateUpload, certificate_create
from creditapps.forms import CustomerForm, PublicCustomerForm
from nuvo.regions import CANADIAN_PROVINCES, US_STATES
from nuvo.widgets import RegionPicker
from tests.form_tokens import form_token
from tests.pdf_factory import make_pdf


class PickerParser(HTMLParser):
    """The picker as data: its groups (legend → [(code, label text, checked)]) and other parts."""

    def __init__(self):
        super().__init__()
        self.groups: dict[str, list[tuple[str, str, bool]]] = {}
        self.pickers: list[dict] = []
        self.filter_inputs: list[dict] = []
        self.tags_with_style: list[str] = []
        self.unlabelled_checkboxes: list[str] = []
        self._group = None
        self._in_legend = False
        self._label_depth = 0
        self._option = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.tags_with_style.append(tag)
        if "data-region-picker" in attributes:
            self.pickers.append(attributes)
        if "data-region-filter" in attributes:
            self.filter_inputs.append({"wrapper_hidden": "hidden" in attributes})
        if tag == "input" and attributes.get("type") == "search" and self.filter_inputs:
            self.filter_inputs[-1].update(attributes)
        if tag == "fieldset" and "data-region-group" in attributes:
            self._group = ""
        elif tag == "legend" and self._group == "":
            self._in_legend = True
        elif tag == "label":
            self._label_depth += 1
        elif tag == "input" and attributes.get("type") == "checkbox" and self._group is not None:
            if not self._label_depth:
                self.unlabelled_checkboxes.append(attributes["value"])
            self._option = [attributes["value"], "", "checked" in attributes, attributes["name"]]

    def handle_endtag(self, tag):
        if tag == "legend" and self._in_legend:
            self._in_legend = False
            self.groups[self._group] = []
        elif tag == "label" and self._label_depth:
            self._label_depth -= 1
            if self._option is not None:
                code, text, checked, name = self._option
                self.groups[self._group].append((code, " ".join(text.split()), checked))
                self.names = getattr(self, "names", set()) | {name}
                self._option = None
        elif tag == "fieldset" and self._group is not None:
            self._group = None

    def handle_data(self, data):
        if self._in_legend:
            self._group += data.strip()
        elif self._option is not None:
            self._option[1] += data


def parsed(html: str) -> PickerParser:
    parser = PickerParser()
    parser.feed(html)
    return parser


def test_the_picker_groups_every_state_and_province_under_its_country():
    picker = parsed(str(CertificateForm()["exempt_regions"]))

    assert list(picker.groups) == ["United States", "Canada"]
    assert [code for code, _, _ in picker.groups["United States"]] == sorted(
        US_STATES, key=US_STATES.get
    )
    assert [code for code, _, _ in picker.groups["Canada"]] == sorted(
        CANADIAN_PROVINCES, key=CANADIAN_PROVINCES.get
    )
    # The name, then the code it is known by (shown, so a filter on "TX" makes sense).
    assert ("TX", "Texas TX", False) in picker.groups["United States"]
    assert ("QC", "Quebec QC", False) in picker.groups["Canada"]
    assert picker.unlabelled_checkboxes == []
    assert picker.names == {"exempt_regions"}


def test_the_filter_is_hidden_until_script_shows_it_and_is_never_posted():
    picker = parsed(str(CertificateForm()["exempt_regions"]))

    assert len(picker.pickers) == 1
    assert picker.pickers[0]["id"] == "id_exempt_regions"
    [filter_input] = picker.filter_inputs
    assert filter_input["wrapper_hidden"] is True
    assert "name" not in filter_input
    assert filter_input["aria-controls"] == "id_exempt_regions_list"
    assert filter_input["aria-describedby"] == "id_exempt_regions_count"
    assert picker.tags_with_style == []


def test_the_count_of_matches_is_a_polite_status_region():
    html = str(CertificateForm()["exempt_regions"])

    assert '<p class="region-picker-count" id="id_exempt_regions_count" role="status"' in html


@pytest.mark.parametrize(
    ("form_class", "field_name"),
    [
        (CertificateForm, "exempt_regions"),
        (CertificateDetailsForm, "exempt_regions"),
        (CustomerForm, "ship_to_states"),
        (PublicCustomerForm, "ship_to_states"),
    ],
)
def test_every_region_multi_choice_uses_the_picker_without_ctrl_advice(form_class, field_name):
    field = form_class().fields[field_name]

    assert isinstance(field.widget, RegionPicker)
    assert "Ctrl" not in str(field.help_text)


@pytest.mark.parametrize("form_class", [CertificateForm, CustomerForm])
def test_repeated_values_post_as_before(form_class):
    field_name = "exempt_regions" if form_class is CertificateForm else "ship_to_states"
    data = QueryDict(f"{field_name}=TX&{field_name}=OH")
    form = form_class(data)
    form.is_valid()

    assert form.fields[field_name].widget.value_from_datadict(data, {}, field_name) == ["TX", "OH"]
    assert form.cleaned_data[field_name] == ["TX", "OH"]
    assert field_name not in form.errors


def test_an_unknown_code_is_still_refused():
    form = CustomerForm(QueryDict("legal_name=X&ship_to_states=ZZ"))

    assert not form.is_valid()
    assert form.errors["ship_to_states"] == [
        "Select a valid choice. ZZ is not one of the available choices."
    ]


def test_ticked_regions_stay_ticked_after_a_failed_upload(analyst_client, customer):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])

    response = analyst_client.post(
        url,
        {
            "form_token": form_token(analyst_client, url),
            "exempt_regions": ["TX", "OH"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-03-01",
        },
    )

    assert response.status_code == 200
    picker = parsed(response.content.decode())
    ticked = [code for group in picker.groups.values() for code, _, checked in group if checked]
    assert ticked == ["OH", "TX"]
    assert customer.certificates.count() == 0


def test_the_upload_dialog_shows_the_picker_inside_the_fields_fieldset(analyst_client, customer):
    html = analyst_client.get(reverse("creditapps:certificate-upload", args=[customer.pk]))
    body = html.content.decode()

    legend = (
        '<fieldset aria-describedby="id_exempt_regions_helptext"><legend>Exempt states / provinces'
    )
    assert legend in body
    after_legend = body[body.index(legend) :]
    assert after_legend.index('<div class="region-picker" id="id_exempt_regions"') < (
        after_legend.index("</fieldset>")
    )
    assert "Tick each state or province the certificate covers." in body
    assert "Hold Ctrl" not in body
    assert '<select name="exempt_regions"' not in body


def test_the_certificate_edit_page_ticks_the_regions_on_file(analyst_client, customer):
    certificate = certificate_create(
        customer=customer,
        upload=CertificateUpload(
            content=make_pdf(text="Resale"),
            filename="resale.pdf",
            exempt_regions=["OH", "TX"],
            exemption_reason="RESALE",
            effective_date="2026-01-15",
        ),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )

    response = analyst_client.get(reverse("certificates:edit", args=[certificate.pk]))

    picker = parsed(response.content.decode())
    ticked = [code for group in picker.groups.values() for code, _, checked in group if checked]
    assert ticked == ["OH", "TX"]


@pytest.mark.parametrize("page", ["customer-edit", "public-apply"])
def test_customer_pages_have_no_multiple_select(
    client, analyst_client, customer, organization, page
):
    if page == "customer-edit":
        response = analyst_client.get(reverse("creditapps:customer-edit", args=[customer.pk]))
    else:
        response = client.get(organization.get_public_form_url())
    body = response.content.decode()

    assert response.status_code == 200
    assert [tag for tag in re.findall(r"<select[^>]*>", body) if "multiple" in tag] == []
    assert "Hold Ctrl" not in body
    assert "data-region-picker" in body


def test_the_public_form_has_one_picker_per_region_field(client, organization):
    body = client.get(organization.get_public_form_url()).content.decode()
    picker = parsed(body)

    # The business's ship-to states and each certificate row's exempt regions.
    assert [attributes["id"] for attributes in picker.pickers] == [
        "id_customer-ship_to_states",
        "id_certificates-0-exempt_regions",
        # The empty block that "Add another" copies (a <template>).
        "id_certificates-__prefix__-exempt_regions",
    ]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_pdf(text="Resale"), content_type="application/pdf")


def test_a_staff_upload_with_two_ticked_regions_saves_both(analyst_client, customer):
    url = reverse("creditapps:certificate-upload", args=[customer.pk])

    response = analyst_client.post(
        url,
        {
            "form_token": form_token(analyst_client, url),
            "file": _pdf("two-states.pdf"),
            "exempt_regions": ["TX", "OH"],
            "exemption_reason": "RESALE",
            "effective_date": "2026-03-01",
        },
    )

    assert response.status_code == 302
    assert customer.certificates.get().exempt_regions == ["OH", "TX"]
