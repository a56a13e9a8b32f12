#!/usr/bin/env bash
# Benchmark, not a test (root only): what each extra mount and network interface costs per scrape.
# Measures silicon_exporter (disk, filesystem, network collectors) and Debian's node_exporter
# (diskstats, filesystem, netdev) on this machine as it is, then with MOUNTS loop-device mounts
# (small ext2 images) and VETHS veth pairs added, and prints the CPU per scrape of each and the
# cost per extra mount and per extra interface. Everything it adds is removed at exit.
#
# usage: tests/bench/io_scale_bench.sh [BUILD_DIR] [SCRAPES] [MOUNTS] [VETHS]
set -euo pipefail
build=${1:-build}
n=${2:-1000}
mounts=${3:-100}
veths=${4:-50}
[[ $(id -u) == 0 ]] || { echo "needs root (loop mounts, veth pairs)" >&2; exit 2; }
exporter=$build/silicon_exporter
work=$(mktemp -d)
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  for i in $(seq "$veths"); do ip link del "sebench$i" 2>/dev/null || true; done
  for dir in "$work"/mnt/*; do [[ -d $dir ]] && umount "$dir" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
source "$(dirname "$0")/../e2e/free_port.sh"
source "$(dirname "$0")/../e2e/process_stats.sh"

# cpu_per_scrape URL PID: CPU ms per scrape of PID over n scrapes on one kept-alive connection.
cpu_per_scrape() {
  local url=$1 pid=$2 urls=()
  curl -fsS -o /dev/null "$url"
  for _ in $(seq "$n"); do urls+=("$url" -o /dev/null); done
  local before; before=$(cpu_ticks "$pid")
  curl -fsS "${urls[@]}"
  awk -v t=$(($(cpu_ticks "$pid") - before)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN {printf "%.4f", t / hz * 1000 / n}'
}

start_both() {
  kill "${pids[@]}" 2>/dev/null || true
  pids=()
  ours_port=$(free_port)
  "$exporter" --web.listen-address="127.0.0.1:$ours_port" --log.level=warn --no-collector.cpu --no-collector.memory \
    --no-collector.pressure --no-collector.thermal --no-collector.gpu --no-collector.docker &
  pids+=($!); ours_pid=$!
  node_port=$(free_port)
  prometheus-node-exporter --web.listen-address="127.0.0.1:$node_port" --collector.disable-defaults \
    --collector.diskstats --collector.filesystem --collector.netdev --collector.netdev.device-exclude='^$' \
    --collector.filesystem.mount-points-exclude='^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)' \
    2>/dev/null &
  pids+=($!); node_pid=$!
  for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$ours_port/metrics" 2>/dev/null &&
    curl -fsS -o /dev/null "http://127.0.0.1:$node_port/metrics" 2>/dev/null && break; sleep 0.05; done
}

# measure LABEL: one line of CPU per scrape and series counts for both.
measure() {
  start_both
  local ours node ours_series node_series
  ours=$(cpu_per_scrape "http://127.0.0.1:$ours_port/metrics" "$ours_pid")
  node=$(cpu_per_scrape "http://127.0.0.1:$node_port/metrics" "$node_pid")
  ours_series=$(curl -fsS "http://127.0.0.1:$ours_port/metrics" | grep -c '^silicon_\(filesystem\|network\|disk\)_')
  node_series=$(curl -fsS "http://127.0.0.1:$node_port/metrics" | grep -c '^node_\(filesystem\|network\|disk\)_')
  printf '%-28s %10s %12s %14s %12s\n' "$1" "$ours" "$node" "$ours_series" "$node_series"
  echo "$1 $ours $node" >>"$work/results"
}

printf '%-28s %10s %12s %14s %12s\n' setup ours_ms node_ms ours_series node_series
measure "as is"
mkdir -p "$work/img" "$work/mnt"
for i in $(seq "$mounts"); do
  truncate -s 1M "$work/img/$i" && mke2fs -q -F "$work/img/$i" && mkdir -p "$work/mnt/$i" &&
    mount -o loop "$work/img/$i" "$work/mnt/$i"
done
measure "+$mounts loop mounts"
for i in $(seq "$veths"); do ip link add "sebench$i" type veth peer name "sebench${i}p"; done
measure "+$veths veth pairs"
awk -v m="$mounts" -v v="$((veths * 2))" '
  {ours[NR] = $(NF-1); node[NR] = $NF}
  END {
    printf "per extra mount (and its loop device): ours %.2f us, node_exporter %.2f us\n", (ours[2] - ours[1]) * 1000 / m, (node[2] - node[1]) * 1000 / m
    printf "per extra network interface: ours %.2f us, node_exporter %.2f us\n", (ours[3] - ours[2]) * 1000 / v, (node[3] - node[2]) * 1000 / v
  }' "$work/results"
