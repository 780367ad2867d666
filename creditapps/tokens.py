"""Signed, expiring links that let a customer answer a Request Info without an account."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from creditapps.models import InfoRequest

SALT = "creditapps.info-request"


class InfoRequestLinkError(Exception):
    pass


def info_request_token(info_request: InfoRequest) -> str:
    return signing.dumps({"id": info_request.pk}, salt=SALT, compress=True)


def info_request_url(info_request: InfoRequest) -> str:
    path = reverse(
        "creditapps:info-request-respond", kwargs={"token": info_request_token(info_request)}
    )
    return settings.NUVO_PUBLIC_URL.rstrip("/") + path


def info_request_from_token(token: str) -> InfoRequest:
    max_age = settings.NUVO_INFO_REQUEST_MAX_AGE_DAYS * 24 * 3600
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InfoRequestLinkError(
            "This link has expired. Ask your contact for a new one."
        ) from exc
    except signing.BadSignature as exc:
        raise InfoRequestLinkError("This link is not valid.") from exc
    try:
        return InfoRequest.objects.select_related(
            "application__customer", "application__organization"
        ).get(pk=payload["id"])
    except (InfoRequest.DoesNotExist, KeyError, TypeError) as exc:
        raise InfoRequestLinkError("This link is not valid.") from exc
