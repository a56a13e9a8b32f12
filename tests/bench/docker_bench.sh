#!/usr/bin/env bash
# Benchmark, not a test: scrape latency, exporter CPU per scrape and RSS of the docker collector
# with 0, 10, 30 and 100 running containers, side by side with `docker stats --no-stream` on the
# same containers. Needs a Docker engine (tests/e2e/ensure_dockerd.sh starts one).
# usage: tests/bench/docker_bench.sh [BUILD_DIR] [SCRAPES] [COUNTS...]
set -euo pipefail
build=${1:-build}
scrapes=${2:-200}
shift 2 2>/dev/null || true
counts=("${@:-0 10 30 100}")
[[ ${#counts[@]} == 1 ]] && read -r -a counts <<<"${counts[0]}"
here=$(cd "$(dirname "$0")" && pwd)
"$here/../e2e/ensure_dockerd.sh" >/dev/null
exporter=$build/silicon_exporter
prefix="silicon-bench-$$"
work=$(mktemp -d)
pid=""
trap 'kill $pid 2>/dev/null || true; docker ps -aq --filter "name=$prefix" | xargs -r docker rm -f >/dev/null; rm -rf "$work"' EXIT
source "$here/../e2e/collector_flags.sh"
only_docker=$(only_collectors "$exporter" docker)
source "$here/../e2e/process_stats.sh"

printf '%-10s %8s %8s %14s %8s %22s\n' containers p50_ms p99_ms cpu_ms/scrape rss_KiB "docker stats --no-stream"
running=0
for n in "${counts[@]}"; do
  while ((running < n)); do
    docker run -d --name "$prefix-$running" silicon-test:busybox sleep 3600 >/dev/null
    running=$((running + 1))
  done
  "$exporter" --web.listen-address=127.0.0.1:0 --log.level=info $only_docker 2>"$work/log" &
  pid=$!
  for _ in $(seq 100); do port=$(grep -o 'port=[0-9]*' "$work/log" | head -1 | cut -d= -f2 || true); [[ -n $port ]] && break; sleep 0.05; done
  url="http://127.0.0.1:$port/metrics"
  curl -fsS -o /dev/null "$url"  # first scrape: one inspect per container for start times
  before=$(cpu_ticks "$pid")
  args=(); for _ in $(seq "$scrapes"); do args+=("$url" -o /dev/null); done
  curl -fsS -w '%{time_total}\n' "${args[@]}" | sort -g >"$work/times"
  after=$(cpu_ticks "$pid")
  rss=$(awk '/^VmRSS/{print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  start=$(date +%s%N); docker stats --no-stream >/dev/null; stats_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  awk -v n="$n" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v scrapes="$scrapes" -v rss="$rss" -v st="$stats_ms" '
    { t[NR] = $1 * 1000 }
    END { printf "%-10s %8.2f %8.2f %14.3f %8d %19d ms\n", n, t[int(NR * 0.5)], t[int(NR * 0.99)], ticks / hz * 1000 / scrapes, rss, st }' "$work/times"
done
