"""Route tables: AvaTax path templates to handlers, matched on the raw percent-encoded path."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from .errors import ApiError
from .messages import Request, Response
from .state import SimulatorState

INT_ARGS = {"companyId", "id"}

Handler = Callable[[SimulatorState, Request], Response]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    operation: str
    handler: Handler
    scope: str  # public | account | company | ecm | definitions


class RouteTable:
    """Routes in the order they were added; the first whose path and method match wins."""

    def __init__(self, *tables: "RouteTable"):
        self.routes: list[Route] = [route for table in tables for route in table]

    def __iter__(self) -> Iterator[Route]:
        return iter(self.routes)

    def add(self, method: str, template: str, operation: str, scope: str = "ecm"):
        """Decorate a handler to serve `method` on `template`, whose `{name}`s become args."""

        def segment(match: re.Match) -> str:
            name = match.group(1)
            return rf"(?P<{name}>\d{{1,9}})" if name in INT_ARGS else rf"(?P<{name}>[^/]+)"

        pattern = re.compile(re.sub(r"\{(\w+)\}", segment, template), re.IGNORECASE)

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, pattern, operation, handler, scope))
            return handler

        return register

    def resolve(self, method: str, path: str) -> tuple[Route, dict]:
        allowed = []
        for candidate in self.routes:
            match = candidate.pattern.fullmatch(path)
            if match is None:
                continue
            if candidate.method == method:
                args = {
                    name: int(value) if name in INT_ARGS else unquote(value)
                    for name, value in match.groupdict().items()
                }
                return candidate, args
            allowed.append(candidate.method)
        if allowed:
            raise ApiError(
                405,
                "UnhandledException",
                f"The requested resource does not support http method '{method}'.",
                headers=[("Allow", ", ".join(allowed))],
            )
        raise ApiError(
            404,
            "EntityNotFoundError",
            "Resource not found.",
            f"The simulator has no AvaTax endpoint at '{unquote(path)}'.",
        )
