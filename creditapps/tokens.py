"""Signed, expiring links that let a customer answer a Request Info without an account."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from creditapps.models import InfoRequest

SALT = "creditapps.info-request"


class InfoRequestLinkError(Exception):
    """The link cannot be used. Its page says only that, never whose request it was.

    `status` is 410 for a link that worked once (expired, or superseded by a newer request or a
    resumed review), 404 for one that never did (tampered, unknown).
    """

    def __init__(self, *, status: int = 404) -> None:
        super().__init__("This link is no longer valid.")
        self.status = status


class _SignedAtCreation(signing.TimestampSigner):
    """Stamps the request's creation time rather than now, so the link is the same string every
    time it is built (the email, Resend, Copy link) and its signed age runs from the request."""

    def __init__(self, created_at, **kwargs) -> None:
        super().__init__(**kwargs)
        self.created_at = created_at

    def timestamp(self) -> str:
        return signing.b62_encode(int(self.created_at.timestamp()))


def info_request_token(info_request: InfoRequest) -> str:
    signer = _SignedAtCreation(info_request.created_at, salt=SALT)
    return signer.sign_object({"id": info_request.pk}, compress=True)


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
        raise InfoRequestLinkError(status=410) from exc
    except signing.BadSignature as exc:
        raise InfoRequestLinkError() from exc
    try:
        info_request = InfoRequest.objects.select_related(
            "application__customer", "application__organization"
        ).get(pk=payload["id"])
    except (InfoRequest.DoesNotExist, KeyError, TypeError) as exc:
        raise InfoRequestLinkError() from exc
    # A newer request or a resumed review closes a request by moving its expiry to that moment.
    if info_request.is_expired:
        raise InfoRequestLinkError(status=410)
    return info_request
