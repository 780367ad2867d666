"""The /_simulator controls: faults, the request log, state and reset.

No authentication, not recorded, and not part of AvaTax (README.md lists them).
"""

import json
from dataclasses import asdict

from .accounts import SIMULATOR_VERSION
from .faults import FaultRule
from .messages import Request, Response, ok
from .operations import ROUTES
from .seeding import change_certificates, seed_customers
from .state import SimulatorState


def control(state: SimulatorState, req: Request) -> Response:
    action = CONTROLS.get((req.method, req.path))
    if action is None:
        return Response(404, {"error": f"no simulator control at {req.method} {req.path}"})
    try:
        return ok(action(state, req))
    except ValueError as exc:
        return Response(400, {"error": str(exc)})


def add_faults(state: SimulatorState, req: Request) -> dict:
    try:
        data = json.loads(req.body or b"null")
    except ValueError as exc:
        raise ValueError(f"the body must be JSON: {exc}") from None
    if isinstance(data, dict):
        data = data.get("rules", [data])
    if not isinstance(data, list) or not all(isinstance(rule, dict) for rule in data):
        raise ValueError('send a fault rule object, a list of them, or {"rules": [...]}')
    try:
        rules = [FaultRule.from_dict(rule) for rule in data]
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    for rule in rules:
        state.faults.add(rule)
    return list_faults(state, req)


def list_faults(state: SimulatorState, req: Request) -> dict:
    rules = state.faults.rules()
    return {"baseLatencyMs": state.faults.base_latency_ms, "rules": [r.to_dict() for r in rules]}


def clear_faults(state: SimulatorState, req: Request) -> dict:
    state.faults.clear()
    return list_faults(state, req)


def list_requests(state: SimulatorState, req: Request) -> dict:
    records = state.requests(req.query("operation"))
    by_operation: dict[str, int] = {}
    for record in records:
        by_operation[record.operation or "-"] = by_operation.get(record.operation or "-", 0) + 1
    return {
        "count": len(records),
        "byOperation": by_operation,
        "requests": [asdict(r) for r in records],
    }


def clear_requests(state: SimulatorState, req: Request) -> dict:
    state.clear_requests()
    return list_requests(state, req)


def reset(state: SimulatorState, req: Request) -> dict:
    state.reset()
    return {"status": "reset"}


def _json_object(req: Request) -> dict:
    try:
        data = json.loads(req.body or b"{}")
    except ValueError as exc:
        raise ValueError(f"the body must be JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("send a JSON object")
    return data


def seed(state: SimulatorState, req: Request) -> dict:
    data = _json_object(req)
    try:
        created = seed_customers(
            state,
            company_id=int(data.get("companyId", 7100001)),
            customers=int(data["customers"]),
            certificates_per_customer=int(data.get("certificatesPerCustomer", 1)),
            code_prefix=str(data.get("codePrefix", "BENCH_")),
            modified_days_ago=int(data.get("modifiedDaysAgo", 30)),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f'send {{"customers": n, "certificatesPerCustomer": m}}: {exc}') from None
    return {"customers": created}


def change(state: SimulatorState, req: Request) -> dict:
    data = _json_object(req)
    ids = data.get("certificateIds")
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise ValueError('send {"certificateIds": [ids], "valid": false}')
    count = change_certificates(
        state,
        company_id=int(data.get("companyId", 7100001)),
        certificate_ids=ids,
        valid=bool(data.get("valid", False)),
    )
    return {"changed": count}


def index(state: SimulatorState, req: Request) -> dict:
    return {
        "simulator": SIMULATOR_VERSION,
        "operations": sorted({f"{r.method} {r.operation}" for r in ROUTES}),
        "controls": sorted(f"{method} {path}" for method, path in CONTROLS),
    }


CONTROLS = {
    ("GET", "/_simulator"): index,
    ("GET", "/_simulator/faults"): list_faults,
    ("POST", "/_simulator/faults"): add_faults,
    ("DELETE", "/_simulator/faults"): clear_faults,
    ("GET", "/_simulator/requests"): list_requests,
    ("DELETE", "/_simulator/requests"): clear_requests,
    ("POST", "/_simulator/reset"): reset,
    ("POST", "/_simulator/seed"): seed,
    ("POST", "/_simulator/change"): change,
    ("GET", "/_simulator/state"): lambda state, req: state.summary(),
}
