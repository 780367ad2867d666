"""Serve the simulator with a threading wsgiref server, in the foreground or in a thread."""

import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from .app import SimulatorApp
from .state import SimulatorState


class _RequestHandler(WSGIRequestHandler):
    quiet = True

    def get_environ(self):
        environ = super().get_environ()
        environ["RAW_URI"] = self.path  # PATH_INFO is already decoded: %2F would split a segment
        if self.headers.get("Content-Type") is None:
            environ["CONTENT_TYPE"] = ""  # wsgiref fills in text/plain
        return environ

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    block_on_close = False  # a request hanging in a simulated timeout must not hold up stop()
    allow_reuse_address = True
    request_queue_size = 1024  # socketserver's 5 resets connections under benchmark concurrency


class SimulatorHandle:
    """A running simulator: `base_url`, its `state`, and `stop()`."""

    def __init__(self, server: _ThreadingServer, state: SimulatorState):
        self.server = server
        self.state = state
        host, port = server.server_address[:2]
        self.host, self.port = host, port
        self.base_url = f"http://{host}:{port}"
        self._thread: threading.Thread | None = None
        self._stopped = False

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.1)

    def start(self) -> "SimulatorHandle":
        self._thread = threading.Thread(
            target=self.serve_forever, name="avalara-simulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake sleeping requests, stop accepting, close the socket. Safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self.state.stopping.set()
        if self._thread is not None:
            # A shut listening socket wakes serve_forever now rather than at its next poll.
            with suppress(OSError):  # Linux allows it; elsewhere stop() waits out the poll
                self.server.socket.shutdown(socket.SHUT_RDWR)
            self.server.shutdown()
            self._thread.join(timeout=5)
        self.server.server_close()


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    state: SimulatorState | None = None,
    verbose: bool = False,
    **options,
) -> SimulatorHandle:
    """Bind a server (port 0 picks a free port); `options` go to SimulatorState."""
    state = state or SimulatorState(**options)
    handler = type("RequestHandler", (_RequestHandler,), {"quiet": not verbose})
    server = _ThreadingServer((host, port), handler)
    server.set_app(SimulatorApp(state))
    return SimulatorHandle(server, state)


@contextmanager
def run_in_thread(host: str = "127.0.0.1", port: int = 0, **options) -> Iterator[SimulatorHandle]:
    """Run the simulator in a background thread for the duration of a `with` block."""
    handle = make_server(host, port, **options).start()
    try:
        yield handle
    finally:
        handle.stop()


def serve(host: str = "127.0.0.1", port: int = 8765, **options) -> None:
    """Serve in the foreground until interrupted."""
    handle = make_server(host, port, verbose=True, **options)
    try:
        handle.serve_forever()
    except KeyboardInterrupt:
        print("Stopping the Avalara simulator.", file=sys.stderr)
    finally:
        handle.stop()
