"""The deployment files agree with each other and with the settings.

There is no Docker engine on the development machines, so the compose file is
checked by reading it: the production shape is there, every service has a
health check, and every variable it gives the app is documented.
"""

import re
import shutil
import subprocess
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
    """PostgreSQL, Redis, web, worker and beat are all services."""
    assert {"postgres", "redis", *APP_SERVICES} <= set(compose["services"])


@pytest.mark.parametrize("name", ["postgres", "redis", *APP_SERVICES])
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


@pytest.mark.skipif(
    not shutil.which("docker-compose"), reason="docker-compose is not installed"
)
def test_docker_compose_config_validates():
    result = subprocess.run(
        ["docker-compose", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
