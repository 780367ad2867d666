"""The WSGI app: AvaTax REST v2 exemption-certificate routes, and the /_simulator controls.

Paths, operationIds, field names and error bodies follow ../shared/avatax/REFERENCE.md. Routing
works on the raw, still percent-encoded path so that a customer code holding `/` stays one
segment (the threaded server passes it as RAW_URI, as gunicorn does).
"""

import json
import sys
import time
import traceback
import uuid
from http import HTTPStatus
from urllib.parse import unquote

from .auth import authorize
from .controls import control
from .errors import ApiError
from .faults import DEFAULT_RETRY_AFTER, FaultRule
from .messages import MAX_BODY_BYTES, Request, Response, error_response, read_request
from .operations import ROUTES
from .records import RequestRecord
from .routing import Route
from .state import SimulatorState


class SimulatorApp:
    """WSGI callable serving one SimulatorState."""

    def __init__(self, state: SimulatorState):
        self.state = state

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        correlation_id = str(uuid.uuid4())
        epoch = self.state.epoch
        req = read_request(environ)
        if req.path.startswith("/_simulator"):
            response = control(self.state, req)
        else:
            response, operation, fault = self.serve(req, epoch)
            self.state.record(
                RequestRecord(
                    method=req.method,
                    path=unquote(req.path),
                    query=req.query_string,
                    operation=operation,
                    status=response.status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 3),
                    account_id=req.account.account_id if req.account else None,
                    fault=fault,
                    correlation_id=correlation_id,
                ),
                epoch=epoch,
            )
        if isinstance(response.body, bytes):
            payload = response.body
        else:
            payload = json.dumps(response.body, separators=(",", ":")).encode()
        headers = [
            ("Content-Type", response.content_type),
            ("Content-Length", str(len(payload))),
            ("x-correlation-id", correlation_id),
            *response.headers,
        ]
        start_response(f"{response.status} {reason_phrase(response.status)}", headers)
        return [payload]

    def serve(self, req: Request, epoch: int) -> tuple[Response, str | None, str | None]:
        if len(req.body) > MAX_BODY_BYTES:
            error = ApiError(413, "InvalidParameterValue", "The request body is too large.")
            return error_response(error), None, None
        try:
            matched, req.args = ROUTES.resolve(req.method, req.path)
        except ApiError as error:
            return error_response(error), None, None
        decision = self.state.faults.decide(req.method, unquote(req.path), matched.operation)
        self.pause(decision.latency_ms)
        rule = decision.rule
        if rule is not None and not rule.after:
            self.pause(rule.timeout_ms)
            if rule.status is not None:
                return fault_response(rule), matched.operation, decision.fault_name
        response = self.handle(matched, req, epoch)
        if rule is not None and rule.after:
            self.pause(rule.timeout_ms)
            if rule.status is not None:
                return fault_response(rule), matched.operation, decision.fault_name
        return response, matched.operation, decision.fault_name

    def handle(self, matched: Route, req: Request, epoch: int) -> Response:
        with self.state.lock:
            if self.state.epoch != epoch:
                # Reset while this request waited: its caller has given up; change nothing.
                error = ApiError(503, "ServiceUnavailable", "The simulator was reset.")
                return error_response(error)
            try:
                authorize(self.state, req, matched.scope)
                return matched.handler(self.state, req)
            except ApiError as error:
                return error_response(error)
            except Exception as exc:  # a simulator bug must still answer like AvaTax does
                traceback.print_exc(file=sys.stderr)
                error = ApiError(500, "UnhandledException", "Unhandled exception.", repr(exc))
                return error_response(error)

    def pause(self, milliseconds: int) -> None:
        if milliseconds:
            self.state.stopping.wait(milliseconds / 1000)


def fault_response(rule: FaultRule) -> Response:
    if rule.body is not None:
        body = rule.body
    else:
        code, message, description = rule.error()
        fault_code = "Server" if rule.status >= 500 else "Client"
        error = ApiError(rule.status, code, message, description, fault_code=fault_code)
        body = error.body()
    headers = []
    if rule.retry_after is not None or rule.status == 429:
        retry_after = DEFAULT_RETRY_AFTER if rule.retry_after is None else rule.retry_after
        headers.append(("Retry-After", str(retry_after)))
    if isinstance(body, str):
        body = body.encode()  # sent as it is: an HTML page, or JSON cut short
    if rule.content_type:
        return Response(rule.status, body, content_type=rule.content_type, headers=headers)
    return Response(rule.status, body, headers=headers)


def reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
