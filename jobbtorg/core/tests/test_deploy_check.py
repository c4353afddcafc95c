"""Production settings pass `manage.py check --deploy` (issue 2, part 1).

The check runs in a subprocess so that the settings module is imported afresh
with the production environment, exactly as gunicorn would import it. Only the
variables an operator must set are given (docs/operations.md); everything else
comes from the defaults in jobbtorg/settings.py.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]
# Variables the host or the CI may have set that would change what is checked.
_SCRUBBED = {
    "DEBUG",
    "DATABASE_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "JOBBTORG_ENV",
    "EMAIL_BACKEND",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
}


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def _production_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED}
    env.update(
        DJANGO_SETTINGS_MODULE="jobbtorg.settings",
        JOBBTORG_ENV="production",
        SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="jobbtorg.example.se",
        DEBUG="0",
    )
    env.update(overrides)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _check_deploy(_production_env())
    assert result.returncode == 0, f"check --deploy failed:\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize(
    ("override", "expected_check"),
    [
        ({"DEBUG": "1"}, "security.W018"),
        ({"SECURE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
    ],
)
def test_check_deploy_catches_an_unsafe_setting(override, expected_check):
    """The check above can fail: one unsafe variable is enough to be refused."""
    result = _check_deploy(_production_env(**override))
    assert result.returncode != 0
    assert expected_check in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
