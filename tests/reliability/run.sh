#!/usr/bin/env bash
# Reliability figures, one command: fuzzing, load with faults injected, a soak with containers
# churning, leak checks under ASan/LSan and valgrind. Prints the README's "Reliability" section
# (markdown) at the end and writes it to BUILD_DIR/reliability.md. Not part of ctest: ~25 min.
# Bounded, loopback only; every process it starts is stopped on exit. Needs the test packages plus
# wrk, valgrind and clang (deploy/install-deps.sh test && deploy/install-deps.sh fuzz; wrk and
# valgrind: apt-get install wrk valgrind).
# usage: tests/reliability/run.sh [BUILD_DIR]   (env: SOAK_SECONDS=600 LOAD_SECONDS=60 FUZZ_SECONDS=60,
#        ONLY="fuzz load files soak leaks" or a part of that list: the parts to run, all by default)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
soak_seconds=${SOAK_SECONDS:-600}
load_seconds=${LOAD_SECONDS:-60}
fuzz_seconds=${FUZZ_SECONDS:-60}
# want PART: whether ONLY (unset: every part) names PART.
want() { [[ -z ${ONLY:-} || " $ONLY " == *" $1 "* ]]; }
exporter=$build/silicon_exporter
[[ -x $exporter ]] || { echo "no $exporter: build first" >&2; exit 1; }
needed=(docker curl)
want load || want files && needed+=(wrk)
want fuzz || want leaks && needed+=(clang++)
want leaks && needed+=(valgrind)
for tool in "${needed[@]}"; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
source tests/e2e/free_port.sh
work=$(mktemp -d)
pids=()
prefix="silicon-rel-$$"
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  docker ps -aq --filter "name=$prefix" | xargs -r docker rm -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
rows=()
row() { rows+=("| $1 | $2 |"); echo "== $1: $2" >&2; }
source tests/e2e/process_stats.sh
fds() { ls "/proc/$1/fd" | wc -l; }
errors_in() { grep -cE 'level=(error|warn)' "$1" || true; }
# start NAME ARGS...: an exporter on a free port, log in $work/NAME.log; sets port and pid.
start() {
  local name=$1; shift
  port=$(free_port)
  "$@" --web.listen-address="127.0.0.1:$port" 2>"$work/$name.log" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/-/healthy" 2>/dev/null && return; sleep 0.05; done
  echo "$name did not start: $(cat "$work/$name.log")" >&2; exit 1
}
# wrk_summary FILE: "N requests, E errors (socket S, non-2xx X), p50 A, p99 B"
wrk_summary() {
  awk '/requests in/ {req = $1}
       /Socket errors/ {gsub(/,/, ""); sock = $4 + $6 + $8 + $10}
       /Non-2xx/ {non2xx = $NF}
       $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
       END {printf "%d requests, %d errors (socket %d, non-2xx %d), p50 %s, p99 %s",
            req, sock + non2xx, sock, non2xx, p50, p99}' "$1"
}

# --- 1. fuzzing ---------------------------------------------------------------------------------
if want fuzz; then
fuzz_out=$(tests/fuzz/run.sh "$fuzz_seconds") || { echo "$fuzz_out" >&2; row "fuzzing" "FAILED (see above)"; }
total=0
fuzz_text=""
while read -r _ target runs _; do
  fuzz_text+="${target%:} ${runs}, "
  total=$((total + runs))
done < <(grep '^ok ' <<<"$fuzz_out")
row "fuzzing, ${fuzz_seconds} s per target, ASan+UBSan" "${fuzz_text}${total} inputs in all; crashes $(grep -c '^FAIL' <<<"$fuzz_out" || true)"
fi  # fuzz

