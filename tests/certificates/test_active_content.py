"""Active content and web page code in certificate PDFs: what is refused, what is marked."""

import pytest

from certificates import active_content
from certificates.pdf import PdfValidationError, validate_pdf
from tests.pdf_factory import (
    make_fillable_form,
    make_html_polyglot,
    make_pdf,
    make_pdf_with_action_cycle,
    make_pdf_with_document_script,
    make_pdf_with_embedded_file,
    make_pdf_with_file_attachment_annotation,
    make_pdf_with_launch,
    make_pdf_with_open_action_script,
    make_pdf_with_page_script,
    make_xfa_form,
)

LAUNCH = (
    "launch",
    "This PDF can start other programs or open other files. "
    "Print it to a new PDF and upload that instead.",
)
EMBEDDED = (
    "embedded_file",
    "This PDF has other files attached inside it. Remove the attachments and upload it again.",
)
SCRIPT = (
    "script",
    "This PDF runs scripts outside its form fields. Print it to a new PDF and upload that instead.",
)
HTML = ("html", "This file contains web page code. Print it to a new PDF and upload that instead.")


def refusal(data: bytes) -> tuple[str, str]:
    with pytest.raises(PdfValidationError) as caught:
        validate_pdf(data)
    return caught.value.code, caught.value.message


def test_a_plain_certificate_has_no_scripts():
    assert validate_pdf(make_pdf()).has_scripts is False


def test_javascript_run_by_the_open_action_is_refused():
    assert refusal(make_pdf_with_open_action_script()) == SCRIPT


def test_javascript_run_when_a_page_opens_is_refused():
    assert refusal(make_pdf_with_page_script()) == SCRIPT


def test_document_javascript_without_any_form_field_is_refused():
    assert refusal(make_pdf_with_document_script()) == SCRIPT


@pytest.mark.parametrize("on", ["open", "link"])
def test_a_launch_action_is_refused_wherever_it_is(on):
    assert refusal(make_pdf_with_launch(on=on)) == LAUNCH


def test_a_file_in_the_embedded_files_name_tree_is_refused():
    assert refusal(make_pdf_with_embedded_file()) == EMBEDDED


def test_a_file_attachment_annotation_is_refused():
    assert refusal(make_pdf_with_file_attachment_annotation()) == EMBEDDED


def test_a_fillable_form_whose_fields_carry_scripts_is_kept_and_marked():
    data = make_fillable_form()

    result = validate_pdf(data)

    assert (result.page_count, result.has_scripts, result.size) == (1, True, len(data))


def test_a_fillable_form_without_scripts_is_not_marked():
    assert validate_pdf(make_fillable_form(field_script=None)).has_scripts is False


def test_a_forms_shared_document_scripts_are_kept_and_marked():
    assert validate_pdf(make_pdf_with_document_script(with_form=True)).has_scripts is True


def test_an_xfa_form_with_scripts_is_kept_and_marked():
    assert validate_pdf(make_xfa_form()).has_scripts is True


def test_an_xfa_form_without_scripts_is_not_marked():
    assert validate_pdf(make_xfa_form(xml=b"<template><field/></template>")).has_scripts is False


def test_reference_cycles_in_actions_and_outlines_end():
    assert validate_pdf(make_pdf_with_action_cycle()).has_scripts is False


def test_javascript_inside_a_reference_cycle_is_found():
    assert refusal(make_pdf_with_action_cycle(code="app.launchURL('x');")) == SCRIPT


def test_a_launch_spelt_with_name_escapes_is_found_by_the_walk():
    data = make_pdf_with_launch().replace(b"/S /Launch", b"/S /L#61unc#68")

    assert b"/Launch" not in data
    assert refusal(data) == LAUNCH


@pytest.mark.parametrize(
    ("hidden", "expected"),
    [
        (b"<< /S /Launch /F (calc.exe) >>", LAUNCH),
        (b"<< /Type /EmbeddedFile /Length 0 >>", EMBEDDED),
        (b"<< /S /JavaScript /JS (app.alert(1)) >>", SCRIPT),
    ],
)
def test_active_content_in_an_object_pypdf_never_reaches_is_refused(hidden, expected):
    # After %%EOF without an xref: pypdf ignores it, a viewer repairing the file may not.
    data = make_pdf() + b"99 0 obj\n" + hidden + b"\nendobj\n"

    assert refusal(data) == expected


def test_names_inside_stream_data_are_not_mistaken_for_actions():
    data = make_html_polyglot(markup=b"/Launch /JS /EmbeddedFile are words here")

    assert validate_pdf(data).has_scripts is False


def test_a_document_with_too_many_objects_to_inspect_is_too_complex(monkeypatch):
    monkeypatch.setattr(active_content, "MAX_ITEMS", 5)

    assert refusal(make_fillable_form())[0] == "too_complex"


def test_a_pdf_that_is_also_a_web_page_is_refused():
    assert refusal(make_html_polyglot()) == HTML


@pytest.mark.parametrize(
    "markup",
    [
        b"<!DOCTYPE html>",
        b"<HTML>",
        b"<Script src=https://example.com/x.js>",
        b"<iframe src=https://example.com/>",
        b"<html/onload=alert(1)>",
    ],
)
def test_each_web_page_marker_is_refused(markup):
    assert refusal(make_html_polyglot(markup=markup)) == HTML


def test_web_page_code_right_after_the_header_is_refused():
    data = make_pdf().replace(b"%PDF-1.3\n", b"%PDF-1.3\n%<html><script>alert(1)</script>\n", 1)

    assert refusal(data) == HTML


def test_markup_that_is_not_a_web_page_is_accepted():
    data = make_html_polyglot(markup=b"<body xmlns='http://www.w3.org/1999/xhtml'><p>x</p>")

    assert validate_pdf(data).page_count == 1
