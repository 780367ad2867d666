"""The exemption-matrix CSV import with broken files and rows: a clear report, nothing imported
unless every row is good, markup kept as text, and never a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import ReasonRegionRule

URL = "integrations:avalara-matrix"
HEADER = "reason,region,exempt,note\n"


def upload(client, content: bytes, button: str = "import"):
    return client.post(
        reverse(URL), {"file": SimpleUploadedFile("matrix.csv", content), button: "1"}
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"", "reason"),  # empty file: no columns
        (b"region,exempt\nTX,yes\n", "reason"),  # a required column missing
        (HEADER.encode() + b"RESALE,TX\n", "Exempt must be yes or no"),  # a short row
        (HEADER.encode() + b"RESALE,TX,yes,note,extra,cells\n", ""),  # a long row
        (HEADER.encode() + b"NOPE,TX,yes,\n", "Unknown exemption reason"),
        (HEADER.encode() + b"RESALE,Texas,yes,\n", "Unknown region"),
        (HEADER.encode() + b"RESALE,TX,maybe,\n", "Exempt must be yes or no"),
        (HEADER.encode() + b"RESALE,TX,yes,\nRESALE,ZZ,no,\n", "Unknown region"),  # one bad row
        ("reason,region,exempt\nRÉSALE,TX,oui\n".encode("latin-1"), "UTF-8"),
        (b"\x00\x01\x02PK\x03\x04 binary", ""),
    ],
    ids=[
        "empty",
        "missing-column",
        "short-row",
        "long-row",
        "unknown-reason",
        "unknown-region",
        "bad-exempt",
        "one-bad-row-of-two",
        "not-utf8",
        "binary",
    ],
)
def test_a_broken_file_or_row_is_reported_and_nothing_is_imported(
    admin_client_member, content, said
):
    response = upload(admin_client_member, content)

    assert response.status_code == 200  # the page again, with the report: no redirect, no 500
    if said:
        assert said in response.content.decode()
    assert not ReasonRegionRule.objects.exists()


def test_a_file_over_the_size_limit_is_refused_unread(admin_client_member):
    response = upload(admin_client_member, HEADER.encode() + b"RESALE,TX,yes,x\n" * 70_000)

    assert "The file is larger than 1 MB." in response.content.decode()
    assert not ReasonRegionRule.objects.exists()


def test_markup_and_formulas_in_a_note_are_kept_as_text(admin_client_member):
    note = '=HYPERLINK("http://x") <script>alert(1)</script> Zoë'
    content = (HEADER + f'RESALE,TX,yes,"{note.replace(chr(34), chr(34) * 2)}"\n').encode()

    upload(admin_client_member, "\ufeff".encode() + content.replace(b"\n", b"\r\n"))

    cell = ReasonRegionRule.objects.get()
    assert cell.note == note  # stored as typed (a BOM and CRLF lines are fine)
    html = admin_client_member.get(reverse(URL)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=6), min_size=0, max_size=6),
    button=st.sampled_from(["check", "import"]),
)
def test_any_text_is_answered_with_the_page_never_a_server_error(admin_client_member, rows, button):
    lines = [HEADER.strip()] + [",".join(cells) for cells in rows]
    content = "\n".join(lines).encode("utf-8", "surrogatepass")

    response = upload(admin_client_member, content, button)

    assert response.status_code in (200, 302)
