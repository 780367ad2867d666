"""Everything Nuvo does with Avalara: the connection, its vocabulary, and sending customers."""

from integrations.services.connection import (
    TEST_FAILURE_MESSAGE,
    TEST_SUCCESS_MESSAGE,
    ConnectionTestResult,
    avalara_client_get,
    avalara_connect,
    avalara_disconnect,
    avalara_request_setup,
    avalara_test_connection,
    build_client,
    record_integration_event,
)
from integrations.services.connection_text import connect_resolution

__all__ = [
    "TEST_FAILURE_MESSAGE",
    "TEST_SUCCESS_MESSAGE",
    "ConnectionTestResult",
    "avalara_client_get",
    "avalara_connect",
    "avalara_disconnect",
    "avalara_request_setup",
    "avalara_test_connection",
    "build_client",
    "connect_resolution",
    "record_integration_event",
]
