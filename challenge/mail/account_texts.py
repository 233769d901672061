"""The words of the account mails (reset link, password changed...), in the account's language.

They name no household and quote no user text: their HTML part is built from the plain text
(`plain_to_html`) and every link in them is ours. Each says why it was sent.
"""

from __future__ import annotations

import html
import re

from challenge.core import addresses
from challenge.core.i18n import _

PASSWORD_RESET = "password_reset"  # noqa: S105 (mail kinds, not passwords)
PASSWORD_CHANGED = "password_changed"  # noqa: S105
SIGNUP_ATTEMPT = "signup_attempt"
CONFIRM_ADDRESS = "confirm_address"
NEW_ADDRESS = "new_address"
ADDRESS_CHANGED = "address_changed"
MAGIC_LINK = "magic_link"
ACCOUNT_KINDS = frozenset(
    {
        PASSWORD_RESET,
        PASSWORD_CHANGED,
        SIGNUP_ATTEMPT,
        CONFIRM_ADDRESS,
        NEW_ADDRESS,
        ADDRESS_CHANGED,
        MAGIC_LINK,
    }
)
# Mails holding a single-use link: their body is wiped once sent (the link is a secret).
LINK_KINDS = frozenset({PASSWORD_RESET, SIGNUP_ATTEMPT, CONFIRM_ADDRESS, NEW_ADDRESS, MAGIC_LINK})
_LINK = re.compile(r"https?://[^\s<>\"']+")


def _footer(why: str) -> list[str]:
    return ["", "-- ", why, _("Défi Zéro Gafam : ce message est automatique, merci de ne pas y répondre.")]


def password_reset(base: str, token: str, minutes: int) -> tuple[str, str]:
    """(subject, body) of the mail carrying a password-reset link."""
    link = base + addresses.RESET_PASSWORD.format(token=token)
    lines = [
        _("Bonjour,"),
        "",
        _("Une demande de nouveau mot de passe a été faite pour le compte Défi Zéro Gafam de cette adresse."),
        _("Pour choisir un nouveau mot de passe, ouvrez ce lien dans les {minutes} minutes :").format(
            minutes=minutes
        ),
        link,
        _("Il ne sert qu'une fois. Toutes les sessions ouvertes seront fermées."),
        "",
        _("Vous n'avez rien demandé ? Ignorez ce message : votre mot de passe ne change pas."),
        *_footer(
            _(
                "Vous recevez ce message parce que quelqu'un a demandé un nouveau mot de passe "
                "pour cette adresse."
            )
        ),
    ]
    return _("Choisir un nouveau mot de passe"), "\n".join(lines)


def password_changed(base: str, contact: str) -> tuple[str, str]:
    """(subject, body) of the notice sent to the account's address once its password changed."""
    lines = [
        _("Bonjour,"),
        "",
        _("Le mot de passe de votre compte Défi Zéro Gafam vient d'être changé."),
        _("Par sécurité, toutes les sessions ouvertes ont été fermées."),
        "",
        _("C'est vous ? Il n'y a rien à faire."),
        _("Ce n'est pas vous ? Choisissez tout de suite un nouveau mot de passe : {link}").format(
            link=base + addresses.FORGOT_PASSWORD
        ),
        _("et prévenez l'organisateur du défi : {contact}").format(contact=contact),
        *_footer(_("Vous recevez ce message parce que le mot de passe de votre compte a changé.")),
    ]
    return _("Votre mot de passe a été changé"), "\n".join(lines)


def plain_to_html(body: str) -> str:
    """The HTML part of an account mail: the same text, escaped, with its links clickable."""
    paragraphs = []
    for block in body.split("\n\n"):
        lines = []
        for line in block.split("\n"):
            escaped = html.escape(line)
            lines.append(_LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped))
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return (
        '<!doctype html>\n<html><body style="font-family:sans-serif">'
        + "\n".join(paragraphs)
        + "</body></html>"
    )


def signup_attempt(base: str, token: str, minutes: int) -> tuple[str, str]:
    """(subject, body) of the warning sent when someone signs up with an address that has an account."""
    lines = [
        _("Bonjour,"),
        "",
        _("Quelqu'un vient d'essayer de créer un compte Défi Zéro Gafam avec cette adresse,"),
        _("qui a déjà un compte. Aucun compte n'a été créé et le vôtre ne change pas."),
        "",
        _("C'était vous ? Connectez-vous : {link}").format(link=base + addresses.LOGIN),
        _(
            "Mot de passe oublié ? Choisissez-en un nouveau avec ce lien "
            "(valable {minutes} minutes, une fois) :"
        ).format(minutes=minutes),
        base + addresses.RESET_PASSWORD.format(token=token),
        "",
        _("Ce n'était pas vous ? Ignorez ce message."),
        *_footer(
            _("Vous recevez ce message parce que quelqu'un a voulu s'inscrire avec votre adresse e-mail.")
        ),
    ]
    return _("Tentative d'inscription avec votre adresse"), "\n".join(lines)


