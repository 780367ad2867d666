"""Security headers, cookies and sessions; the production settings refuse to run unsafely."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.test_project import run_python

ROOT = Path(__file__).resolve().parents[2]
FERNET_KEY = "hQ4lFM-yDxGQz1GEqPqSCZBy3QIIbMN2vQv3y2ipH6Q="
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x" * 60,
    "NUVO_ENCRYPTION_KEYS": FERNET_KEY,
}
STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def policy_of(response) -> dict[str, str]:
    directives = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    return dict(directive.split(" ", 1) for directive in directives if directive)


# Content-Security-Policy


def test_html_pages_carry_the_strict_policy(client, analyst_client, application, organization):
    pages = [
        client.get(reverse("login")),
        client.get(reverse("creditapps:public-apply", args=[organization.public_form_key])),
        analyst_client.get(reverse("creditapps:application-list")),
        analyst_client.get(application.get_absolute_url()),
    ]

    assert [response.status_code for response in pages] == [200, 200, 200, 200]
    for response in pages:
        assert policy_of(response) == STRICT_POLICY
        assert "unsafe" not in response["Content-Security-Policy"]


def test_a_certificate_download_keeps_its_own_sandboxed_policy(analyst_client, customer, pdf_bytes):
    from tests.integrations.sending.helpers import add_certificate

    certificate = add_certificate(customer)

    response = analyst_client.get(reverse("certificates:file", args=[certificate.pk]))

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "an hx-on attribute (needs eval)": re.compile(r"\shx-on", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "a js: value (needs eval)": re.compile(r"""hx-(vals|headers)=['"]js:""", re.IGNORECASE),
}


def test_the_template_walk_finds_the_templates():
    assert ROOT / "templates/base.html" in TEMPLATES
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_hold_no_inline_script_or_style(template):
    source = template.read_text()

    found = [what for what, pattern in INLINE.items() if pattern.search(source)]

    assert found == []


def test_htmx_is_told_to_write_no_inline_style(client):
    body = client.get(reverse("login")).content.decode()

    assert '"includeIndicatorStyles":false' in body
    assert '"attributesToSettle":["class","width","height"]' in body


# Cookies and sessions


def test_the_csrf_cookie_is_httponly_and_the_token_travels_in_the_page(analyst_client):
    response = analyst_client.get(reverse("creditapps:application-list"))

    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert f'hx-headers=\'{{"X-CSRFToken": "{response.context["csrf_token"]}"}}\'' in (
        response.content.decode()
    )


def test_a_session_ends_after_twelve_hours_without_a_request(analyst_user, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    page = reverse("creditapps:application-list")
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(analyst_user)
        clock.move_to(start + timedelta(hours=11))
        assert client.get(page).status_code == 200
        clock.move_to(start + timedelta(hours=22))  # 22 h signed in, 11 h idle
        assert client.get(page).status_code == 200

        clock.move_to(start + timedelta(hours=34, minutes=1))  # 12 h 1 min idle
        response = client.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_requests_soon_after_a_renewal_do_not_write_the_session(analyst_user):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(analyst_user)
        expiry = Session.objects.get().expire_date
        clock.move_to(start + timedelta(minutes=4))
        client.get(reverse("creditapps:application-list"))
        unchanged = Session.objects.get().expire_date
        clock.move_to(start + timedelta(minutes=6))
        client.get(reverse("creditapps:application-list"))

    assert unchanged == expiry
    assert Session.objects.get().expire_date == expiry + timedelta(minutes=6)


def test_the_session_cookie_lives_as_long_as_the_idle_limit(client, analyst_user):
    response = client.post(
        reverse("login"), {"username": "analyst", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 43200
    assert response.cookies["sessionid"]["httponly"] is True


def test_the_idle_limit_is_a_setting():
    result = run_python(
        "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE, s.SESSION_ENGINE)",
        DJANGO_SESSION_COOKIE_AGE="900",
    )

    assert result.stdout.split() == ["900", "nuvo.sessions"], result.stderr


# Production settings


@pytest.mark.parametrize(
    ("env", "trusted"),
    [({}, "None"), ({"DJANGO_BEHIND_PROXY": "1"}, "('HTTP_X_FORWARDED_PROTO', 'https')")],
)
def test_x_forwarded_proto_is_trusted_only_behind_a_configured_proxy(env, trusted):
    result = run_python(
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        **PRODUCTION,
        **env,
    )

    assert result.stdout.strip() == trusted, result.stderr


def test_without_a_proxy_a_forged_forwarded_proto_is_still_redirected_to_https():
    result = run_python(
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='credit.example.com').get('/accounts/login/',"
        " HTTP_X_FORWARDED_PROTO='https');"
        "print(r.status_code, r.get('Location'))",
        **PRODUCTION,
        DJANGO_ALLOWED_HOSTS="credit.example.com",
        DATABASE_URL="sqlite://:memory:",
    )

    assert result.stdout.split() == ["301", "https://credit.example.com/accounts/login/"], (
        result.stderr
    )


@pytest.mark.parametrize(
    ("name", "public_value"),
    [
        ("DJANGO_SECRET_KEY", "django-insecure-local-development-only-never-use-in-production"),
        ("NUVO_ENCRYPTION_KEYS", "bG9jYWwtZGV2ZWxvcG1lbnQtb25seS1rZXktMzJieXQ="),
    ],
)
def test_production_refuses_the_public_local_only_keys(name, public_value):
    result = run_python(
        "from django.conf import settings; settings.DEBUG", **{**PRODUCTION, name: public_value}
    )

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name}" in result.stderr
    assert "public local-only key" in result.stderr


def test_the_image_runs_with_debug_off_so_it_cannot_start_without_secrets():
    dockerfile = (ROOT / "Dockerfile").read_text()
    image_env = dict(re.findall(r"^\s+(DJANGO_DEBUG)=(\S+)", dockerfile, re.MULTILINE))

    result = run_python("from django.conf import settings; settings.DEBUG", **image_env)

    assert image_env == {"DJANGO_DEBUG": "0"}
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off." in result.stderr
