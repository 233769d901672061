"""Mail settings: environment over secrets.toml over defaults, links on the public address."""

from __future__ import annotations

from pathlib import Path

from challenge.infra.config import load_settings


def test_mail_settings_come_from_the_environment_then_the_secrets_file(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[zerogafam]\ncookie_secret = "s"\nsmtp_host = "smtp.fichier.fr"\nsmtp_port = 2525\n'
        'smtp_starttls = false\npublic_url = "https://defi.exemple.fr/"\n'
    )
    mail = load_settings({"DZG_SMTP_USER": "defi", "DZG_SMTP_PASSWORD": "pw"}, secrets).mail
    assert (mail.smtp_host, mail.smtp_port, mail.smtp_starttls) == ("smtp.fichier.fr", 2525, False)
    assert (mail.smtp_user, mail.smtp_password) == ("defi", "pw")
    assert mail.link("/bilan") == "https://defi.exemple.fr/bilan"
    assert mail.can_send
    environment = load_settings({"DZG_SMTP_HOST": "relais", "DZG_SMTP_STARTTLS": "true"}, secrets).mail
    assert (environment.smtp_host, environment.smtp_starttls) == ("relais", True)


def test_without_smtp_host_mail_is_not_sent(tmp_path: Path) -> None:
    mail = load_settings({"DZG_COOKIE_SECRET": "s"}, tmp_path / "none.toml").mail
    assert not mail.can_send
    assert mail.smtp_starttls
    assert mail.link("suivi") == "http://localhost:8501/suivi"
