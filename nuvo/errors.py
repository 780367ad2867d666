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


class NotAllowed(NuvoError):
    """This member may not do this to this record, though their role allows the action in general
    (separation of duties: the analyst who sent an application for approval cannot approve it)."""

    code = "not_allowed"
