import pytest

from redleaf.kit.rates import Rate
from redleaf.settings import Settings


def test_rates_come_from_the_environment_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDLEAF_SURGE_SIGNUP_RATE", "12/second")
    monkeypatch.setenv("REDLEAF_RATE_LOGIN_PER_IP", "5/minute")
    settings = Settings()
    assert settings.surge_signup_rate == Rate(12, 1.0)
    assert settings.rate_login_per_ip == Rate(5, 60.0)


def test_a_bad_rate_is_refused_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDLEAF_RATE_SIGNUP_PER_IP", "lots")
    with pytest.raises(ValueError, match="10/minute"):
        Settings()


def test_host_and_port_follow_the_plain_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "9001")
    settings = Settings()
    assert (settings.host, settings.port) == ("0.0.0.0", 9001)