# --- 2. load with faults on the real host, docker on ----------------------------------------------
if want load; then
dockerd_state=$(tests/e2e/ensure_dockerd.sh)
for i in $(seq 10); do docker run -d --name "$prefix-load-$i" silicon-test:busybox sleep 3600 >/dev/null; done
printf 'collectors:\n  cpu:\n    enabled: true\n' >"$work/good.yml"
cp "$work/good.yml" "$work/config.yml"
start load "$exporter" --config.file="$work/config.yml"
load_pid=$pid; load_port=$port
for _ in $(seq 200); do curl -fsS -o /dev/null "http://127.0.0.1:$load_port/metrics"; done
rss_before=$(rss_kib "$load_pid"); fds_before=$(fds "$load_pid")
# --timeout 10s: Prometheus' default scrape_timeout. wrk's own 2 s would count the scrapes made
# while dockerd restarts (the docker collector waits its 2 s API timeout) as failures.
wrk -t2 -c64 -d"${load_seconds}s" --timeout 10s --latency "http://127.0.0.1:$load_port/metrics" >"$work/wrk-load.txt" 2>&1 &
wrk_pid=$!
reloads=0 bad_reloads=0 dockerd_kills=0
end=$((SECONDS + load_seconds - 5))
while ((SECONDS < end)); do
  sleep 2
  kill -HUP "$load_pid"; reloads=$((reloads + 1))
  sleep 1
  printf 'collectors:\n  cpu:\n    enabled: perhaps\n' >"$work/config.yml"
  kill -HUP "$load_pid"; bad_reloads=$((bad_reloads + 1))
  sleep 0.5
  cp "$work/good.yml" "$work/config.yml"
  if [[ $dockerd_state == started && $dockerd_kills == 0 && $SECONDS -gt $((end - load_seconds / 2)) ]]; then
    pkill -KILL -x dockerd && dockerd_kills=1
    sleep 3
    tests/e2e/ensure_dockerd.sh >/dev/null
  fi
done
wait "$wrk_pid"
sleep 2  # connections wrk left are closed by then
rss_after=$(rss_kib "$load_pid"); fds_after=$(fds "$load_pid")
kill -0 "$load_pid"
dockerd_note=$([[ $dockerd_state == started ]] && echo "dockerd SIGKILLed and restarted $dockerd_kills time(s)" ||
  echo "dockerd not killed (it was running before this script; only one the script started is killed)")
row "load: wrk, 64 connections, ${load_seconds} s, /metrics with every collector and 10 containers" \
  "$(wrk_summary "$work/wrk-load.txt"); RSS ${rss_before} -> ${rss_after} KiB; open fds ${fds_before} -> ${fds_after}"
row "faults during that load" \
  "$reloads good and $bad_reloads bad SIGHUP reloads (bad ones refused: $(grep -c 'reload failed' "$work/load.log" || true) logged); $dockerd_note"
kill "$load_pid"; wait "$load_pid" || true
fi  # load

# --- 3. load with file faults on a fixture tree copy -------------------------------------------
if want files; then
tree=$work/tree
cp -r tests/fixtures/intel-hybrid "$tree"
zone=$tree/sys/class/thermal/thermal_zone0
printf 'scrape:\n  collector_timeout_seconds: 1\n' >"$work/fault.yml"
start files "$exporter" --config.file="$work/fault.yml" --no-collector.docker --path.procfs="$tree/proc" \
  --path.sysfs="$tree/sys"
files_pid=$pid; files_port=$port
wrk -t2 -c64 -d30s --timeout 10s --latency "http://127.0.0.1:$files_port/metrics" >"$work/wrk-files.txt" 2>&1 &
wrk_pid=$!
cp "$tree/proc/stat" "$work/stat.good"
garbage=0 blocks=0
for _ in $(seq 8); do
  sleep 1
  printf 'cpu0 \x00\xff garbage\n' >"$tree/proc/stat"; garbage=$((garbage + 1))
  sleep 1
  cp "$work/stat.good" "$tree/proc/stat"
  rm "$zone/temp"; mkfifo "$zone/temp"; blocks=$((blocks + 1))
  sleep 1.2
  # Release: hold a writer on the FIFO while it is swapped for a regular file, so readers blocked
  # in open() (or arriving before the swap) all get through.
  exec 3<>"$zone/temp"
  rm -f "$zone/temp"; printf '45000\n' >"$zone/temp"
  exec 3>&-
