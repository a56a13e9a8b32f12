#!/usr/bin/env bash
# The Mac twin of the NVIDIA comparison: on a real Mac, what silicon_exporter reports beside what
# macOS's own tools say about the same machine, printed side by side. Hard failures only where the
# two must agree exactly (core counts, memory size); the rest is evidence for a person to read,
# "no data" where a side has nothing. The macos-14 CI job runs it on GitHub's runners, which are
# virtual machines: no IOReport energy, SMC, HID sensors or battery, sometimes no GPU, and a
# powermetrics with little to say. Only what a VM has is asserted.
#
# usage: tests/macos/compare.sh [EXPORTER]        (default build/silicon_exporter)
#        sudo tests/macos/compare.sh [EXPORTER]   adds powermetrics (power, cluster and GPU frequency)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/macos/powermetrics_text.sh
source "$here/powermetrics_text.sh"  # pm_* readers of powermetrics text, tested on real captures
exporter=${1:-build/silicon_exporter}
[[ $(uname -s) == Darwin ]] || { echo "compare.sh runs on macOS only" >&2; exit 77; }
[[ -x $exporter ]] || { echo "no exporter at $exporter (build first)" >&2; exit 2; }
work=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
failures=0

# value FILE SERIES: the value of the first sample whose "name{labels}" starts with SERIES.
value() { awk -v s="$2" 'index($0, s) == 1 { print $NF; exit }' "$1"; }
row() { printf '%-40s %-22s %s\n' "$1" "${2:-no data}" "${3:-no data}"; }
must_equal() {  # must_equal WHAT OURS THEIRS
  if [[ $2 == "$3" ]]; then row "$1" "$2" "$3  ok"; else row "$1" "$2" "$3  MISMATCH"; failures=$((failures + 1)); fi
}

"$exporter" --once >"$work/once.prom" 2>"$work/once.log" || { cat "$work/once.log"; exit 1; }
o="$work/once.prom"
echo "== $(sysctl -n machdep.cpu.brand_string) ($(sysctl -n hw.model)), macOS $(sw_vers -productVersion)"
row "quantity" "silicon_exporter" "macOS"
must_equal "CPUs" "$(grep -c '^silicon_cpu_seconds_total{.*mode="idle"' "$o")" "$(sysctl -n hw.ncpu)"
for level in 0 1; do
  name=$(sysctl -n "hw.perflevel$level.name" 2>/dev/null | tr '[:upper:]' '[:lower:]') || continue
  [[ -n $name ]] && must_equal "$name cores" "$(value "$o" "silicon_cpu_cores{core_type=\"$name\"}")" \
    "$(sysctl -n "hw.perflevel$level.logicalcpu")"
done
must_equal "memory total (bytes)" "$(value "$o" silicon_memory_total_bytes | awk '{printf "%.0f", $1}')" "$(sysctl -n hw.memsize)"

page=$(sysctl -n hw.pagesize)
vm_stat >"$work/vm_stat"
pages() { awk -v k="$1" 'index($0, k) == 1 { gsub(/\./, "", $NF); print $NF * '"$page"' }' "$work/vm_stat"; }
row "free (vm_stat Pages free)" "$(value "$o" silicon_memory_free_bytes)" "$(pages 'Pages free')"
row "wired" "$(value "$o" silicon_memory_wired_bytes)" "$(pages 'Pages wired down')"
row "compressed (occupied by compressor)" "$(value "$o" silicon_memory_compressed_bytes)" "$(pages 'Pages occupied by compressor')"
row "pressure level (0 normal..2)" "$(value "$o" silicon_memory_pressure_level)" \
  "kern level $(sysctl -n kern.memorystatus_vm_pressure_level) (1 normal, 2 warn, 4 critical)"
row "memory_pressure free %" "-" "$(memory_pressure 2>/dev/null | awk -F': ' '/free percentage/ {print $2}')"
row "thermal state" "$(value "$o" silicon_thermal_state)" "$(pmset -g therm 2>/dev/null | tr '\n' ' ' | cut -c1-60)"
row "thermal pressure level" "$(value "$o" silicon_thermal_pressure_level)" "-"
row "temperature sensors (IOHID)" "$(grep -c '^silicon_temperature_celsius' "$o")" "-"
row "fans" "$(grep '^silicon_fan_speed_rpm' "$o" | awk '{printf "%s ", $NF}')" "-"
ioreg -r -c IOAccelerator -d 1 >"$work/ioreg" 2>/dev/null
row "GPUs (IOAccelerator)" "$(grep -c '^silicon_gpu_info' "$o")" "$(grep -c '"gpu-core-count"' "$work/ioreg")"
row "GPU cores" "$(grep -o 'cores="[0-9]*"' "$o" | head -1)" "$(grep -o '"gpu-core-count" = [0-9]*' "$work/ioreg" | head -1)"
row "GPU Device Utilization %" "$(value "$o" silicon_gpu_utilization_ratio)" \
  "$(grep -o '"Device Utilization %"=[0-9]*' "$work/ioreg" | head -1)"
row "battery charge" "$(value "$o" silicon_battery_charge_ratio)" "$(pmset -g batt 2>/dev/null | grep -o '[0-9]*%' | head -1)"
row "battery cycles" "$(value "$o" silicon_battery_charge_cycles)" \
  "$(ioreg -r -c AppleSmartBattery 2>/dev/null | grep -o '"CycleCount" = [0-9]*' | head -1)"
row "on AC" "$(value "$o" 'silicon_power_supply_online{supply="AC"')" "$(pmset -g batt 2>/dev/null | head -1)"

