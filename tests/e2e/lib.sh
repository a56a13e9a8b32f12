# Shared helpers for the end-to-end tests: start the real binary, scrape it over HTTP, clean up.
# Sourced by each test; expects EXPORTER (the binary) and FIXTURES (tests/fixtures) in the environment.
set -euo pipefail

: "${EXPORTER:?set EXPORTER to the silicon_exporter binary}"
: "${FIXTURES:?set FIXTURES to tests/fixtures}"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  local rc=$?
  # KEEP_FAILED_WORK=DIR keeps a failed run's logs and data (for a flaky test, the evidence).
  if ((rc != 0)) && [[ -n ${KEEP_FAILED_WORK:-} ]]; then
    mkdir -p "$KEEP_FAILED_WORK" && cp -r "$WORK" "$KEEP_FAILED_WORK/" 2>/dev/null || true
  fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# start_exporter NAME [FLAGS...]: runs the exporter on a free port (port 0, read back from its log);
# sets PORT and PID, log in $WORK/NAME.log.
start_exporter() {
  local name=$1; shift
  "$EXPORTER" --web.listen-address=127.0.0.1:0 "$@" 2>"$WORK/$name.log" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 100); do
    PORT=$(grep -oE '(port=|"port":)[0-9]+' "$WORK/$name.log" | head -1 | grep -oE '[0-9]+$' || true)  # logfmt or JSON
    [[ -n $PORT ]] && return 0
    kill -0 "$PID" 2>/dev/null || fail "exporter $name exited: $(cat "$WORK/$name.log")"
    sleep 0.05
  done
  fail "exporter $name did not report its port: $(cat "$WORK/$name.log")"
}

# Drops series whose values differ run to run (own process stats, timings, build revision) and the machine-dependent arch label, so a scrape can
# be diffed against a golden file.
# The space figures of file systems on fixture trees are those of the disk the tree sits on (the
# mount points are folders under its rootfs), so their values are masked; which mounts, their labels,
# read-only flags and errors are still compared.
stable_exposition() {
  grep -v -E '^(# (HELP|TYPE) )?(process_|silicon_scrape_collector_duration_seconds|silicon_exporter_build_info|silicon_http_connections)' |
    sed -E 's/arch="[^"]*"/arch="ARCH"/' |
    sed -E 's/^(silicon_filesystem_(size_bytes|free_bytes|avail_bytes|files|files_free)\{.*\}) .*/\1 HOST_DISK/'
}

source "$(dirname "${BASH_SOURCE[0]}")/free_port.sh"

# wait_for SECONDS WHAT COMMAND...: retries COMMAND every half second until SECONDS have passed,
# then runs it once more where its output shows and fails with WHAT (and $WORK/last_check, if a
# check left one).
wait_for() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  VERBOSE=1 "$@" || true
  fail "$what (waited $seconds s) $(cat "$WORK/last_check" 2>/dev/null)"
}

# port_from FILE: the port a helper wrote to FILE once it listens.
port_from() { for _ in $(seq 50); do [[ -s $1 ]] && break; sleep 0.1; done; cat "$1"; }

# start_alerting DEPLOY_DIR: the path to the pager as shipped, at test speed: a webhook receiver
# this test owns (notifications in $WORK/notifications), Alertmanager with the shipped routing
# pointed at it and its waits cut from minutes to a second (port in AM_PORT), and the shipped
# rules with every "for:" cut to 2 s in $WORK/rules (the durations themselves are covered by
# promtool test rules, deploy/prometheus/tests).
start_alerting() {
  local deploy=$1 hook_port
  python3 "$(dirname "${BASH_SOURCE[0]}")/webhook_receiver.py" "$WORK/hook.port" "$WORK/notifications" &
  PIDS+=($!)
  hook_port=$(port_from "$WORK/hook.port")
  AM_PORT=$(free_port)
  sed -e "s|http://127.0.0.1:5001|http://127.0.0.1:$hook_port|" -e 's/group_wait: .*/group_wait: 1s/' \
    -e 's/group_interval: .*/group_interval: 1s/' "$deploy/alertmanager/alertmanager.yml" >"$WORK/alertmanager.yml"
  prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= 2>"$WORK/am.log" &
  PIDS+=($!)
  mkdir -p "$WORK/rules"
  for rules in "$deploy"/prometheus/rules/*.yml; do
    sed -E 's/^( +for: ).*/\12s/' "$rules" >"$WORK/rules/$(basename "$rules")"
  done
}
