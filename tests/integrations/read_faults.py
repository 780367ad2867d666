"""The faults Avalara can answer a read with (simulator fault rules), and the code Nuvo shows for
each; shared by the status-sync and Connect fault tests."""

HTML_PAGE = "<html><body>Service unavailable</body></html>"
AVALARA_400 = {"error": {"code": "InvalidParameterValue", "message": "A value is not valid."}}
READ_FAULTS = {
    "429": ({"status": 429, "retry_after": 1}, "UNABLE_TO_CONNECT"),
    "500": ({"status": 500}, "UNKNOWN_ERROR"),
    "503": ({"status": 503}, "UNABLE_TO_CONNECT"),
    "html-error-page": (
        {"status": 502, "body": HTML_PAGE, "content_type": "text/html"},
        "UNABLE_TO_CONNECT",
    ),
    "malformed-json": ({"status": 200, "body": '{"value": [{"id": 1'}, "UNKNOWN_ERROR"),
    "read-timeout": ({"timeout_ms": 1200}, "UNABLE_TO_CONNECT"),
    "401": ({"status": 401}, "INVALID_CREDENTIALS"),
    "400-error-body": ({"status": 400, "body": AVALARA_400}, "UNKNOWN_ERROR"),
}
