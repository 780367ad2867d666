"""Django's account pages, with the limits an anonymous visitor must not get past."""

import logging

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from nuvo.abuse import Limit, client_ip, over_limit, posted_email

logger = logging.getLogger(__name__)

RESET_LIMITS = (
    Limit("password-reset-ip", "ip", "NUVO_PASSWORD_RESET_RATE_PER_IP"),
    Limit("password-reset-email", posted_email, "NUVO_PASSWORD_RESET_RATE_PER_EMAIL"),
)


class PasswordResetView(auth_views.PasswordResetView):
    """Over a limit, the same "if an account exists" page follows, and no email is sent.

    A 429 here would still count addresses that have no account, but a page that answers alike
    every time is simpler to trust.
    """

    def form_valid(self, form):
        if over_limit(self.request, RESET_LIMITS) is not None:
            logger.warning("password reset over the limit, client=%s", client_ip(self.request))
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
