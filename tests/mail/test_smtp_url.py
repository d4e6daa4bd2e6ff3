from __future__ import annotations

import pytest

from cxgap.config import Settings
from cxgap.errors import ConfigError, MailNotConfiguredError
from cxgap.mail import mailer_for, parse_smtp_url


def test_starttls_url_with_an_encoded_password() -> None:
    config = parse_smtp_url("smtp://bob:p%40ss%3Aword@mail.example.com:587?starttls=1")
    assert (config.host, config.port, config.starttls, config.use_tls) == (
        "mail.example.com",
        587,
        True,
        False,
    )
    assert (config.username, config.password) == ("bob", "p@ss:word")
    assert "p@ss" not in repr(config)


def test_smtps_defaults_to_port_465_and_tls() -> None:
    config = parse_smtp_url("smtps://relay.example.org")
    assert (config.port, config.use_tls, config.username) == (465, True, None)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://mail.example.com", "must start with smtp:// or smtps://"),
        ("smtp://", "names no host"),
        ("smtp://mail.example.com?starttls=maybe", "'maybe'"),
        ("smtp://mail.example.com?tls=1", "unknown option 'tls'"),
        ("smtps://mail.example.com?starttls=1", "already TLS"),
    ],
)
def test_a_bad_url_is_refused_naming_the_value(url: str, says: str) -> None:
    with pytest.raises(ConfigError, match="CXGAP_SMTP_URL") as caught:
        parse_smtp_url(url)
    assert says in str(caught.value)


def test_the_password_never_appears_in_an_error() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_smtp_url("smtp://bob:hunter2@mail.example.com?starttls=perhaps")
    assert "hunter2" not in str(caught.value) and "***" in str(caught.value)


def test_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXGAP_SMTP_URL", "smtp://u:s3cret@mx.example.com:2525")
    monkeypatch.setenv("CXGAP_MAIL_FROM", "CX <cx@example.com>")
    monkeypatch.setenv("CXGAP_PUBLIC_URL", "https://cx.example.com/")
    settings = Settings.from_env(database_url="sqlite://")
    assert settings.public_url == "https://cx.example.com"
    assert "s3cret" not in repr(settings)
    assert mailer_for(settings).config.port == 2525


def test_unconfigured_mail_says_which_setting_is_missing(tmp_path: object) -> None:
    settings = Settings.from_env(database_url="sqlite://")
    with pytest.raises(MailNotConfiguredError, match="CXGAP_SMTP_URL"):
        mailer_for(settings)
    with_url = Settings(data_dir=settings.data_dir, database_url="sqlite://", smtp_url="smtp://h")
    with pytest.raises(MailNotConfiguredError, match="CXGAP_MAIL_FROM"):
        mailer_for(with_url)
