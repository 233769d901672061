"""Logging set-up: to stderr, and to daily files kept no longer than the retention period."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from challenge.infra.config import VAR_DIR, Settings

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(settings: Settings, folder: Path = VAR_DIR / "logs") -> logging.Handler:
    """Log `challenge.*` to stderr and to a file rotated at midnight, one file per day kept.

    Files older than `settings.log_retention_days` days are deleted by the rotation itself.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.TimedRotatingFileHandler(
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
