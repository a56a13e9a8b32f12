#!/usr/bin/env bash
# Every config the deploy stack ships or mounts, checked by the real tools: promtool (Prometheus
# config, rules, rule unit tests), amtool (Alertmanager), and for what no tool of ours can run
# (compose, Grafana provisioning and dashboards): that it parses and points at files that exist.
set -euo pipefail
DEPLOY=${DEPLOY:?set DEPLOY to the deploy folder}
DASHBOARDS=${DASHBOARDS:?set DASHBOARDS to the dashboards folder}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

promtool check rules "$DEPLOY"/prometheus/rules/*.yml || fail "promtool check rules"
promtool test rules "$DEPLOY"/prometheus/tests/*.yml || fail "promtool test rules"
# prometheus.yml names the rules where the container mounts them; check it against the repo copy.
mkdir -p "$work/prometheus"
cp -r "$DEPLOY/prometheus/rules" "$work/prometheus/"
sed "s|/etc/prometheus/rules/|$work/prometheus/rules/|" "$DEPLOY/prometheus/prometheus.yml" >"$work/prometheus/prometheus.yml"
promtool check config "$work/prometheus/prometheus.yml" || fail "promtool check config"
amtool check-config "$DEPLOY/alertmanager/alertmanager.yml" || fail "amtool check-config"

# The fleet: the central receiver, the Prometheus agent (its placeholders filled in as the install
# line does), vmagent's scrape config, and the file_sd targets file.
mkdir -p "$work/fleet"
sed "s|/etc/prometheus/rules/|$work/prometheus/rules/|" "$DEPLOY/fleet/central/prometheus.yml" >"$work/fleet/central.yml"
promtool check config --syntax-only "$work/fleet/central.yml" || fail "promtool: fleet central config"
sed -e 's/__HOST__/mbp-01/' -e 's|__RECEIVER__|https://metrics.example.com/api/v1/write|' \
  "$DEPLOY/fleet/agent/prometheus-agent.yml" >"$work/fleet/agent.yml"
promtool check config --agent "$work/fleet/agent.yml" || fail "promtool: fleet agent config"
if command -v vmagent >/dev/null; then
  sed 's/__HOST__/mbp-01/' "$DEPLOY/fleet/agent/vmagent-scrape.yml" >"$work/fleet/vmagent.yml"
  vmagent -promscrape.config="$work/fleet/vmagent.yml" -promscrape.config.dryRun -loggerLevel=ERROR ||
    fail "vmagent: fleet scrape config"
fi
python3 - "$DEPLOY/fleet/scraped/targets.json" <<'PY' || fail "file_sd targets"
import json, sys
groups = json.load(open(sys.argv[1]))
assert isinstance(groups, list) and groups, "a list of target groups"
for group in groups:
    assert all(":" in t for t in group["targets"]), group
    assert group["labels"]["instance"] and group["labels"]["host"], f"{group}: instance and host labels"
print(f"ok: {len(groups)} file_sd target groups, each with instance and host")
PY

# Every alert links its runbook, a section of docs/runbooks.md (GitHub's anchor: the heading in lower case).
python3 - "$DEPLOY/prometheus/rules" "$DEPLOY/../docs/runbooks.md" <<'PY' || fail "runbook_url"
import pathlib, re, sys, yaml
anchors = {h.strip().lower() for h in re.findall(r"^## (.+)$", pathlib.Path(sys.argv[2]).read_text(), re.M)}
alerts = [r for path in sorted(pathlib.Path(sys.argv[1]).glob("*.yml"))
          for g in yaml.safe_load(path.read_text())["groups"] for r in g["rules"] if "alert" in r]
for rule in alerts:
    url = rule["annotations"].get("runbook_url", "")
    assert url == f"docs/runbooks.md#{rule['alert'].lower()}", f"{rule['alert']}: runbook_url {url!r}"
    assert rule["alert"].lower() in anchors, f"{rule['alert']}: no section in docs/runbooks.md"
    assert "runbook" not in rule["annotations"], f"{rule['alert']}: free-text runbook (use runbook_url)"
print(f"ok: {len(alerts)} alerts, each with a runbook_url to its section of docs/runbooks.md")
PY

python3 - "$DEPLOY" "$DASHBOARDS" <<'PY' || fail "compose, provisioning or dashboards"
import json, pathlib, sys, yaml
deploy, dashboards = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
compose = yaml.safe_load((deploy / "compose.yaml").read_text())
ports = {name: svc.get("ports", []) for name, svc in compose["services"].items()}
assert "${SILICON_PROMETHEUS_PORT:-9091}:${SILICON_PROMETHEUS_PORT:-9091}" in ports["prometheus"], ports
assert "3001:3000" in ports["grafana"], ports
# The Linux variant (tests/container/compose_test.sh runs it on a real engine): Prometheus on the
# host network with compose.yaml's command and mounts, the exporter bound to loopback alone.
linux = yaml.safe_load((deploy / "compose.linux.yaml").read_text())["services"]
assert linux["prometheus"]["network_mode"] == "host" and "ports" not in linux["prometheus"], linux["prometheus"]
for key in ("image", "command", "volumes"):
    assert linux["prometheus"][key] == compose["services"]["prometheus"][key], f"compose.linux.yaml: prometheus {key} differs"
assert set(linux) == set(compose["services"]), "compose.linux.yaml and compose.yaml name different services"
exporter = compose["services"]["silicon-exporter"]
assert [a for a in exporter["command"] if a.startswith("--web.listen-address=127.0.0.1:")], exporter["command"]
for name, svc in compose["services"].items():
    assert ":" in svc["image"] and not svc["image"].endswith(":latest"), f"{name}: image not pinned"
    for volume in svc.get("volumes", []):
        source = volume.split(":")[0]
        if source.startswith("."):
            assert (deploy / source).exists(), f"{name} mounts {source}, which does not exist"
for path in (deploy / "grafana/provisioning").rglob("*.yml"):
    assert yaml.safe_load(path.read_text())["apiVersion"] == 1, path
for path in sorted(dashboards.glob("*.json")):
    board = json.loads(path.read_text())
    # Grafana's model itself (types, schemaVersion, units): tests/dashboards/schema_test.sh.
    names = [v["name"] for v in board["templating"]["list"]]
    assert "DS_PROMETHEUS" in names, f"{path}: no DS_PROMETHEUS variable"
    for panel in board["panels"]:
        for target in panel.get("targets", []):
            assert target["datasource"]["uid"] == "${DS_PROMETHEUS}", f"{path}: {panel['title']}"
    print(f"ok: {path.name}: {len(board['panels'])} panels")
print("ok: compose.yaml ports 9091/3001, pinned images, mounted files exist; compose.linux.yaml matches; provisioning parses")
PY
echo "ok: deploy configs pass promtool, amtool and the structure checks"