done
wait "$wrk_pid"
start_ns=$(date +%s%N)
kill -TERM "$files_pid"; files_rc=0; wait "$files_pid" || files_rc=$?
stop_ms=$((($(date +%s%N) - start_ns) / 1000000))
row "file faults under load: wrk, 64 connections, 30 s, fixture tree" \
  "$(wrk_summary "$work/wrk-files.txt"); $garbage garbage /proc/stat (cpu failed alone), $blocks blocking thermal reads (1 s timeout), then SIGTERM: exit $files_rc in $stop_ms ms"
fi  # files

# --- 4. soak: scrape every 100 ms, containers churning -----------------------------------------
if want soak; then
want load || tests/e2e/ensure_dockerd.sh >/dev/null
start soak "$exporter"
soak_pid=$pid; soak_port=$port
for _ in $(seq 50); do curl -fsS -o /dev/null "http://127.0.0.1:$soak_port/metrics"; done
samples=()
scrapes=0 failed=0 churned=0
end=$((SECONDS + soak_seconds))
next_sample=$SECONDS next_churn=$SECONDS i=0
while ((SECONDS < end)); do
  curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$soak_port/metrics" && scrapes=$((scrapes + 1)) || failed=$((failed + 1))
  if ((SECONDS >= next_churn)); then
    docker run -d --name "$prefix-soak-$i" silicon-test:busybox sleep 3600 >/dev/null 2>&1 || true
    docker rm -f "$prefix-soak-$((i - 5))" >/dev/null 2>&1 || true
    i=$((i + 1)); churned=$((churned + 1)); next_churn=$((SECONDS + 5))
  fi
  if ((SECONDS >= next_sample)); then samples+=("$(rss_kib "$soak_pid")/$(fds "$soak_pid")"); next_sample=$((SECONDS + 60)); fi
  sleep 0.1
done
samples+=("$(rss_kib "$soak_pid")/$(fds "$soak_pid")")
kill "$soak_pid"; wait "$soak_pid" || true
row "soak: ${soak_seconds} s, a scrape every 100 ms, a container started and one removed every 5 s" \
  "$scrapes scrapes, $failed failed; $churned containers started; RSS/open fds per minute: ${samples[*]} (KiB/fds); error or warning log lines: $(errors_in "$work/soak.log")"
fi  # soak

# --- 5. leaks: ASan/LSan (the fuzz build) and valgrind ---------------------------------------------
if want leaks; then
cmake --build build-fuzz -j2 --target silicon_exporter >/dev/null
start asan env ASAN_OPTIONS=detect_leaks=1 build-fuzz/silicon_exporter
for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"; done
kill -HUP "$pid"; sleep 0.5
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"; done
kill -TERM "$pid"; asan_rc=0; wait "$pid" || asan_rc=$?
asan_reports=$(grep -cE 'ERROR: (Address|Leak)Sanitizer|runtime error' "$work/asan.log" || true)
row "ASan+LSan+UBSan build: 400 scrapes, a reload, SIGTERM" "exit $asan_rc, sanitizer reports $asan_reports (leaks included)"

start valgrind valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 "$exporter"
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"; done
kill -HUP "$pid"; sleep 1
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"; done
kill -TERM "$pid"; vg_rc=0; wait "$pid" || vg_rc=$?
lost=$(grep -oE 'definitely lost: [0-9,]+ bytes' "$work/valgrind.log" | head -1 || echo "definitely lost: 0 bytes")
row "valgrind memcheck: 200 scrapes, a reload, SIGTERM" "exit $vg_rc, $(grep -oE 'ERROR SUMMARY: [0-9]+ errors' "$work/valgrind.log"), ${lost:-no leak summary}"
fi  # leaks

{
  echo "Produced by \`tests/reliability/run.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r):"
  echo
  echo "| check | result |"
  echo "| --- | --- |"
  printf '%s\n' "${rows[@]}"
} | tee "$build/reliability.md"
