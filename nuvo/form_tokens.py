"""One-time form tokens: a create form posted twice (a double click, a replay) acts once.

A form carries a signed token naming what it is for. Its first successful post claims the token
(a row with a unique nonce, in the same transaction as what the post creates); a second post of
the same token finds it claimed and is sent to the first one's result instead. A post that fails
rolls back with its claim, so the corrected form can be sent again with the same token.

Issuing writes nothing (anonymous GETs of the public form must not grow a table); claimed rows
are removed once older than a token may be.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from nuvo.errors import NuvoError
from nuvo.models import FormSubmission
from nuvo.web import redirect_after_action

FIELD = "form_token"
SALT = "nuvo.form-token"
# Long enough to fill in the public form over a weekend; a claimed row is kept this long too.
MAX_AGE = timedelta(days=3)


class FormTokenInvalid(NuvoError):
    """The post carries no token, a tampered one, one for another form, or one too old."""

    code = "form_token_invalid"

    def __init__(self) -> None:
        super().__init__("This form is out of date. Check your answers and send it again.")


class FormAlreadySent(Exception):
    """The token was claimed by an earlier post; `result_url` is where that post led."""

    def __init__(self, result_url: str) -> None:
        super().__init__("This form was already sent.")
        self.result_url = result_url


@dataclass
class Submission:
    result_url: str = ""


def issue_form_token(purpose: str) -> str:
    return signing.dumps({"p": purpose, "n": secrets.token_urlsafe(24)}, salt=SALT)


def form_token_for(request, purpose: str) -> str:
    """The token a rendered form carries: the posted one while it is being corrected, else new."""
    posted = request.POST.get(FIELD, "")
    try:
        _nonce(posted, purpose)
    except FormTokenInvalid:
        return issue_form_token(purpose)
    return posted


def _nonce(token: str, purpose: str) -> str:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is one
        raise FormTokenInvalid() from exc
    if not isinstance(payload, dict) or payload.get("p") != purpose:
        raise FormTokenInvalid()
    nonce = payload.get("n")
    if not isinstance(nonce, str) or not nonce:
        raise FormTokenInvalid()
    return nonce


@contextmanager
def submit_once(token: str | None, *, purpose: str) -> Iterator[Submission]:
    """Claim `token`, then run the block in the same transaction; set `result_url` inside it.

    Raises FormTokenInvalid before anything runs, or FormAlreadySent when an earlier post claimed
    the token (on PostgreSQL a racing second post waits for the first to commit, then gets this).
    """
    nonce = _nonce(token or "", purpose)
    submission = Submission()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(nonce=nonce, purpose=purpose)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(nonce=nonce).first()
            raise FormAlreadySent(earlier.result_url if earlier else "") from None
        yield submission
        FormSubmission.objects.filter(pk=claim.pk).update(result_url=submission.result_url[:500])
        FormSubmission.objects.filter(created_at__lt=timezone.now() - MAX_AGE).delete()


ALREADY_SENT = "This form was already sent, so nothing was added again."


def already_sent_response(request, sent: FormAlreadySent, *, fallback: str):
    """Where a replayed post goes: the first post's result, saying why nothing new happened."""
    messages.info(request, ALREADY_SENT)
    return redirect_after_action(request, sent.result_url or fallback)
