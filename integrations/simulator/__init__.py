"""A local stand-in for the AvaTax REST v2 exemption-certificate endpoints (see README.md).

Standard library only, and no Django: `manage.py avalara_simulator` is the thin wrapper.
"""

from .faults import FaultRule
from .server import SimulatorHandle, make_server, run_in_thread, serve
from .state import SimulatorState

__all__ = [
    "FaultRule",
    "SimulatorHandle",
    "SimulatorState",
    "make_server",
    "run_in_thread",
    "serve",
]
