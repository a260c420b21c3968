"""The deployment files hold together: probes, drain, pinned images, the Ingress and compose."""

from __future__ import annotations

import yaml

from adapters.health import SERVE_SETTINGS
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def manifests() -> dict[str, dict]:
    documents = yaml.safe_load_all((DEPLOY / "kubernetes" / "policybot.yaml").read_text(encoding="utf-8"))
    return {d["kind"]: d for d in documents if d}


def test_kubernetes_probes_drain_resources_and_pinned_image():
    found = manifests()
    assert set(found) == {"Deployment", "PodDisruptionBudget", "Service", "Ingress"}
    pod = found["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert ":" in container["image"] and not container["image"].endswith(":latest")
    drain = float(next(e["value"] for e in container["env"] if e["name"] == "POLICYBOT_DRAIN_SECONDS"))
    assert drain <= SERVE_SETTINGS["drain_seconds"].default + 60
    assert pod["terminationGracePeriodSeconds"] >= drain + 5
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    labels = found["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert found["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert found["Service"]["spec"]["selector"].items() <= labels.items()


def test_the_ingress_routes_both_platforms_to_the_service():
    found = manifests()
    paths = found["Ingress"]["spec"]["rules"][0]["http"]["paths"]
    assert {p["path"] for p in paths} == {"/slack/events", "/api/messages"}
    service = found["Service"]["metadata"]["name"]
    assert all(p["backend"]["service"]["name"] == service for p in paths)
    port_names = {p["name"] for p in found["Service"]["spec"]["ports"]}
    assert all(p["backend"]["service"]["port"]["name"] in port_names for p in paths)


def test_compose_runs_slack_and_teams_with_an_env_example():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"slack", "teams", "db"} <= set(services)
    assert "--slack" in services["slack"]["command"]
    assert "--teams" in services["teams"]["command"]
    example = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD"):
        assert f"{name}=" in example
    for service in ("slack", "teams"):
        assert services[service]["env_file"] == [".env"]
        assert "/readyz" in " ".join(services[service]["healthcheck"]["test"])
        assert not services[service]["image"].endswith(":latest")


def test_the_image_installs_pinned_versions():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "-c constraints.txt" in dockerfile
    pinned = [line for line in (ROOT / "constraints.txt").read_text().splitlines() if line and line[0] != "#"]
    assert pinned and all("==" in line for line in pinned)
