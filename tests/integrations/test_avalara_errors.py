"""The Avalara error taxonomy: the guide's nine codes and how Avalara's answers map onto them."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from integrations.avalara import (
    AvalaraConnectionError,
    AvalaraError,
    AvalaraResponseError,
    ErrorCode,
    ErrorDetail,
    error_for_code,
)
from integrations.avalara.client import parse_retry_after
from integrations.avalara.errors import error_from_response, parse_error_body

FAILED = ErrorCode.CUSTOMER_CREATION_FAILED


def avalara_body(code: str, message: str, **detail: str) -> dict:
    return {
        "error": {
            "code": code,
            "message": message,
            "target": "HttpRequest",
            "details": [{"code": code, "number": 4, "message": message, **detail}],
        }
    }


def test_error_codes_are_exactly_the_guides_nine() -> None:
    assert [code.value for code in ErrorCode] == [
        "INVALID_CREDENTIALS",
        "UNABLE_TO_CONNECT",
        "CREDENTIALS_NOT_CONFIGURED",
        "AUTHENTICATION_FAILED",
        "COMPANY_MISMATCH",
        "NO_CERTIFICATES_FOUND",
        "CUSTOMER_CREATION_FAILED",
        "CERTIFICATE_UPLOAD_FAILED",
        "UNKNOWN_ERROR",
    ]


@pytest.mark.parametrize(
    ("code", "summary", "resolution"),
    [
        (
            ErrorCode.INVALID_CREDENTIALS,
            "Your username or password is incorrect.",
            "Re-enter your credentials using Reconnect/Update Credentials.",
        ),
        (
            ErrorCode.COMPANY_MISMATCH,
            "You are attempting to send a customer under a different company than the one "
            "linked to the integration.",
            "Confirm you are operating under the correct company.",
        ),
        (
            ErrorCode.UNKNOWN_ERROR,
            "An unexpected error occurred.",
            "Retry the operation. Contact support if the issue continues.",
        ),
    ],
)
def test_each_code_quotes_the_guides_summary_and_resolution(
    code: ErrorCode, summary: str, resolution: str
) -> None:
    assert (code.summary, code.resolution) == (summary, resolution)


def test_every_code_has_guide_text() -> None:
    for code in ErrorCode:
        assert code.summary.endswith(".")
        assert code.resolution.endswith(".")
        assert not code.resolution.startswith("Resolution")


@pytest.mark.parametrize(
    ("status", "body", "expected", "retryable"),
    [
        (401, avalara_body("AuthenticationException", "Authentication failed."),
         ErrorCode.INVALID_CREDENTIALS, False),
        (400, avalara_body("BasicAuthIncorrect", "Basic auth incorrect."),
         ErrorCode.INVALID_CREDENTIALS, False),
        (403, None, ErrorCode.AUTHENTICATION_FAILED, False),
        (400, avalara_body("PermissionRequired", "Permission required."),
         ErrorCode.AUTHENTICATION_FAILED, False),
        (429, None, ErrorCode.UNABLE_TO_CONNECT, True),
        (400, avalara_body("ConcurrentRequestLimitExceeded", "Too many."),
         ErrorCode.UNABLE_TO_CONNECT, True),
        (500, avalara_body("ServiceTimeout", "Timed out."), ErrorCode.UNABLE_TO_CONNECT, True),
        (404, avalara_body("EntityNotFoundError", "Customer not found."), FAILED, False),
        (404, avalara_body("EntityNotFoundError", "Company not found."),
         ErrorCode.COMPANY_MISMATCH, False),
        (404, avalara_body("EntityNotFoundError", "Entity not found.", refersTo="companyId"),
         ErrorCode.COMPANY_MISMATCH, False),
        (400, avalara_body("DuplicateEntry", "Duplicate."), FAILED, False),
        (500, avalara_body("DuplicateEntry", "Duplicate."), FAILED, False),
        (400, avalara_body("AccountNotProvisioned", "Not provisioned."), FAILED, False),
        (400, avalara_body("EcmsDisabled", "ECMS disabled."), FAILED, False),
        (400, avalara_body("ModelStateInvalid", "Invalid."), FAILED, False),
        (409, None, FAILED, False),
        (502, None, ErrorCode.UNABLE_TO_CONNECT, True),
        (503, None, ErrorCode.UNABLE_TO_CONNECT, True),
        (504, None, ErrorCode.UNABLE_TO_CONNECT, True),
        (500, None, FAILED, True),
        (507, None, FAILED, True),
    ],
)  # fmt: skip
def test_error_from_response_maps_status_and_avalara_code(
    status: int, body: dict | None, expected: ErrorCode, retryable: bool
) -> None:
    error = error_from_response(
        operation="CreateCustomers", failure_code=FAILED, http_status=status, body=body
    )

    assert isinstance(error, AvalaraResponseError)
    assert (error.code, error.retryable, error.http_status) == (expected, retryable, status)


def test_a_missing_customer_that_mentions_its_company_is_not_a_company_mismatch() -> None:
    body = avalara_body(
        "EntityNotFoundError",
        "Customer not found.",
        description="The Customer 'NUVO_1' was not found in company 7370914.",
    )

    error = error_from_response(
        operation="GetCustomer",
        failure_code=ErrorCode.UNKNOWN_ERROR,
        http_status=404,
        body=body,
    )

    assert (error.code, error.is_not_found) == (ErrorCode.UNKNOWN_ERROR, True)


def test_error_carries_avalaras_code_message_and_details() -> None:
    body = {
        "error": {
            "code": "DuplicateEntry",
            "message": "The object is a duplicate of an existing object.",
            "target": "IncorrectData",
            "details": [
                {
                    "code": "DuplicateEntry",
                    "number": 193,
                    "message": "The object is a duplicate of an existing object.",
                    "description": "A customer with the code 'NUVO_1' already exists.",
                    "faultCode": "Client",
                    "helpLink": "http://developer.avalara.com/avatax/errors/DuplicateEntry",
                    "severity": "Error",
                    "refersTo": "customerCode",
                    "somethingNew": True,
                }
            ],
        }
    }

    error = error_from_response(
        operation="CreateCustomers", failure_code=FAILED, http_status=400, body=body
    )

    assert (error.avalara_code, error.avalara_message) == (
        "DuplicateEntry",
        "The object is a duplicate of an existing object.",
    )
    assert error.details == (
        ErrorDetail(
            code="DuplicateEntry",
            number=193,
            message="The object is a duplicate of an existing object.",
            description="A customer with the code 'NUVO_1' already exists.",
            help_link="http://developer.avalara.com/avatax/errors/DuplicateEntry",
            severity="Error",
            refers_to="customerCode",
        ),
    )
    assert (error.is_duplicate, error.is_not_found, error.is_rate_limited) == (True, False, False)


def test_parse_error_body_accepts_the_bare_error_info_of_avalaras_docs() -> None:
    code, message, details = parse_error_body(
        {"code": "CertificatesNotSetup", "message": "This company has not been configured."}
    )

    assert (code, message, details) == (
        "CertificatesNotSetup",
        "This company has not been configured.",
        (),
    )


@pytest.mark.parametrize("body", [None, "Bad gateway", [], {"error": "text"}, {"error": {}}])
def test_parse_error_body_tolerates_bodies_that_are_not_avalaras(body: object) -> None:
    assert parse_error_body(body) == (None, None, ())


def test_str_is_one_credential_free_line() -> None:
    error = error_from_response(
        operation="GetCustomer",
        failure_code=ErrorCode.UNKNOWN_ERROR,
        http_status=404,
        body=avalara_body("EntityNotFoundError", "Company\nnot found."),
        secrets=["hunter2-secret"],
    )

    assert str(error) == (
        "COMPANY_MISMATCH in GetCustomer (HTTP 404): EntityNotFoundError: Company not found."
    )


def test_str_of_a_body_less_error_says_so() -> None:
    error = error_from_response(
        operation="Ping", failure_code=ErrorCode.UNKNOWN_ERROR, http_status=502, body=None
    )

    assert str(error) == "UNABLE_TO_CONNECT in Ping (HTTP 502): no Avalara error body"


def test_error_for_code_builds_a_service_level_error() -> None:
    error = error_for_code(ErrorCode.CREDENTIALS_NOT_CONFIGURED, operation="TestConnection")

    assert type(error) is AvalaraError
    assert (error.code, error.retryable, error.http_status, error.avalara_code) == (
        ErrorCode.CREDENTIALS_NOT_CONFIGURED,
        False,
        None,
        None,
    )
    assert str(error) == (
        "CREDENTIALS_NOT_CONFIGURED in TestConnection: No Avalara credentials are currently saved."
    )
    assert error.resolution == "Connect Avalara in Settings > Integrations."


def test_error_for_code_marks_only_unable_to_connect_retryable() -> None:
    assert error_for_code(ErrorCode.UNABLE_TO_CONNECT).retryable is True
    assert error_for_code(ErrorCode.NO_CERTIFICATES_FOUND).retryable is False


def test_errors_survive_pickling_for_celery() -> None:
    error = AvalaraConnectionError(
        ErrorCode.UNABLE_TO_CONNECT,
        operation="CreateCertificates",
        retryable=True,
        reason="ReadTimeout",
        outcome_unknown=True,
        details=[ErrorDetail(code="X", number=1)],
    )

    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert type(restored) is AvalaraConnectionError
    assert str(restored) == str(error)
    assert (restored.code, restored.outcome_unknown, restored.details) == (
        ErrorCode.UNABLE_TO_CONNECT,
        True,
        (ErrorDetail(code="X", number=1),),
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        (" 0 ", 0.0),
        ("1.5", 1.5),
        ("120", 30.0),
        ("-5", None),
        ("nan", None),
        ("inf", None),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_retry_after_reads_seconds_and_caps_them(value: str, expected: float | None) -> None:
    assert parse_retry_after(value, cap=30.0) == expected


def test_parse_retry_after_reads_an_http_date() -> None:
    in_ten_seconds = format_datetime(datetime.now(UTC) + timedelta(seconds=10), usegmt=True)
    in_the_past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)

    assert 8.0 <= parse_retry_after(in_ten_seconds, cap=30.0) <= 10.0
    assert parse_retry_after(in_the_past, cap=30.0) == 0.0
