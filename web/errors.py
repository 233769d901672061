"""HTTP answers when the database is unreachable: a page in the visitor's language and 503."""

from __future__ import annotations

import html
import logging

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from challenge.core.i18n import _, current_locale

logger = logging.getLogger("challenge.errors")

UNAVAILABLE_PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem">
<h1>{heading}</h1>
<p>{text}</p><p><a href="/">{home}</a></p></body></html>"""


def unavailable_page() -> str:
    """The outage page in the language of the request (web.language)."""
    return UNAVAILABLE_PAGE.format(
        lang=current_locale(),
        title=html.escape(_("Service indisponible")),
        heading=html.escape(_("Service momentanément indisponible")),
        text=html.escape(
            _(
                "Nous n'arrivons pas à joindre notre base de données. Rien n'a été perdu : "
                "réessayez dans quelques instants."
            )
        ),
        home=html.escape(_("Retour à l'accueil")),
    )


async def database_unavailable(request: Request, error: Exception) -> Response:
    """Exception handler of st.App for database outages on our own routes (forms, open data)."""
    logger.warning(
        "database unavailable on %s %s: %s", request.method, request.url.path, type(error).__name__
    )
    return HTMLResponse(unavailable_page(), status_code=503, headers={"Retry-After": "30"})
