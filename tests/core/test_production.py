"""Production settings: deploy checks clean, DSFR styles load behind WhiteNoise."""

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-production-like-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "santeloc.example.gouv.fr",
    "PATH": os.environ["PATH"],
}


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env or PRODUCTION_ENV, capture_output=True, text=True
    )


def test_check_deploy_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_accounts_are_never_created_in_production():
    result = manage("load_demo")
    assert result.returncode != 0
    assert "ne se charge qu'avec DEBUG" in result.stderr


@pytest.mark.django_db
def test_dsfr_stylesheets_match_their_integrity_hash_after_collectstatic(tmp_path, client, settings):
    """Manifest storage rewrites url() in DSFR CSS and breaks its SRI hashes (STACK-NOTES)."""
    env = PRODUCTION_ENV | {"STATIC_ROOT": str(tmp_path)}
    result = manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    assert result.returncode == 0, result.stderr
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path
    page = client.get("/connexion/").content.decode()
    links = re.findall(r'<link[^>]+href="/static/([^"]+\.css)"[^>]+integrity="([^"]+)"', page)
    assert links, "django-dsfr should put integrity hashes on its stylesheets"
    for path, integrity in links:
        algorithm, expected = integrity.split("-", 1)
        digest = hashlib.new(algorithm, (tmp_path / path).read_bytes()).digest()
        assert base64.b64encode(digest).decode() == expected, path
