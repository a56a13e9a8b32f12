#!/usr/bin/env bash
# Compares every GPU metric of silicon_exporter with nvidia-smi taken at the same moment, while the
# GPU is loaded, then measures the GPU collector's cost per scrape. Runs on any Linux machine with
# an NVIDIA GPU and driver; not part of ctest (CI has no GPU).
# usage: tests/gpu/nvidia_compare.sh EXPORTER [SCRAPES]     (set LD_LIBRARY_PATH for its libraries)
set -euo pipefail
exporter=${1:?usage: $0 EXPORTER [SCRAPES]}
scrapes=${2:-300}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Load: a matmul loop in PyTorch when it is there, else whatever the GPU is doing.
if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  python3 -c '
import time, torch
a = torch.randn(8192, 8192, device="cuda"); b = torch.randn(8192, 8192, device="cuda")
end = time.time() + 60
while time.time() < end:
    for _ in range(20): c = a @ b
    torch.cuda.synchronize()' &
  pids+=($!)
  sleep 8  # let clocks, power and temperature settle under load
else
  echo "(no PyTorch: comparing an idle GPU)"
fi

fields=index,uuid,name,driver_version,pci.bus_id,utilization.gpu,memory.used,memory.total,clocks.gr,clocks.sm,clocks.mem,power.draw,temperature.gpu,fan.speed,clocks_event_reasons.active
source "$(dirname "$0")/../e2e/collector_flags.sh"
only_gpu=$(only_collectors "$exporter" gpu)
# The same moment: both start together; each takes a few milliseconds.
nvidia-smi --query-gpu="$fields" --format=csv,noheader,nounits >"$work/smi" &
"$exporter" --once $only_gpu >"$work/ours" 2>"$work/ours.log"
wait $!
t0=$(date +%s.%N); "$exporter" --once $only_gpu >"$work/e0" 2>/dev/null
sleep 2
t1=$(date +%s.%N); "$exporter" --once $only_gpu >"$work/e1" 2>/dev/null

value() {  # value FILE METRIC [LABEL_MATCH]: first sample of METRIC on gpu 0 (matching LABEL_MATCH)
  awk -v name="$2{" -v match_="${3:-}" 'index($0, name) == 1 && /gpu="0"/ && index($0, match_) { print $NF; exit }' "$1"
}
IFS=',' read -r idx uuid name driver bus util mem_used mem_total clk_gr clk_sm clk_mem power temp fan reasons <"$work/smi"
trim() { sed 's/^ *//; s/ *$//' <<<"$1"; }
info=$(grep '^silicon_gpu_info{' "$work/ours" | grep 'gpu="0"')
label() { grep -o "$1=\"[^\"]*\"" <<<"$info" | cut -d'"' -f2; }

printf '%-26s %-40s %-40s %s\n' metric silicon_exporter nvidia-smi verdict
row() {  # row NAME OURS THEIRS TOLERANCE(absolute; "=" for exact)
  local verdict
  if [[ -z $2 && ( -z $3 || $3 == "[N/A]" || $3 == "[Not Supported]" ) ]]; then verdict="both: not available"
  elif [[ $4 == "=" ]]; then [[ $2 == "$3" ]] && verdict=same || verdict=DIFFERENT
  elif [[ $4 == "(bitmask)" ]]; then verdict="compare by hand"
  else verdict=$(awk -v a="$2" -v b="$3" -v t="$4" 'BEGIN { d = a - b; if (d < 0) d = -d; print (d <= t ? "within " t : "DIFFERENT by " d) }')
  fi
  printf '%-26s %-40s %-40s %s\n' "$1" "$2" "$3" "$verdict"
}
row uuid "$(label uuid)" "$(trim "$uuid")" =
row name "$(label name)" "$(trim "$name")" =
row driver "$(label driver)" "$(trim "$driver")" =
row pci_bus_id "$(label pci_bus_id)" "$(trim "$bus")" =
row "utilization %" "$(awk -v v="$(value "$work/ours" silicon_gpu_utilization_ratio)" 'BEGIN{print v*100}')" "$(trim "$util")" 10
row "memory used MiB" "$(awk -v v="$(value "$work/ours" silicon_gpu_memory_used_bytes)" 'BEGIN{print v/1048576}')" "$(trim "$mem_used")" 64
row "memory total MiB" "$(awk -v v="$(value "$work/ours" silicon_gpu_memory_total_bytes)" 'BEGIN{print v/1048576}')" "$(trim "$mem_total")" 1
row "graphics clock MHz" "$(awk -v v="$(value "$work/ours" silicon_gpu_frequency_hertz 'clock="graphics"')" 'BEGIN{print v/1e6}')" "$(trim "$clk_gr")" 100
row "sm clock MHz" "$(awk -v v="$(value "$work/ours" silicon_gpu_frequency_hertz 'clock="sm"')" 'BEGIN{print v/1e6}')" "$(trim "$clk_sm")" 100
row "memory clock MHz" "$(awk -v v="$(value "$work/ours" silicon_gpu_frequency_hertz 'clock="memory"')" 'BEGIN{print v/1e6}')" "$(trim "$clk_mem")" 1
row "power W" "$(value "$work/ours" silicon_gpu_power_watts)" "$(trim "$power")" 60
row "temperature C" "$(value "$work/ours" silicon_gpu_temperature_celsius)" "$(trim "$temp")" 2
fan_ratio=$(value "$work/ours" silicon_gpu_fan_speed_ratio || true)
row "fan %" "${fan_ratio:+$(awk -v v="$fan_ratio" 'BEGIN{print v*100}')}" "$(trim "$fan")" 5
active=$(grep '^silicon_gpu_throttle_reasons{' "$work/ours" | grep 'gpu="0"' | awk '$NF == 1' |
  { grep -o 'reason="[^"]*"' || true; } | cut -d'"' -f2 | tr '\n' ' ')
row "throttle reasons" "${active:-none}" "$(trim "$reasons")" "(bitmask)"
e0=$(value "$work/e0" silicon_gpu_energy_joules_total); e1=$(value "$work/e1" silicon_gpu_energy_joules_total)
awk -v e0="$e0" -v e1="$e1" -v t0="$t0" -v t1="$t1" -v p="$(trim "$power")" \
  'BEGIN { printf "%-26s %-40s %-40s %s\n", "energy J/s over 2 s", sprintf("%.1f W", (e1 - e0) / (t1 - t0)), p " W (power.draw)", "compare" }'

# Cost: the collector's own duration over many scrapes of a running exporter; NVML init counted.
"$exporter" --web.listen-address=127.0.0.1:0 $only_gpu 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 100); do port=$(grep -o 'port=[0-9]*' "$work/server.log" | head -1 | cut -d= -f2 || true); [[ -n $port ]] && break; sleep 0.05; done
for _ in $(seq "$scrapes"); do
  curl -fsS "http://127.0.0.1:$port/metrics" | awk '/^silicon_scrape_collector_duration_seconds\{collector="gpu"\}/ {print $NF * 1000}'
done | sort -g >"$work/durations"
awk '{ v[NR] = $1 } END { printf "gpu collector per scrape over %d scrapes: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", NR, v[int(NR*0.5)], v[int(NR*0.99)], v[NR] }' "$work/durations"
echo "NVML initialisations in the server's log: $(grep -c 'NVML initialised' "$work/server.log")"
