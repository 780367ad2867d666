"""Errors raised by Nuvo's services; views turn them into messages, the API into 400/409 bodies."""


class NuvoError(Exception):
    """A refusal the user can act on: `code` is stable for the API, `message` is for people."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidTransition(NuvoError):
    """The application is not in a state that allows the action, or someone got there first."""

    code = "invalid_transition"
