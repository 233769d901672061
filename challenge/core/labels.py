"""Labels of the catalogue's vocabulary (French source, translated when shown), for pages."""

from challenge.core.i18n import lazy_gettext

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
