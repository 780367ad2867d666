"""Latency and fault injection per endpoint, deterministic under a seed.

A rule matches on any of method, path (a shell-style glob on the decoded path) and operationId;
unset criteria match everything. Each matching request counts towards `first_n`, then fires with
probability `rate` (drawn from one seeded generator, so a fixed seed and request order replay the
same faults). A fired rule adds its latency; the first fired rule with a `status` or `timeout_ms`
decides the response.
"""

import fnmatch
import random
import threading
from dataclasses import asdict, dataclass, fields

# Default error bodies per injected status. AvaTax publishes no rate-limit code or status for
# REST v2 (REFERENCE.md §9, UNCONFIRMED); RateLimitExceededError is the one in the 21.12 enum.
DEFAULT_ERRORS = {
    429: ("RateLimitExceededError", "Rate limit exceeded.", "Too many requests; retry later."),
    500: ("InternalServerError", "Internal server error.", "An unexpected error occurred."),
    502: ("ServerUnreachable", "Server unreachable.", "The AvaTax server could not be reached."),
    503: ("ServerUnreachable", "Server unreachable.", "The AvaTax service is unavailable."),
    504: ("ServerUnreachable", "Server unreachable.", "The AvaTax service timed out."),
}
FALLBACK_ERROR = ("UnhandledException", "Simulated failure.", "Injected by the Avalara simulator.")
DEFAULT_RETRY_AFTER = 1


@dataclass
class FaultRule:
    method: str | None = None
    path: str | None = None
    operation: str | None = None
    status: int | None = None
    rate: float = 1.0
    first_n: int | None = None
    latency_ms: int = 0
    timeout_ms: int = 0
    retry_after: int | None = None
    error_code: str | None = None
    body: object = None
    content_type: str | None = None  # of `body`; JSON when unset (an HTML error page: text/html)
    after: bool = False
    name: str = ""
    id: int = 0
    matched: int = 0
    fired: int = 0

    def __post_init__(self):
        if self.status is not None and not 100 <= int(self.status) <= 599:
            raise ValueError(f"status must be an HTTP status code, got {self.status!r}")
        if not 0.0 <= float(self.rate) <= 1.0:
            raise ValueError(f"rate must be between 0 and 1, got {self.rate!r}")
        if self.first_n is not None and int(self.first_n) < 0:
            raise ValueError("first_n must not be negative")
        if int(self.latency_ms) < 0 or int(self.timeout_ms) < 0:
            raise ValueError("latency_ms and timeout_ms must not be negative")
        if self.method:
            self.method = self.method.upper()

    @classmethod
    def from_dict(cls, data: dict) -> "FaultRule":
        settable = {f.name for f in fields(cls)} - {"id", "matched", "fired"}
        unknown = set(data) - settable
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        return cls(**data)

    def matches(self, method: str, path: str, operation: str | None) -> bool:
        return (
            (self.method is None or self.method == method)
            and (self.path is None or fnmatch.fnmatchcase(path, self.path))
            and (self.operation is None or self.operation == operation)
        )

    def error(self) -> tuple[str, str, str]:
        """(code, message, description) of the default ErrorResult for this rule."""
        code, message, description = DEFAULT_ERRORS.get(self.status, FALLBACK_ERROR)
        return (self.error_code or code, message, description)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FaultDecision:
    latency_ms: int = 0
    rule: FaultRule | None = None

    @property
    def fault_name(self) -> str | None:
        if self.rule is None:
            return None
        return self.rule.name or f"rule-{self.rule.id}"


class FaultInjector:
    """The rule list, shared by every request thread."""

    def __init__(self, seed: int | None = None, *, latency_ms: int = 0, error_rate: float = 0.0):
        self._lock = threading.Lock()
        self._random = random.Random(seed)  # noqa: S311 (fault draws, not secrets)
        self._startup = {"latency_ms": latency_ms, "error_rate": error_rate, "seed": seed}
        self._rules: list[FaultRule] = []
        self._next_id = 1
        self.base_latency_ms = 0
        self.configure(**self._startup)

    def add(self, rule: FaultRule | None = None, **options) -> FaultRule:
        """Add a rule (a FaultRule or its fields as keywords) and return it."""
        rule = rule or FaultRule(**options)
        with self._lock:
            rule.id = self._next_id
            self._next_id += 1
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        """Remove every rule and the base latency."""
        with self._lock:
            self._rules.clear()
            self.base_latency_ms = 0

    def reset(self) -> None:
        """Back to the construction settings: rules numbered from 1, a given seed replayed."""
        with self._lock:
            self._rules.clear()
            self._next_id = 1
        self.configure(**self._startup)

    def configure(
        self, *, latency_ms: int = 0, error_rate: float = 0.0, seed: int | None = None
    ) -> None:
        """Set a base latency for every request and a 500 rate across all AvaTax paths."""
        with self._lock:
            self.base_latency_ms = int(latency_ms)
            if seed is not None:
                self._random.seed(seed)
        if error_rate:
            self.add(path="/api/v2/*", status=500, rate=error_rate, name="error-rate")

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def decide(self, method: str, path: str, operation: str | None) -> FaultDecision:
        latency = self.base_latency_ms
        chosen = None
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path, operation):
                    continue
                rule.matched += 1
                if rule.first_n is not None and rule.matched > rule.first_n:
                    continue
                if rule.rate < 1.0 and self._random.random() >= rule.rate:
                    continue
                rule.fired += 1
                latency += rule.latency_ms
                if chosen is None and (rule.status is not None or rule.timeout_ms):
                    chosen = rule
        return FaultDecision(latency_ms=latency, rule=chosen)
