"""The one-time token a create form carries (nuvo.form_tokens), as a browser gets it.

`form_token` reads it from the form's page; the others issue a fresh one without a GET, for tests
that post a form many times as different senders (each post then needs a token of its own).
"""

import re

from nuvo.form_tokens import issue_form_token

TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([^"]+)">')


def form_token(client, url: str) -> str:
    body = client.get(url).content.decode()
    found = TOKEN.search(body)
    assert found, f"no form token on {url}"
    return found.group(1)


def public_apply_token(organization) -> str:
    return issue_form_token(f"public-apply:{organization.pk}")


def customer_create_token(organization) -> str:
    return issue_form_token(f"customer-create:{organization.pk}")


def certificate_upload_token(customer) -> str:
    return issue_form_token(f"certificate-upload:{customer.pk}")