# Rates need the sampler thread running: serve, scrape twice 5 s apart, and (as root) let
# powermetrics average the same 5 s.
port=$((20000 + RANDOM % 20000))
"$exporter" --web.listen-address="127.0.0.1:$port" 2>"$work/serve.log" &
pid=$!
# Up to 15 s for the listener (a loaded CI VM is slow to start), then 3 s for the sampler's first sample.
for _ in $(seq 30); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics" 2>/dev/null && break; sleep 0.5; done
sleep 3
curl -fsS "http://127.0.0.1:$port/metrics" >"$work/a.prom" || { cat "$work/serve.log"; exit 1; }
if [[ $(id -u) == 0 ]] && command -v powermetrics >/dev/null; then
  powermetrics -n 1 -i 5000 --samplers cpu_power,gpu_power >"$work/powermetrics" 2>&1 &
  powermetrics_pid=$!
fi
sleep 5
curl -fsS "http://127.0.0.1:$port/metrics" >"$work/b.prom"
[[ -n ${powermetrics_pid:-} ]] && wait "$powermetrics_pid"
pm_file=$work/powermetrics
if [[ ! -s $pm_file ]]; then
  echo "== powermetrics: not run (needs root: sudo $0)"; pm_file=/dev/null
elif ! grep -q 'Sampled system activity' "$pm_file"; then
  echo "== powermetrics printed no sample: $(head -c 200 "$pm_file" | tr '\n' ' ')"; pm_file=/dev/null
fi
rate() { awk -v s="$1" 'FNR == 1 { f++ } index($0, s) == 1 { v[f] += $NF } END { if (f == 2 && 1 in v) printf "%.3f", (v[2] - v[1]) / 5 }' "$work/a.prom" "$work/b.prom"; }
row "CPU power (W)" "$(rate 'silicon_energy_joules_total{domain="cpu"')" "$(pm_watts "$pm_file" 'CPU Power')"
row "GPU power (W)" "$(rate 'silicon_energy_joules_total{domain="gpu"')" "$(pm_watts "$pm_file" 'GPU Power')"
row "ANE power (W)" "$(rate 'silicon_energy_joules_total{domain="ane"')" "$(pm_watts "$pm_file" 'ANE Power')"
row "CPU+GPU+ANE power (W)" "-" "$(pm_watts "$pm_file" 'Combined Power')"
row "system power (W, SMC PSTR)" "$(value "$work/b.prom" silicon_system_power_watts)" "-"

# CPU clusters. The exporter names them by IOReport channel (ECPU, PCPU1, DIE_0_ECPU on Ultra
# parts), powermetrics by tier (E-Cluster, P0-Cluster, S-Cluster): both are listed, and set side
# by side per core type as busy clusters (1 = one cluster active all the time) and MHz.
while read -r cluster type; do
  busy=$(rate "silicon_cpu_cluster_active_seconds_total{cluster=\"$cluster\"")
  cycles=$(rate "silicon_cpu_cluster_cycles_total{cluster=\"$cluster\"")
  mhz=$(awk -v c="${cycles:-0}" -v b="${busy:-0}" 'BEGIN { if (b > 0) printf "%.0f", c / b / 1e6; else print "-" }')
  row "exporter $cluster ($type) busy/MHz" "${busy:+$busy / $mhz}" "-"
done < <(prom_clusters "$work/b.prom")
while read -r name type mhz residency; do
  if [[ $residency == - ]]; then row "powermetrics $name ($type)" "-" "$mhz MHz"
  else row "powermetrics $name ($type)" "-" "${residency}% at $mhz MHz"; fi
done < <(pm_clusters "$pm_file")
for type in $( (prom_clusters "$work/b.prom"; pm_clusters "$pm_file") | awk '{ print $2 }' | sort -u); do
  ours=$(prom_clusters "$work/b.prom" | awk -v t="$type" '$2 == t { print $1 }' | while read -r cluster; do
    printf '%s %s\n' "$(rate "silicon_cpu_cluster_active_seconds_total{cluster=\"$cluster\"")" \
      "$(rate "silicon_cpu_cluster_cycles_total{cluster=\"$cluster\"")"
  done | awk '{ n++; busy += $1; cycles += $2 } END { if (n) printf "%.3f / %s", busy, (busy > 0 ? sprintf("%.0f", cycles / busy / 1e6) : "-") }')
  theirs=$(pm_type_summary "$pm_file" "$type" | awk '{ if ($2 == "-") print "- / -"; else printf "%.3f / %s", $2, $3 }')
  row "$type clusters busy / MHz" "$ours" "$theirs"
done
gpu_busy=$(rate 'silicon_gpu_active_seconds_total{gpu="0"')
gpu_cycles=$(rate 'silicon_gpu_cycles_total{gpu="0"')
row "GPU busy / MHz (IOReport)" \
  "${gpu_busy:+$gpu_busy / $(awk -v c="${gpu_cycles:-0}" -v b="$gpu_busy" 'BEGIN { if (b > 0) printf "%.0f", c / b / 1e6; else print "-" }')}" \
  "$(pm_gpu "$pm_file" | awk '{ printf "%s / %s", ($2 == "-" ? "-" : sprintf("%.3f", $2 / 100)), $1 }')"
row "sampler cost per sample (s)" \
  "$(awk 'FNR == 1 { f++ } /^silicon_power_sampler_busy_seconds_total/ { b[f] = $NF } /^silicon_power_sampler_samples_total/ { n[f] = $NF }
          END { if (n[2] > n[1]) printf "%.4f", (b[2] - b[1]) / (n[2] - n[1]) }' "$work/a.prom" "$work/b.prom")" "-"
echo "== collectors: $(grep '^silicon_scrape_collector_success' "$work/b.prom" | sed 's/.*collector="\([a-z_]*\)"} \(.\)/\1=\2/' | tr '\n' ' ')"
if ((failures)); then echo "$failures quantities disagree"; exit 1; fi
echo "the quantities that must agree do"
