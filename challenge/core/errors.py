"""Domain errors: each carries a message meant for the user, in the user's language."""

import reprlib

from babel.support import LazyProxy


class ChallengeError(Exception):
    """A rule of the challenge was broken; the message says which, in the user's language."""

    def __init__(self, message: str | LazyProxy, *, field: str | None = None) -> None:
        message = str(message)  # a lazy constant is translated now, in the language of this run
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(ChallengeError):
    """User input does not satisfy a rule (bad e-mail, short password, unknown commune…)."""


class NotFound(ChallengeError):
    """The thing asked for does not exist, or the user may not see it."""


class AuthenticationError(ChallengeError):
    """Credentials or session are not valid."""


class TooManyAttempts(AuthenticationError):
    """Log-in attempts on this account are throttled for a while."""


class ReferenceDataError(Exception):
    """A reference data file is invalid; the message names the file and line."""


class ConfigurationError(Exception):
    """The operator's settings are invalid; the message says which setting and why."""


SHOWN_LIMIT = 60
_BOUNDED_REPR = reprlib.Repr()  # Python 3.11: the limits are attributes
_BOUNDED_REPR.maxlevel, _BOUNDED_REPR.maxstring, _BOUNDED_REPR.maxother = 2, SHOWN_LIMIT, SHOWN_LIMIT
_BOUNDED_REPR.maxlist = _BOUNDED_REPR.maxtuple = _BOUNDED_REPR.maxdict = _BOUNDED_REPR.maxset = 4


def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """A value someone sent, quoted for an error message and cut at `limit` characters: a message
    never grows with what was sent (a YAML bomb once made a 122-million-character one)."""
    text = _BOUNDED_REPR.repr(value)  # bounded in depth and length, whatever the structure
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bounded(messages: list[str], limit: int = 20) -> list[str]:
    """The first `limit` messages, and how many more there are."""
    if len(messages) <= limit:
        return messages
    return [*messages[:limit], f"… (+{len(messages) - limit})"]
