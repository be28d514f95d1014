"""The deployment files agree with each other and with the settings.

There is no Docker engine on the development machines, so the compose file is
checked by reading it: the production shape is there, every service has a
health check, and every variable it gives the app is documented.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def documented_variables() -> set[str]:
    """Names in .env.example, whether set (``NAME=``) or shown (``# NAME=``)."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def variables_read_by_settings() -> set[str]:
    names = set()
    for path in (ROOT / "horserace" / "settings").glob("*.py"):
        names |= set(
            re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text())
        )
    return names


def test_production_shape_services_exist(compose):
    """PostgreSQL, Redis, MinIO, web, worker and beat are all services."""
    assert {"postgres", "redis", "minio", *APP_SERVICES} <= set(compose["services"])


@pytest.mark.parametrize("name", ["postgres", "redis", "minio", *APP_SERVICES])
def test_every_long_running_service_has_a_healthcheck(compose, name):
    healthcheck = compose["services"][name].get("healthcheck")
    assert healthcheck and healthcheck.get("test"), f"{name} has no health check"


def test_health_checks_use_the_right_probes(compose):
    """pg_isready, redis-cli ping, /healthz and celery inspect ping."""
    services = compose["services"]

    def probe(name):
        return " ".join(services[name]["healthcheck"]["test"])

    assert "pg_isready" in probe("postgres")
    assert "redis-cli ping" in probe("redis")
    assert "mc ready local" in probe("minio")
    assert "/healthz" in probe("web")
    assert "inspect ping" in probe("worker")


def test_app_services_run_production_settings(compose):
    for name in APP_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "horserace.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://")


def test_web_runs_gunicorn_and_beat_runs_once(compose):
    services = compose["services"]
    assert "gunicorn" in services["web"]["command"]
    assert "beat" in services["beat"]["command"]
    # Two beats would enqueue every periodic task twice.
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_app_services_wait_for_migrations(compose):
    for name in APP_SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["postgres"]["condition"] == "service_healthy"


def test_every_app_variable_in_compose_is_in_env_example(compose):
    documented = documented_variables()
    for name, service in compose["services"].items():
        if name in ("postgres", "redis"):
            continue
        missing = set(service.get("environment", {})) - documented
        assert not missing, f"{name} sets {sorted(missing)}, absent from .env.example"


def test_every_variable_the_settings_read_is_in_env_example():
    missing = variables_read_by_settings() - documented_variables()
    assert not missing, f"add {sorted(missing)} to .env.example"


def test_env_example_keeps_debug_off():
    assert re.search(r"^DEBUG=false$", (ROOT / ".env.example").read_text(), re.M)


def test_compose_refuses_to_start_without_a_secret_key(compose):
    """No SECRET_KEY in .env stops compose: there is no fallback key in the
    repository for a forgetful deployment to sign sessions with."""
    for name in ("migrate", *APP_SERVICES):
        value = compose["services"][name]["environment"]["SECRET_KEY"]
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", value), value
    with pytest.raises(KeyError, match="SECRET_KEY"):
        interpolate(
            compose["services"]["web"]["environment"],
            {"MINIO_ROOT_PASSWORD": "minio-password"},
        )


def test_uploads_go_to_minio_in_a_bucket_made_before_the_app_starts(compose):
    services = compose["services"]
    for name in ("migrate", *APP_SERVICES):
        env = services[name]["environment"]
        assert env["STORAGE_BACKEND"] == "s3"
        assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert "media:/app/var/media" not in services[name].get("volumes", [])
        depends = services[name]["depends_on"]
        assert depends["minio-bucket"]["condition"] == "service_completed_successfully"
    bucket = services["minio-bucket"]
    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy"
    assert "mc mb --ignore-existing" in " ".join(bucket["entrypoint"])
    assert "ports" not in services["minio"], "the store is reached through the app"


def test_minio_refuses_to_start_without_a_password(compose):
    env = compose["services"]["minio"]["environment"]
    with pytest.raises(KeyError, match="MINIO_ROOT_PASSWORD"):
        interpolate(env, {"SECRET_KEY": "x"})


_VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(environment: dict, dotenv: dict[str, str]) -> dict[str, str]:
    """The environment compose gives a service, with ``dotenv`` as the
    ``.env`` file: ``${X}``, ``${X:-default}`` and ``${X:?error}``."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.groups()
        value = dotenv.get(name, "")
        if op == ":?" and not value:
            raise KeyError(f"{name}: {arg}")
        return value or (arg if op == ":-" else "")

    return {
        key: _VARIABLE.sub(replace, str(value)) for key, value in environment.items()
    }


# What an operator puts in .env before going live behind a TLS proxy (as the
# compose file and README tell them to).
GOING_LIVE = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "horserace.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://horserace.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "MINIO_ROOT_PASSWORD": secrets.token_urlsafe(24),
}


def manage_under_compose(compose, *args, dotenv=GOING_LIVE, tmp_path):
    """Run ``manage.py`` with the web service's compose environment (service
    host names pointed at loopback, so nothing leaves this machine)."""
    env = interpolate(compose["services"]["web"]["environment"], dotenv)
    env = {
        key: re.sub(r"@?\b(postgres|redis|minio)(?=:\d)", "127.0.0.1", value)
        for key, value in env.items()
    }
    env["DATABASE_URL"] = "postgres://horserace:horserace@127.0.0.1:5432/horserace"
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_the_compose_environment(compose, tmp_path):
    """Production settings with the compose file's variables, as deployed
    behind TLS, pass ``check --deploy`` without a single warning."""
    result = manage_under_compose(
        compose, "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr


def test_the_app_stores_uploads_in_the_compose_bucket(compose, tmp_path):
    """Under the compose environment the default storage is S3 on MinIO
    (built, not connected: nothing leaves this machine)."""
    script = (
        "import json; from django.core.files.storage import storages;"
        "s = storages['default']; print(json.dumps([type(s).__name__,"
        " s.bucket_name, s.endpoint_url, s.file_overwrite, s.default_acl]))"
    )
    result = manage_under_compose(compose, "shell", "-c", script, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    backend, bucket, endpoint, overwrite, acl = json.loads(
        result.stdout.splitlines()[-1]  # after the shell's own banner
    )
    assert (backend, bucket) == ("S3Storage", "horserace")
    assert endpoint == "http://127.0.0.1:9000"  # minio, pointed at loopback
    assert overwrite is False, "a second plan.pdf must not replace the first"
    assert acl is None


def test_check_deploy_fails_for_the_old_compose_key(compose, tmp_path):
    """The key compose used to fall back to is public: check --deploy stops."""
    dotenv = {
        **GOING_LIVE,
        "SECRET_KEY": "change-me-compose-demo-secret-key-0123456789abcdef",
    }
    result = manage_under_compose(
        compose, "check", "--deploy", dotenv=dotenv, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert "horserace.E002" in result.stderr


def test_check_deploy_fails_when_compose_forgets_the_shared_cache(compose, tmp_path):
    """Without Redis behind CACHE_URL every gunicorn worker would count logins
    and API calls alone; check --deploy refuses."""
    env = dict(compose["services"]["web"]["environment"])
    env["CACHE_URL"] = "locmemcache://"
    result = manage_under_compose(
        {"services": {"web": {"environment": env}}},
        "check",
        "--deploy",
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "horserace.E001" in result.stderr


def _docker_compose_config(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    empty = tmp_path / "empty.env"
    empty.write_text("")
    return subprocess.run(
        # --env-file: a developer's own .env must not supply the key.
        ["docker-compose", "--env-file", str(empty), "config", "-q"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


needs_docker_compose = pytest.mark.skipif(
    not shutil.which("docker-compose"), reason="docker-compose is not installed"
)


@needs_docker_compose
def test_docker_compose_config_validates(tmp_path):
    result = _docker_compose_config(
        tmp_path,
        SECRET_KEY=GOING_LIVE["SECRET_KEY"],
        MINIO_ROOT_PASSWORD=GOING_LIVE["MINIO_ROOT_PASSWORD"],
    )
    assert result.returncode == 0, result.stderr


@needs_docker_compose
@pytest.mark.parametrize("missing", ["SECRET_KEY", "MINIO_ROOT_PASSWORD"])
def test_docker_compose_refuses_without_its_secrets(tmp_path, missing):
    env = {k: GOING_LIVE[k] for k in ("SECRET_KEY", "MINIO_ROOT_PASSWORD")}
    del env[missing]
    result = _docker_compose_config(tmp_path, **env)
    assert result.returncode != 0
    assert f"set {missing} in .env" in result.stderr
