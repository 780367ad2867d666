"""Sessions that end after SESSION_COOKIE_AGE seconds without a request.

Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would write a row per page, per
htmx fragment and per progress poll. Instead the expiry is pushed back when a request comes more
than RENEW_AFTER after the last push, so a session ends between SESSION_COOKIE_AGE - RENEW_AFTER
and SESSION_COOKIE_AGE after the member's last request.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.backends import db
from django.utils import timezone

RENEW_AFTER = timedelta(minutes=5)


class SessionStore(db.SessionStore):
    """The database store, remembering the expiry its row had when it was read."""

    stored_expiry: datetime | None = None

    def _get_session_from_db(self):
        row = super()._get_session_from_db()
        self.stored_expiry = row.expire_date if row else None
        return row


class IdleSessionMiddleware:
    """Mark an active session modified (so SessionMiddleware saves it) once it is due a renewal."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        expiry = getattr(session, "stored_expiry", None)
        if expiry is not None and not session.modified:
            renewed = expiry - timedelta(seconds=settings.SESSION_COOKIE_AGE)
            if timezone.now() - renewed > RENEW_AFTER:
                session.modified = True
        return response
