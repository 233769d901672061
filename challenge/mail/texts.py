"""The words of the mails we send, in the account's language (plain text, no tracking)."""

from __future__ import annotations

from babel.numbers import format_decimal

from challenge.core.i18n import _, current_locale, ngettext
from challenge.infra.mail_settings import MailSettings
from challenge.teams.stats import TeamBoard


def _number(value: float) -> str:
    return format_decimal(value, locale="fr_FR" if current_locale() == "fr" else "en_GB")


def _footer(mail: MailSettings, unsubscribe: str, why: str) -> str:
    return "\n".join(
        [
            "",
            "-- ",
            why,
            _("Ne plus recevoir ces messages (un clic) : {link}").format(link=unsubscribe),
            _("Changer le jour, l'heure ou vos autres choix : {link}").format(link=mail.link("/compte")),
        ]
    )


def reminder(
    mail: MailSettings, household: str, edition: str, week: int, unsubscribe: str
) -> tuple[str, str]:
    """(subject, body) of the weekly reminder to check in."""
    subject = _("Votre bilan de la semaine {week} vous attend").format(week=week)
    body = "\n".join(
        [
            _("Bonjour {name},").format(name=household),
            "",
            _("Le bilan de la semaine {week} de « {edition} » n'est pas encore fait.").format(
                week=week, edition=edition
            ),
            _("Il prend une minute : {link}").format(link=mail.link("/bilan")),
            "",
            _("Merci de faire vivre le défi, semaine après semaine !"),
            _footer(mail, unsubscribe, _("Vous recevez ce rappel parce que vous l'avez demandé.")),
        ]
    )
    return subject, body


def digest(mail: MailSettings, board: TeamBoard, unsubscribe: str) -> tuple[str, str]:
    """(subject, body) of a captain's weekly digest: pseudonyms and team figures only."""
    waiting = [m.name for m in board.members if not m.checked_in]
    subject = _("Collectif « {team} » : semaine {week}").format(team=board.name, week=board.week)
    lines = [
        _("Bonjour,"),
        "",
        _("Où en est le collectif « {team} » cette semaine ({week}) :").format(
            team=board.name, week=board.week
        ),
        "- "
        + ngettext(
            "{done} foyer sur {total} a fait son bilan",
            "{done} foyers sur {total} ont fait leur bilan",
            board.checked_in,
        ).format(done=board.checked_in, total=len(board.members)),
        "- " + _("Score moyen : {score} %").format(score=_number(board.score)),
        "- "
        + ngettext("{n} service remplacé en tout", "{n} services remplacés en tout", board.switched).format(
            n=board.switched
        ),
        "- "
        + ngettext(
            "Série du collectif : {n} semaine d'affilée",
            "Série du collectif : {n} semaines d'affilée",
            board.streak,
        ).format(n=board.streak),
    ]
    lines += [
        "- "
        + _("Objectif « {service} » : {switched} sur {declared}").format(
            service=goal.service_name, switched=goal.switched, declared=goal.declared
        )
        for goal in board.goals
    ]
    lines.append("")
    if waiting:
        lines.append(_("Pas encore de bilan cette semaine :"))
        lines += [f"- {name}" for name in sorted(waiting, key=str.casefold)]
        lines.append(_("Un petit mot d'encouragement peut les aider."))
    else:
        lines.append(_("Tout le monde a fait son bilan. Bravo !"))
    lines.append(_("La page du collectif : {link}").format(link=mail.link("/collectif")))
    lines.append(
        _footer(
            mail, unsubscribe, _("Vous recevez ce résumé parce que vous êtes capitaine et l'avez demandé.")
        )
    )
    return subject, "\n".join(lines)


def followup_invitation(
    mail: MailSettings, household: str, edition: str, months: int, unsubscribe: str
) -> tuple[str, str]:
    """(subject, body) of the invitation to the follow-up months after an edition."""
    subject = _("{months} mois après le défi : ça tient ?").format(months=months)
    body = "\n".join(
        [
            _("Bonjour {name},").format(name=household),
            "",
            _("Il y a {months} mois se terminait « {edition} ».").format(months=months, edition=edition),
            _("Utilisez-vous toujours les alternatives adoptées pendant le défi ?"),
            _("Une minute pour nous le dire : {link}").format(link=mail.link("/suivi")),
            "",
            _("Vos réponses mesurent ce qui dure vraiment ; elles ne sont publiées que de façon agrégée."),
            _footer(mail, unsubscribe, _("Vous recevez ce message parce que vous avez participé au défi.")),
        ]
    )
    return subject, body
