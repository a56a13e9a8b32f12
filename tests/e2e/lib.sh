# Shared helpers for the end-to-end tests: start the real binary, scrape it over HTTP, clean up.
# Sourced by each test; expects EXPORTER (the binary) and FIXTURES (tests/fixtures) in the environment.
set -euo pipefail

: "${EXPORTER:?set EXPORTER to the silicon_exporter binary}"
: "${FIXTURES:?set FIXTURES to tests/fixtures}"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
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
    PORT=$(grep -o 'port=[0-9]*' "$WORK/$name.log" | head -1 | cut -d= -f2 || true)
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
  grep -v -E '^(# (HELP|TYPE) )?(process_|silicon_scrape_collector_duration_seconds|silicon_exporter_build_info)' |
    sed -E 's/arch="[^"]*"/arch="ARCH"/' |
    sed -E 's/^(silicon_filesystem_(size_bytes|free_bytes|avail_bytes|files|files_free)\{.*\}) .*/\1 HOST_DISK/'
}

source "$(dirname "${BASH_SOURCE[0]}")/free_port.sh"
