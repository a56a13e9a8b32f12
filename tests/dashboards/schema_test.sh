#!/usr/bin/env bash
# Every dashboard checked against Grafana's own published model, since Grafana cannot run here:
# @grafana/schema's dashboard and panel types, its current schemaVersion, @grafana/data's unit ids
# (check.mjs says what else). First the checker must reject each broken board in bad/ for the
# reason that board names, and pass the control board in good/.
# Needs node and npm (deploy/install-deps.sh test); the packages come from package-lock.json.
set -euo pipefail
DASHBOARDS=${DASHBOARDS:?set DASHBOARDS to the dashboards folder}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are not installed (deploy/install-deps.sh test installs them)"
  exit 77
fi
cd "$here"
# npm ci only when the lockfile changed since the last install (it empties node_modules first).
stamp=node_modules/.installed-from-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
node check.mjs --expect-fail bad/*.json
node check.mjs good/*.json "$DASHBOARDS"/*.json
