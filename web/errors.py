"""HTTP answers when the database is unreachable: a French page and 503, never a traceback."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

logger = logging.getLogger("challenge.errors")

UNAVAILABLE_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Service indisponible</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem">
<h1>Service momentanément indisponible</h1>
<p>Nous n'arrivons pas à joindre notre base de données. Rien n'a été perdu : réessayez dans
quelques instants.</p><p><a href="/">Retour à l'accueil</a></p></body></html>"""


async def database_unavailable(request: Request, error: Exception) -> Response:
    """Exception handler of st.App for database outages on our own routes (forms, open data)."""
    logger.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, type(error).__name__
    )
    return HTMLResponse(UNAVAILABLE_PAGE, status_code=503, headers={"Retry-After": "30"})
