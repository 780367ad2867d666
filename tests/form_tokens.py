"""The one-time token a create form carries (nuvo.form_tokens), fetched as a browser gets it."""

import re

TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([^"]+)">')


def form_token(client, url: str) -> str:
    body = client.get(url).content.decode()
    found = TOKEN.search(body)
    assert found, f"no form token on {url}"
    return found.group(1)
