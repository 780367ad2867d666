"""How service refusals become API responses: a stable `code` and a human `detail`."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from nuvo.errors import InvalidTransition, NotAllowed, NuvoError


def exception_handler(exc, context):
    if isinstance(exc, InvalidTransition):
        return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, NotAllowed):
        return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, NuvoError):
        return Response(
            {"code": exc.code, "detail": exc.message}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        return Response(
            {"code": exc.code or "invalid", "detail": " ".join(exc.messages)},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, exceptions.Throttled):
        # DRF sets Retry-After; the body takes the shape of every other refusal.
        response.data = {"code": exc.default_code, "detail": str(exc.detail)}
    return response
