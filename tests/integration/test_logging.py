"""Logs are kept no longer than the retention period (security events: test_account_routes)."""

import logging
import re
from pathlib import Path

import pytest

from challenge.infra.config import Settings
from challenge.infra.logs import configure_logging


def test_log_files_rotate_daily_and_keep_only_the_retention_period(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite://", cookie_secret="x" * 40, log_retention_days=30)
    handler = configure_logging(settings, tmp_path)
    try:
        assert isinstance(handler, logging.handlers.TimedRotatingFileHandler)
        assert handler.when == "MIDNIGHT"
        assert handler.backupCount == 30
    finally:
        handler.close()


def test_script_errors_are_logged_with_a_reference_and_hidden_from_users(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from ui.errors import report_script_error

    caplog.set_level(logging.ERROR, logger="challenge.errors")
    error = RuntimeError("boom in a page")
    handled = report_script_error(error)
    assert handled is True  # Streamlit's own traceback display is suppressed
    record = caplog.records[-1]
    assert re.fullmatch(r"script error ref=[0-9a-f]{8}", record.getMessage())
    assert record.exc_info is not None
    assert "boom in a page" in str(record.exc_info[1])
