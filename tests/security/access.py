"""Every URL of the URL configuration, as a concrete path, and the clients that probe it."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from rest_framework.test import APIClient

from nuvo.models import Membership
from tests.security.conftest import World


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name (or, unnamed, its route) and the pieces of its route."""

    key: str
    pieces: tuple
    callback: Callable

    @property
    def route(self) -> str:
        return "".join(_route_text(piece) for piece in self.pieces)

    def path(self, values: dict[str, str]) -> str:
        return "/" + "".join(_fill(piece, values) for piece in self.pieces)


def _route_text(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = text.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    return text


def _fill(pattern, values: dict[str, str]) -> str:
    text = _route_text(pattern)
    if isinstance(pattern, RegexPattern):
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m[1]], text)
        return text.replace("\\", "")
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m[1]], text)


def all_routes() -> list[Route]:
    """Walk the URL configuration recursively, as Django resolves it."""
    found = []

    def walk(patterns, pieces, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, (*pieces, pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                route = Route("", (*pieces, pattern.pattern), pattern.callback)
                name = f"{namespace}{pattern.name}" if pattern.name else route.route
                found.append(Route(name, route.pieces, route.callback))

    walk(get_resolver().url_patterns, (), "")
    return found


@dataclass(frozen=True)
class Access:
    """Who may use a URL. `data` builds a body that passes validation, so that only the role or
    organization check can refuse it (the API validates before its services check the role)."""

    kind: str  # public | signed_in | member | api
    methods: tuple[str, ...] = ("get",)
    roles: tuple[str, ...] = ()  # a member holding one of these; empty: any member
    reads_for_members: bool = False  # GET needs no role, only the other methods need `roles`
    object: str | None = None  # the World record whose pk the URL takes
    data: Callable[[World], dict] | None = None
    status: int = 200  # public URLs: what an anonymous visitor gets
    extra: dict[str, Callable[[World], str]] = field(default_factory=dict)


def roles_for(access: Access, method: str) -> tuple[str, ...]:
    return () if access.reads_for_members and method == "get" else access.roles


def path_values(world: World, access: Access) -> dict[str, str]:
    values = {
        "pk": str(getattr(world, access.object).pk) if access.object else "1",
        "other_pk": str(world.customer_two.pk),
        "into_pk": str(world.customer_two.pk),
        "page": "1",
        "batch": str(world.send.batch),
        "form_key": str(world.organization.public_form_key),
        "token": world.info_request_token,
        # The Django admin's converters.
        "object_id": str(world.customer.pk),
        "id": str(world.customer.pk),
        "content_type_id": "1",
        "app_label": "creditapps",
        "url": "nowhere/",
    }
    values.update({name: make(world) for name, make in access.extra.items()})
    return values


def user_with(username: str, *roles: str, organization=None):
    user = get_user_model().objects.create_user(username=username, password="x" * 20)
    for role in roles:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user


def client_for(access: Access, user=None) -> Client:
    client = APIClient() if access.kind == "api" else Client()
    if user is not None:
        client.force_login(user)
    return client


def request(client: Client, access: Access, method: str, path: str, world: World):
    data = access.data(world) if access.data else {}
    if access.kind == "api":
        multipart = any(hasattr(value, "read") for value in data.values())
        return getattr(client, method)(path, data, format="multipart" if multipart else "json")
    if method in ("get", "head"):
        return getattr(client, method)(path)
    return getattr(client, method)(path, data)
