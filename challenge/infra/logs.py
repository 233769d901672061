"""Logging set-up: to stderr, and to daily files kept no longer than the retention period."""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
from pathlib import Path

from challenge.infra.config import VAR_DIR, Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
FILE_MODE = 0o600  # logs name accounts and addresses: the service's user only, whatever the umask
FOLDER_MODE = 0o700


class PrivateRotatingFileHandler(logging.handlers.TimedRotatingFileHandler):
    """A daily rotating log whose every file (today's, and each one opened after a rotation) is
    readable by the service's user only; a file left world-readable by an older version is fixed."""

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        os.fchmod(descriptor, FILE_MODE)
        stream = open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)  # noqa: SIM115 - the handler closes it
        assert isinstance(stream, io.TextIOWrapper)
        return stream


def configure_logging(settings: Settings, folder: Path = VAR_DIR / "logs") -> logging.Handler:
    """Log `challenge.*` to stderr and to a file rotated at midnight, one file per day kept.

    Files older than `settings.log_retention_days` days are deleted by the rotation itself.
    """
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    folder.chmod(FOLDER_MODE)
    handler = PrivateRotatingFileHandler(
        folder / "zerogafam.log", when="midnight", backupCount=settings.log_retention_days, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("challenge")
    if not any(isinstance(h, logging.handlers.TimedRotatingFileHandler) for h in logger.handlers):
        logger.addHandler(handler)
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(FORMAT))
        logger.addHandler(stream)
    logger.setLevel(logging.INFO)
    return handler
