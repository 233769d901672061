"""Domain errors: each carries a message meant for the user, in the user's language."""

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
