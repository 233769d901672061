"""GET /healthz for load balancers and probes: is this process up, and does its database answer?"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from challenge.infra.db import Database

HEALTH_TIMEOUT_S = 2.0
HEALTHY = {"status": "ok", "database": "ok"}
UNHEALTHY = {"status": "error", "database": "unavailable"}
logger = logging.getLogger(__name__)


def database_answers(db_factory: Callable[[], Database], timeout_s: float = HEALTH_TIMEOUT_S) -> bool:
    """Run `SELECT 1` on a pooled connection; False (the reason only logged) if it fails."""
    try:
        db = db_factory()
        with db.engine.connect() as connection:
            if db.dialect == "postgresql":
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(timeout_s * 1000)}")
            connection.execute(text("SELECT 1")).scalar_one()
    except Exception as error:  # any failure means "unavailable"; the detail stays in the logs
        logger.warning("health check: database unavailable: %s: %s", type(error).__name__, error)
        return False
    return True


class HealthCheck:
    """The /healthz route bound to a database factory (as AccountForms is).

    The check runs in one worker thread and is awaited at most `timeout_s`: a database that
    hangs (rather than refuses) gives a prompt 503, and hanging checks cannot pile up threads.
    """

    def __init__(self, db_factory: Callable[[], Database], timeout_s: float = HEALTH_TIMEOUT_S) -> None:
        self._db_factory = db_factory
        self.timeout_s = timeout_s
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")

    def routes(self) -> list[Route]:
        return [Route("/healthz", self.healthz, methods=["GET", "HEAD"])]

    async def healthz(self, _request: Request) -> JSONResponse:
        loop = asyncio.get_running_loop()
        check = loop.run_in_executor(self._worker, database_answers, self._db_factory, self.timeout_s)
        try:
            healthy = await asyncio.wait_for(check, self.timeout_s)
        except TimeoutError:
            logger.warning("health check: database did not answer within %.1f s", self.timeout_s)
            healthy = False
        body, status = (HEALTHY, 200) if healthy else (UNHEALTHY, 503)
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
