"""Signed, expiring links that let a customer answer a Request Info without an account."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from creditapps.models import InfoRequest
from nuvo.models import Organization

SALT = "creditapps.info-request"


@dataclass(frozen=True)
class SupplierContact:
    """Whom to ask for a new link: the person who sent the request."""

    name: str
    email: str


class InfoRequestLinkError(Exception):
    """The link cannot be used. Its page never says whose request it was.

    `status` is 410 for a link that worked once (expired, or superseded by a newer request or a
    resumed review), 404 for one that never did (tampered, unknown). A link that worked once
    names the supplier (`organization`) and whom to ask there (`contact`), so the customer can
    get a new one; nothing about the customer or the application.
    """

    def __init__(self, *, status: int = 404, info_request: InfoRequest | None = None) -> None:
        super().__init__("This link is no longer valid.")
        self.status = status
        self.organization: Organization | None = None
        self.contact: SupplierContact | None = None
        if info_request is not None:
            self.organization = info_request.application.organization
            sender = info_request.requested_by
            if sender is not None and sender.is_active and sender.email:
                self.contact = SupplierContact(
                    name=sender.get_full_name() or sender.get_username(), email=sender.email
                )


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
        # Signed by us, only too old: it still says which supplier sent it.
        raise InfoRequestLinkError(status=410, info_request=_signed_request(token)) from exc
    except signing.BadSignature as exc:
        raise InfoRequestLinkError() from exc
    info_request = _info_request(payload)
    if info_request is None:
        raise InfoRequestLinkError()
    # A newer request or a resumed review closes a request by moving its expiry to that moment.
    if info_request.is_expired:
        raise InfoRequestLinkError(status=410, info_request=info_request)
    return info_request


def _signed_request(token: str) -> InfoRequest | None:
    try:
        return _info_request(signing.loads(token, salt=SALT))
    except signing.BadSignature:
        return None


def _info_request(payload) -> InfoRequest | None:
    try:
        return (
            InfoRequest.objects.select_related(
                "application__customer", "application__organization", "requested_by"
            )
            .filter(pk=payload["id"])
            .first()
        )
    except (KeyError, TypeError, ValueError):
        return None
