"""French labels of the catalogue's vocabulary, shared by pages and exports."""

KIND = {
    "free-software": "Logiciel libre",
    "cooperative": "Coopérative",
    "association": "Association",
    "public-service": "Service public",
    "company": "Entreprise",
}
EFFORT = {"easy": "Facile", "medium": "Moyen", "hard": "Exigeant"}
COST = {"free": "Gratuit", "paid": "Payant", "donation": "Gratuit, dons bienvenus"}
ETHICS = {
    "open-source": "code source ouvert",
    "hosted-france": "hébergé en France",
    "hosted-eu": "hébergé en Europe",
    "no-ad-business": "sans publicité ciblée",
    "ess-governance": "gouvernance de l'économie sociale et solidaire",
    "privacy": "respect de la vie privée",
}
QUANTITY = {"km": "km covoiturés", "euros": "euros dépensés localement", "objects": "objets empruntés"}
