#!/usr/bin/env bash
# Benchmark, not a test: what the live page's history sampler costs beside a scrape, on this
# machine's real /proc and /sys with the `full` collector set of scrape_bench.sh.
#
# One exporter samples every 500 ms (ten times the default rate, so a short run has many samples;
# a 6 min window: 720 slots, as an hour at 5 s)
# for SECONDS_RUN; /api/history reports the sampler thread's own CPU time (CLOCK_THREAD_CPUTIME_ID)
# and sample count, whence ms per sample and per minute at the default 5 s. A second exporter with
# the history off is scraped every 500 ms meanwhile; its CPU per scrape (utime+stime of the
# process, whole: HTTP and serialising included) and per minute at a 15 s scrape interval print
# beside it.
#
# usage: [SECONDS_RUN=60] tests/bench/history_bench.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
seconds=${SECONDS_RUN:-60}  # not SECONDS: bash counts that one itself
exporter=$build/silicon_exporter
ours=(cpu memory pressure thermal disk filesystem network)
source "$(dirname "$0")/../e2e/collector_flags.sh"
collectors=("${ours[@]/#/--collector.}" $(only_collectors "$exporter" "${ours[@]}"))
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
source "$(dirname "$0")/../e2e/free_port.sh"
source "$(dirname "$0")/../e2e/process_stats.sh"

sampling_port=$(free_port)
"$exporter" --web.listen-address=127.0.0.1:"$sampling_port" --log.level=warn "${collectors[@]}" \
  --web.ui.history=6m --web.ui.history-interval=500ms 2>"$work/sampling.log" &
pids+=($!)
scrape_port=$(free_port)
"$exporter" --web.listen-address=127.0.0.1:"$scrape_port" --log.level=warn "${collectors[@]}" \
  --web.ui.history=0 2>"$work/scrape.log" &
scrape_pid=$!
pids+=($scrape_pid)
url=http://127.0.0.1:$scrape_port/metrics
for _ in $(seq 100); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 0.05; done

# Scrapes at the sampler's pace, at the same time: a scrape every 500 ms finds caches as cold as
# the sampler does (back to back, the same scrape costs about a third less).
hz=$(getconf CLK_TCK)
before=$(cpu_ticks "$scrape_pid")
scrapes=0
end=$((SECONDS + seconds))
while ((SECONDS < end)); do
  curl -fsS -o /dev/null "$url"
  scrapes=$((scrapes + 1))
  sleep 0.5
done
after=$(cpu_ticks "$scrape_pid")
scrape_ms=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$scrapes" 'BEGIN { printf "%.3f", 1000 * t / hz / n }')
history=$(curl -fsS "http://127.0.0.1:$sampling_port/api/history?since=$(($(date +%s%3N)))")
python3 - "$history" "$scrape_ms" <<'PY'
import json, sys
h, scrape_ms = json.loads(sys.argv[1]), float(sys.argv[2])
per_sample = 1000 * h['sampler_cpu_seconds'] / h['samples']
per_minute = per_sample * 60 / 5
print(f"sampler: {h['samples']} samples, {h['sampler_cpu_seconds']:.3f} s CPU: {per_sample:.3f} ms per sample, "
      f"{per_minute:.2f} ms CPU per minute at the default 5 s; state {h['state_bytes']} bytes")
print(f"scrape:  {scrape_ms:.3f} ms CPU per /metrics scrape (every 500 ms), {scrape_ms * 4:.2f} ms per minute at a 15 s scrape interval")
print(f"ratio sampler / scrape, per minute: {per_minute / (scrape_ms * 4):.2f}")
PY
