"""Settings chosen from the environment, read in a fresh process (the
settings modules read the environment once, at import)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
s = storages["default"]
print(json.dumps({
    "backend": type(s).__name__,
    "options": {k: getattr(s, k, None) for k in
                ("bucket_name", "endpoint_url", "region_name", "access_key",
                 "file_overwrite", "default_acl")},
    "hsts": [settings.SECURE_HSTS_SECONDS,
             getattr(settings, "SECURE_HSTS_INCLUDE_SUBDOMAINS", False),
             getattr(settings, "SECURE_HSTS_PRELOAD", False)],
}))
"""


def settings_with(module="horserace.settings", **env):
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_uploads_stay_on_the_local_disk_by_default():
    assert settings_with()["backend"] == "FileSystemStorage"


def test_s3_storage_is_chosen_from_the_environment():
    chosen = settings_with(
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="ideas-files",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_S3_REGION_NAME="eu-west-1",
        AWS_ACCESS_KEY_ID="app-key",
        AWS_SECRET_ACCESS_KEY="app-secret",
    )
    assert chosen["backend"] == "S3Storage"
    assert chosen["options"] == {
        "bucket_name": "ideas-files",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": "eu-west-1",
        "access_key": "app-key",
        "file_overwrite": False,
        "default_acl": None,
    }


def test_an_unknown_storage_backend_refuses_to_start():
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "horserace.settings",
            "STORAGE_BACKEND": "ftp",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "STORAGE_BACKEND must be filesystem or s3" in result.stderr


def test_production_hsts_is_a_year_on_every_subdomain_and_preloadable():
    """The browsers' preload list asks for a max-age of a year at least."""
    chosen = settings_with(
        "horserace.settings.production", SECRET_KEY=secrets.token_urlsafe(50)
    )
    seconds, subdomains, preload = chosen["hsts"]
    assert seconds >= 31536000
    assert subdomains is True
    assert preload is True
