"""AvaTax's ErrorResult shape, and the errors and details the simulator answers with.

Wording follows developer.avalara.com error pages (REFERENCE.md §9).
"""

ERROR_NUMBERS = {
    "EntityNotFoundError": 4,
    "ValueRequiredError": 5,
    "StringLengthError": 13,
    "InvalidQueryField": 17,
    "InvalidQueryValue": 18,
    "DateFormatError": 26,
    "AuthenticationException": 30,
    "AuthenticationIncomplete": 34,
    "BasicAuthIncorrect": 35,
    "ModelRequiredException": 38,
    "JsonFormatError": 47,
    "UnhandledException": 50,
    "ModelStateInvalid": 70,
    "DeleteInformation": 100,
    "MalformedFilterException": 182,
    "DuplicateEntry": 193,
    "InternalServerError": 209,
    "InvalidParameterValue": 306,
    "ServerUnreachable": 500,
    "CertificatesError": 1203,
    "MissingRequiredFields": 1204,
    "CertificatesNotSetup": 1205,
    "MissingExemptReason": 1210,
    "InvalidExemptReason": 1211,
    "ConflictingFields": 1213,
    "InvalidPdfOrImageFile": 1214,
    "InvalidRequestContentType": 1217,
    "ExemptionPaginationLimits": 1218,
    "ExemptionSortLimits": 1219,
    "FieldNotQueryableError": 1408,
    "RateLimitExceededError": 1723,
}


class ApiError(Exception):
    """An AvaTax ErrorResult with its HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        description: str | None = None,
        *,
        target: str = "HttpRequest",
        refers_to: str | None = None,
        fault_code: str = "Client",
        severity: str = "Error",
        details: list[dict] | None = None,
        headers: list[tuple[str, str]] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.headers = headers or []
        self.code = code
        self.message = message
        self.target = target
        self.details = details or [
            error_detail(code, message, description, refers_to, fault_code, severity)
        ]

    def body(self) -> dict:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "target": self.target,
                "details": self.details,
            }
        }


def error_detail(
    code: str,
    message: str,
    description: str | None = None,
    refers_to: str | None = None,
    fault_code: str = "Client",
    severity: str = "Error",
) -> dict:
    detail = {
        "code": code,
        "number": ERROR_NUMBERS.get(code),
        "message": message,
        "description": description,
        "faultCode": fault_code,
        "helpLink": f"http://developer.avalara.com/avatax/errors/{code}",
        "refersTo": refers_to,
        "severity": severity,
    }
    return {key: value for key, value in detail.items() if value is not None}


def validation_error(details: list[dict]) -> ApiError:
    first = details[0]
    return ApiError(400, first["code"], first["message"], target="IncorrectData", details=details)


def not_found(entity: str, key: str, value) -> ApiError:
    return ApiError(
        404,
        "EntityNotFoundError",
        f"{entity} not found.",
        f"The {entity} with {key} '{value}' was not found.",
        refers_to=entity,
    )


def not_set_up(company_id: int) -> ApiError:
    return ApiError(
        400,
        "CertificatesNotSetup",
        "This company has not been configured.",
        f"The company '{company_id}' is not found for exemption certificates.",
        target="CustomerAccountSetup",
        fault_code="Server",
    )


def certificates_error(description: str) -> ApiError:
    return ApiError(
        400,
        "CertificatesError",
        "Certificates API returned error",
        description,
        target="IncorrectData",
    )


def required_detail(name: str) -> dict:
    short = name.rsplit(".", 1)[-1]
    return error_detail(
        "ValueRequiredError",
        f"Field {short} is required.",
        f"Please provide a value for field {short}.",
        refers_to=name,
    )


def length_detail(name: str, low: int, high: int) -> dict:
    short = name.rsplit(".", 1)[-1]
    return error_detail(
        "StringLengthError",
        f"Field {short} must be between {low} and {high} characters in length.",
        f"The value of {short} is too long.",
        refers_to=name,
    )


def model_state_detail(value, model: str) -> dict:
    return error_detail(
        "ModelStateInvalid",
        "Invalid JSON object.",
        "The request body does not represent a valid JSON object.  "
        f"The value '{str(value)[:60]}' is not a valid '{model}'.",
        refers_to=model,
    )
