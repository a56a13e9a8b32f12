#!/usr/bin/env bash
# Benchmark, not a test: the floor under a scrape. Finds, with strace, the procfs/sysfs files (and
# statfs calls) a scrape of silicon_exporter with SET's collectors makes, then alternates N scrapes
# of the exporter with N rounds of tests/bench/procfs_floor.c reading the same files and nothing
# else, and prints CPU per scrape against CPU per round: what HTTP, parsing and exposition add.
# usage: [SET=core|small|full] [ROUNDS=3] tests/bench/floor_bench.sh [BUILD_DIR] [N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
n=${2:-2000}
exporter=$build/silicon_exporter
case ${SET:-core} in
  core) ours=(--collector.cpu) ;;
  small) ours=(--collector.cpu --collector.memory --collector.pressure --collector.thermal) ;;
  full) ours=(--collector.cpu --collector.memory --collector.pressure --collector.thermal --collector.disk
              --collector.filesystem --collector.network) ;;
  *) echo "unknown SET=$SET" >&2; exit 2 ;;
esac
work=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
source "$here/../e2e/free_port.sh"
source "$here/../e2e/collector_flags.sh"
cc -O2 -o "$work/procfs_floor" "$here/procfs_floor.c"
only=$(only_collectors "$exporter" "${ours[@]}")

# start: the exporter with SET's collectors only, on a free port, not scraped yet; sets pid and url.
start() {
  local port; port=$(free_port)
  "$exporter" --web.listen-address="127.0.0.1:$port" --log.level=warn "${ours[@]}" $only &
  pid=$!
  url="http://127.0.0.1:$port/metrics"
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/-/healthy" 2>/dev/null && return; sleep 0.05; done
  echo "exporter did not start" >&2; exit 1
}

# What a scrape opens: files kept open are opened on the first scrapes, the rest on every one.
start
strace -f -qq -e trace=openat,statfs -o "$work/trace" -p "$pid" &
tracer=$!
sleep 0.5
for _ in $(seq 3); do curl -fsS -o /dev/null "$url"; done
kill "$tracer"; wait "$tracer" 2>/dev/null || true
kill "$pid"; wait "$pid" 2>/dev/null || true
grep -v '= -1 ' "$work/trace" | grep -oE 'openat\(AT_FDCWD, "/(proc|sys)/[^"]*"' |
  sed -E 's/^openat\(AT_FDCWD, "//; s/"$//' | sort -u >"$work/files"
grep -v '= -1 ' "$work/trace" | grep -oE 'statfs\("[^"]*"' | sed -E 's/^statfs\("//; s/"$//' | sort -u |
  sed 's/^/statfs /' >>"$work/files"

start
curl -fsS -o /dev/null "$url"
source "$here/../e2e/process_stats.sh"
hz=$(getconf CLK_TCK)
echo "set=${SET:-core} scrapes=$n files: $(grep -vc '^statfs ' "$work/files") read, $(grep -c '^statfs ' "$work/files") statfs"
printf '%-6s %16s %16s %8s\n' round ours_ms/scrape floor_ms/round ratio
for round in $(seq "${ROUNDS:-3}"); do
  before=$(cpu_ticks "$pid")
  urls=(); for _ in $(seq "$n"); do urls+=("$url" -o /dev/null); done
  curl -fsS "${urls[@]}"
  ours=$(awk -v t=$(($(cpu_ticks "$pid") - before)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.4f", t / hz * 1000 / n}')
  floor=$("$work/procfs_floor" "$n" <"$work/files" | awk '{print $10}')
  printf '%-6s %16s %16s %7.1fx\n' "$round" "$ours" "$floor" "$(awk -v a="$ours" -v b="$floor" 'BEGIN {print (b > 0 ? a / b : 0)}')"
done
