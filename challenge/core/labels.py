"""Labels of the app's vocabulary (French source, translated when shown), for pages."""

from collections.abc import Callable, Sequence

from babel.support import LazyProxy

from challenge.core.i18n import _, lazy_gettext
from challenge.core.scoring import STATUS_LABELS
from challenge.core.vocabulary import CheckinStatus, Level

KIND = {
    "free-software": lazy_gettext("Logiciel libre"),
    "cooperative": lazy_gettext("Coopérative"),
    "association": lazy_gettext("Association"),
    "public-service": lazy_gettext("Service public"),
    "company": lazy_gettext("Entreprise"),
}
EFFORT = {"easy": lazy_gettext("Facile"), "medium": lazy_gettext("Moyen"), "hard": lazy_gettext("Exigeant")}
COST = {
    "free": lazy_gettext("Gratuit"),
    "paid": lazy_gettext("Payant"),
    "donation": lazy_gettext("Gratuit, dons bienvenus"),
}
ETHICS = {
    "open-source": lazy_gettext("code source ouvert"),
    "hosted-france": lazy_gettext("hébergé en France"),
    "hosted-eu": lazy_gettext("hébergé en Europe"),
    "no-ad-business": lazy_gettext("sans publicité ciblée"),
    "ess-governance": lazy_gettext("gouvernance de l'économie sociale et solidaire"),
    "privacy": lazy_gettext("respect de la vie privée"),
}
QUANTITY = {
    "km": lazy_gettext("km covoiturés"),
    "euros": lazy_gettext("euros dépensés localement"),
    "objects": lazy_gettext("objets empruntés"),
}
LEVEL: dict[str, LazyProxy] = {
    Level.REGION: lazy_gettext("Région"),
    Level.DEPARTEMENT: lazy_gettext("Département"),
    Level.EPCI: lazy_gettext("Intercommunalité"),
    Level.COMMUNE: lazy_gettext("Commune"),
}
LEVEL_ORDER: dict[str, int] = {Level.REGION: 0, Level.DEPARTEMENT: 1, Level.EPCI: 2, Level.COMMUNE: 3}


def status_label(status: str, service: str, alternatives: Sequence[str]) -> str:
    """An answer of the check-in in words, naming what the household chose: "Passé à Qwant",
    "Toujours Google Search"; the generic words when it chose no alternative."""
    if status == CheckinStatus.STILL:
        return _("Toujours {service}").format(service=service)
    if not alternatives or status not in _NAMED:
        return str(STATUS_LABELS[status])
    # "K-9 Mail (Thunderbird pour Android)" is named "K-9 Mail": answers stay short enough to tap.
    short = [name.split(" (")[0] for name in alternatives]
    named = _(" ou ").join(short[:2]) + ("…" if len(short) > 2 else "")
    return _NAMED[status]().format(alternative=named)


_NAMED: dict[str, Callable[[], str]] = {
    CheckinStatus.SWITCHED: lambda: _("Passé à {alternative}"),
    CheckinStatus.MOSTLY: lambda: _("Surtout {alternative}"),
    CheckinStatus.TRIED: lambda: _("Essayé {alternative}"),
}

HELP_KIND = {
    "repair_cafe": lazy_gettext("Repair café"),
    "epn": lazy_gettext("Espace public numérique"),
    "install_party": lazy_gettext("Install party (CHATONS)"),
    "permanence": lazy_gettext("Permanence d'association"),
}
HELP_REPLY_FROM = {  # who answered a help request, as the household reads it (help_request.replied_as)
    "captain": lazy_gettext("**Réponse de votre capitaine** : {reply}"),
    "volunteer": lazy_gettext("**Réponse d'un·e capitaine de votre territoire** : {reply}"),
    "organiser": lazy_gettext("**Réponse de l'équipe du défi** : {reply}"),
}


def member_place(status: str, service: str, alternative: str | None) -> str:
    """Where one person of the household is with a service, in a few words: "Signal", "surtout
    Signal", "encore WhatsApp" (Mon défi lists them side by side)."""
    if status == CheckinStatus.STILL:
        return _("encore {service}").format(service=service)
    if status == CheckinStatus.DROPPED:
        return _("a laissé tomber {service}").format(service=service)
    if status == CheckinStatus.SWITCHED:
        return alternative.split(" (")[0] if alternative else _("passé à l'alternative")
    if status == CheckinStatus.MOSTLY:
        return (
            _("surtout {alternative}").format(alternative=alternative.split(" (")[0])
            if alternative
            else _("surtout l'alternative")
        )
    return (
        _("essaie {alternative}").format(alternative=alternative.split(" (")[0])
        if alternative
        else _("essaie l'alternative")
    )
