#!/usr/bin/env bash
# Benchmark, not a test: scrapes silicon_exporter and Debian's prometheus-node-exporter (equivalent
# collectors only) side by side on this machine's real /proc and /sys, N times each over one
# keep-alive connection, and prints latency p50/p99, server CPU per scrape, RSS and the ratios.
#
# usage: [SET=core|small|full|power] [ROUNDS=3] [MAPS=1] tests/bench/scrape_bench.sh [BUILD_DIR] [N]
#   MAPS=1: afterwards, both exporters' RSS by mapping (binary, each library, heap), from smaps
#   SET=core (default): ours cpu vs node_exporter cpu cpufreq loadavg
#   SET=small: ours cpu memory pressure thermal vs node_exporter's seven for the same (cpu cpufreq
#             loadavg meminfo vmstat pressure thermal_zone): little to read, so the server's fixed
#             cost per scrape weighs most
#   SET=full: ours cpu memory pressure thermal disk filesystem network vs node_exporter cpu cpufreq
#             loadavg meminfo vmstat pressure thermal_zone hwmon diskstats filesystem netdev, both with the
#             same device, mount point and interface patterns (Debian's node_exporter defaults differ)
#   SET=power: ours power power_supply vs node_exporter rapl powersupplyclass, both reading the laptop
#             fixture tree's sysfs (4 RAPL zones, a battery, a mouse battery, an AC adapter): VMs
#             have neither RAPL nor batteries
#   SET=thermal: ours thermal vs node_exporter thermal_zone hwmon on the same laptop fixture tree
#             (a thermal zone with trip points, 6 hwmon chips: coretemp, NVMe, Wi-Fi, fans)
set -euo pipefail
build=${1:-build}
n=${2:-2000}
exporter=$build/silicon_exporter
set_name=${SET:-core}
case $set_name in
  core) ours=(--collector.cpu) node=(--collector.cpu --collector.cpufreq --collector.loadavg) ;;
  small) ours=(--collector.cpu --collector.memory --collector.pressure --collector.thermal)
         node=(--collector.cpu --collector.cpufreq --collector.loadavg --collector.meminfo --collector.vmstat
               --collector.pressure --collector.thermal_zone) ;;
  full) ours=(--collector.cpu --collector.memory --collector.pressure --collector.thermal --collector.disk
              --collector.filesystem --collector.network)
        node=(--collector.cpu --collector.cpufreq --collector.loadavg --collector.meminfo --collector.vmstat
              --collector.pressure --collector.thermal_zone --collector.hwmon
              --collector.diskstats --collector.diskstats.device-exclude='^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p|mmcblk\d+p)\d+$'
              --collector.filesystem
              --collector.filesystem.mount-points-exclude='^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)'
              --collector.netdev --collector.netdev.device-exclude='^$') ;;
  power) sysfs="$(cd "$(dirname "$0")/../fixtures/intel-hybrid/sys" && pwd)"
         ours=(--collector.power --collector.power_supply --path.sysfs="$sysfs")
         node=(--collector.rapl --collector.powersupplyclass --path.sysfs="$sysfs") ;;
  thermal) sysfs="$(cd "$(dirname "$0")/../fixtures/intel-hybrid/sys" && pwd)"
         ours=(--collector.thermal --path.sysfs="$sysfs")
         node=(--collector.thermal_zone --collector.hwmon --path.sysfs="$sysfs") ;;
  *) echo "unknown SET=$set_name" >&2; exit 2 ;;
esac

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

source "$(dirname "$0")/../e2e/free_port.sh"
source "$(dirname "$0")/../e2e/process_stats.sh"
source "$(dirname "$0")/../e2e/collector_flags.sh"

# measure NAME PID URL: prints "name p50_ms p99_ms cpu_ms_per_scrape rss_kib hwm_kib bytes"
measure() {
  local name=$1 pid=$2 url=$3
  for _ in $(seq 100); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 0.05; done
  curl -fsS -o /dev/null "$url"  # warm up
  local bytes; bytes=$(curl -fsS "$url" | wc -c)
  local before after hz
  hz=$(getconf CLK_TCK)
  before=$(cpu_ticks "$pid")
  local urls=(); for _ in $(seq "$n"); do urls+=("$url" -o /dev/null); done
  curl -fsS -w '%{time_total}\n' "${urls[@]}" >"$work/$name.times"
  after=$(cpu_ticks "$pid")
  sort -g "$work/$name.times" | awk -v name="$name" -v n="$n" -v ticks=$((after - before)) -v hz="$hz" \
      -v rss="$(rss_kib "$pid")" -v hwm="$(hwm_kib "$pid")" -v bytes="$bytes" '
    { t[NR] = $1 }
    END {
      p50 = t[int(NR * 0.50)] * 1000; p99 = t[int(NR * 0.99)] * 1000
      printf "%s %.3f %.3f %.4f %d %d %d\n", name, p50, p99, ticks / hz * 1000 / n, rss, hwm, bytes
    }'
}

port=$(free_port)
"$exporter" --web.listen-address="127.0.0.1:$port" --log.level=warn "${ours[@]}" \
  $(only_collectors "$exporter" "${ours[@]}") &
pids+=($!); ours_pid=$!
node_port=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" --collector.disable-defaults "${node[@]}" \
  2>/dev/null &
pids+=($!); node_pid=$!

# Alternate the two exporters for ROUNDS rounds: this VM's speed drifts by +-25 % over a minute,
# so one back-to-back pair can land on either side of a target; the median of each is reported.
rounds=${ROUNDS:-3}
echo "set=$set_name scrapes=$n rounds=$rounds ours=${ours[*]} node_exporter=${node[*]}"
printf '%-17s %5s %9s %9s %14s %9s %9s %9s\n' exporter round p50_ms p99_ms cpu_ms/scrape rss_KiB peak_KiB bytes
for round in $(seq "$rounds"); do
  for who in ours node; do
    if [[ $who == ours ]]; then
      measure silicon_exporter "$ours_pid" "http://127.0.0.1:$port/metrics"
    else
      measure node_exporter "$node_pid" "http://127.0.0.1:$node_port/metrics"
    fi | tee -a "$work/$who" | while read -r name p50 p99 cpu rss hwm bytes; do
      printf '%-17s %5s %9s %9s %14s %9s %9s %9s\n' "$name" "$round" "$p50" "$p99" "$cpu" "$rss" "$hwm" "$bytes"
    done
  done
done
# median COLUMN FILE
median() { awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
awk -v oc="$(median 4 "$work/ours")" -v nc="$(median 4 "$work/node")" \
    -v orss="$(tail -1 "$work/ours" | awk '{print $5}')" -v nrss="$(tail -1 "$work/node" | awk '{print $5}')" 'BEGIN {
  printf "median cpu ms/scrape: ours %.4f, node_exporter %.4f; last rss KiB: ours %d, node_exporter %d\n", oc, nc, orss, nrss
  printf "ratio node_exporter/ours: cpu per scrape %.1fx, rss %.1fx\n", (oc > 0 ? nc / oc : 0), nrss / orss }'
if [[ ${MAPS:-0} == 1 ]]; then
  echo "RSS by mapping, KiB (silicon_exporter):"; rss_by_mapping "$ours_pid" | head -15
  echo "RSS by mapping, KiB (node_exporter):"; rss_by_mapping "$node_pid" | head -8
fi