def confirm_address(
    base: str, token: str, days: int, *, code: str | None = None, opens_session: bool = False
) -> tuple[str, str]:
    """(subject, body) of the mail asking to confirm the account's address; at sign-up
    (`opens_session`) the link also logs in, in the browser that signed up."""
    link = base + addresses.CONFIRM_EMAIL.format(token=token) + (f"?code={code}" if code else "")
    if opens_session:
        how = [
            _("Bienvenue dans le Défi Zéro Gafam ! Pour confirmer votre adresse et commencer le défi,"),
            _("ouvrez ce lien (valable {days} jours, une fois) puis appuyez sur « Confirmer » :").format(
                days=days
            ),
            link,
            _(
                "Ouvert sur le téléphone ou l'ordinateur où vous vous êtes inscrit·e, il vous connecte "
                "aussi. Ailleurs, il confirme l'adresse et vous vous connectez avec votre mot de passe."
            ),
        ]
    else:
        how = [
            _("Bienvenue dans le Défi Zéro Gafam ! Pour confirmer que cette adresse est bien la vôtre,"),
            _("ouvrez ce lien (valable {days} jours, une fois) puis appuyez sur « Confirmer » :").format(
                days=days
            ),
            link,
        ]
    lines = [
        _("Bonjour,"),
        "",
        *how,
        "",
        _("Tant qu'elle n'est pas confirmée, nous ne vous envoyons ni rappel, ni résumé, ni invitation."),
        _(
            "Vous n'avez pas créé de compte ? Ignorez ce message : "
            "sans confirmation, rien ne vous sera envoyé."
        ),
        *_footer(_("Vous recevez ce message parce qu'un compte a été créé avec cette adresse.")),
    ]
    return _("Confirmez votre adresse e-mail"), "\n".join(lines)


def new_address(base: str, token: str, hours: int) -> tuple[str, str]:
    """(subject, body) of the mail to an address an account asked to move to."""
    lines = [
        _("Bonjour,"),
        "",
        _("Le compte Défi Zéro Gafam d'un foyer demande à utiliser désormais cette adresse."),
        _("Pour confirmer le changement, ouvrez ce lien (valable {hours} heures, une fois) :").format(
            hours=hours
        ),
        base + addresses.NEW_EMAIL.format(token=token),
        "",
        _("Vous n'avez rien demandé ? Ignorez ce message : rien ne change."),
        *_footer(_("Vous recevez ce message parce que cette adresse a été proposée pour un compte.")),
    ]
    return _("Confirmez votre nouvelle adresse e-mail"), "\n".join(lines)


def address_changed(base: str, new: str, contact: str) -> tuple[str, str]:
    """(subject, body) of the notice sent to the old address once the account moved to `new`."""
    lines = [
        _("Bonjour,"),
        "",
        _("L'adresse de votre compte Défi Zéro Gafam est désormais {address}.").format(address=new),
        _("Nos messages n'arriveront plus ici."),
        "",
        _("Ce n'est pas vous ? Prévenez tout de suite l'organisateur du défi : {contact}").format(
            contact=contact
        ),
        *_footer(_("Vous recevez ce message parce que l'adresse de votre compte a changé.")),
    ]
    return _("L'adresse de votre compte a changé"), "\n".join(lines)


def magic_link(base: str, token: str, minutes: int) -> tuple[str, str]:
    """(subject, body) of the mail carrying a log-in link."""
    lines = [
        _("Bonjour,"),
        "",
        _("Pour vous connecter au Défi Zéro Gafam, ouvrez ce lien dans les {minutes} minutes,").format(
            minutes=minutes
        ),
        _("sur le téléphone ou l'ordinateur où vous l'avez demandé :"),
        base + addresses.MAGIC_LINK.format(token=token),
        _("Il ne sert qu'une fois et ne marche pas dans un autre navigateur."),
        "",
        _("Vous n'avez rien demandé ? Ignorez ce message : personne ne peut s'en servir à votre place."),
        *_footer(
            _("Vous recevez ce message parce qu'une connexion par lien a été demandée pour cette adresse.")
        ),
    ]
    return _("Votre lien de connexion"), "\n".join(lines)
