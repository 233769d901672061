"""Logs are kept no longer than the retention period (security events: test_account_routes)."""

import logging
import os
import re
import stat
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


def test_log_files_are_readable_by_the_service_only_even_after_rotation(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "zerogafam.log").write_text("written by an older version\n")
    (folder / "zerogafam.log").chmod(0o644)
    settings = Settings(database_url="sqlite://", cookie_secret="x" * 40)
    previous = os.umask(0o022)
    try:
        handler = configure_logging(settings, folder)
        try:
            logging.getLogger("challenge.test").info("an event")
            assert stat.S_IMODE((folder / "zerogafam.log").stat().st_mode) == 0o600
            handler.doRollover()
            handler.emit(logging.LogRecord("challenge.test", logging.INFO, "", 0, "after", None, None))
            assert {stat.S_IMODE(path.stat().st_mode) for path in folder.iterdir()} == {0o600}
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        finally:
            logging.getLogger("challenge").removeHandler(handler)
            handler.close()
    finally:
        os.umask(previous)
