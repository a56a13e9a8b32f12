#!/usr/bin/env bash
# compare.sh's readers of powermetrics text (tests/macos/powermetrics_text.sh) on what powermetrics
# really printed on M1 Pro, M1 Max, M2, M3, M3 Max, M4 and M5 machines
# (tests/fixtures/mac-captures/powermetrics-*.txt, each headed with its source). Runs on Linux.
# Every expected value is the number in the capture: reading text has no tolerance.
set -u
here=$(cd "$(dirname "$0")" && pwd)
captures=$here/../fixtures/mac-captures
# shellcheck source=tests/macos/powermetrics_text.sh
source "$here/powermetrics_text.sh"
failures=0 checks=0

expect() {  # expect WHAT GOT WANT
  checks=$((checks + 1))
  if [[ $2 == "$3" ]]; then return; fi
  printf 'FAIL: %s\n  got:  %s\n  want: %s\n' "$1" "$2" "$3"
  failures=$((failures + 1))
}
lines() { printf '%s\n' "$@"; }

# Cluster blocks, by the names powermetrics gives them; the old compare.sh looked for the
# exporter's IOReport names ("ECPU HW active frequency"), which no capture has.
expect "M1 Pro (stats#985): E and P0 clusters" "$(pm_clusters "$captures/powermetrics-m1pro-stats985.txt")" \
  "$(lines "E-Cluster efficiency 1541 48.17" "P0-Cluster performance 1099 20.92")"
expect "M1 Max (joularjx#51): E and P0 clusters" "$(pm_clusters "$captures/powermetrics-m1max-joularjx51.txt")" \
  "$(lines "E-Cluster efficiency 1578 68.75" "P0-Cluster performance 3077 98.60")"
expect "M2 (joularjx#51): E cluster" "$(pm_clusters "$captures/powermetrics-m2-joularjx51.txt")" \
  "E-Cluster efficiency 919 5.37"
expect "M1 Pro on macOS 27 (stats#3336): E, P0 and P1 without distributions" \
  "$(pm_clusters "$captures/powermetrics-m1pro-macos27-stats3336.txt")" \
  "$(lines "E-Cluster efficiency 2064 100.00" "P0-Cluster performance 1898 72.40" "P1-Cluster performance 1226 57.13")"
expect "M3 Max (mactop#2): P1 cluster, its residency line cut off" \
  "$(pm_clusters "$captures/powermetrics-m3max-mactop2.txt")" "P1-Cluster performance 4051 -"
expect "M4 (tmog-feedback#127): unnumbered P-Cluster at 0 MHz" "$(pm_clusters "$captures/powermetrics-m4-tmog127.txt")" \
  "$(lines "E-Cluster efficiency 1898 -" "P-Cluster performance 0 -")"
expect "M5 (stats#3325): E cluster" "$(pm_clusters "$captures/powermetrics-m5-stats3325.txt")" \
  "E-Cluster efficiency 1609 37.48"
expect "a GPU-only sample has no clusters" "$(pm_clusters "$captures/powermetrics-gpu-m1pro-applegpuinfo7.txt")" ""

# Per core type, as compare.sh sets them beside the exporter's clusters of the same type.
# M1 Pro on macOS 27: busy 0.7240 + 0.5713; MHz (1898 * 0.7240 + 1226 * 0.5713) / 1.2953 = 1601.6.
expect "M1 Pro macOS 27: performance summary" \
  "$(pm_type_summary "$captures/powermetrics-m1pro-macos27-stats3336.txt" performance)" "2 1.2953 1602"
expect "M1 Pro macOS 27: efficiency summary" \
  "$(pm_type_summary "$captures/powermetrics-m1pro-macos27-stats3336.txt" efficiency)" "1 1.0000 2064"
expect "M1 Max: performance summary" "$(pm_type_summary "$captures/powermetrics-m1max-joularjx51.txt" performance)" \
  "1 0.9860 3077"
expect "M4: no residency printed, so no busy share or MHz" \
  "$(pm_type_summary "$captures/powermetrics-m4-tmog127.txt" performance)" "1 - -"
expect "M2: no performance cluster in the trimmed text" \
  "$(pm_type_summary "$captures/powermetrics-m2-joularjx51.txt" performance)" ""

# GPU block: frequency and residency.
expect "M1 Pro GPU (applegpuinfo#7)" "$(pm_gpu "$captures/powermetrics-gpu-m1pro-applegpuinfo7.txt")" "389 8.49"
expect "M3 GPU (applegpuinfo#15)" "$(pm_gpu "$captures/powermetrics-gpu-m3-applegpuinfo15.txt")" "338 22.25"
expect "no GPU block: nothing" "$(pm_gpu "$captures/powermetrics-m1max-joularjx51.txt")" ""

# Power lines: by label at the start of a line, so "CPU Power" is not "E-Cluster Power".
expect "M1 Pro GPU Power (mW)" "$(pm_milliwatts "$captures/powermetrics-gpu-m1pro-applegpuinfo7.txt" "GPU Power")" "14"
expect "M1 Pro GPU Power (W)" "$(pm_watts "$captures/powermetrics-gpu-m1pro-applegpuinfo7.txt" "GPU Power")" "0.014"
expect "M1 Pro E-Cluster Power (stats#985)" "$(pm_milliwatts "$captures/powermetrics-m1pro-stats985.txt" "E-Cluster Power")" "96"
expect "M1 Pro P0-Cluster Power (stats#985)" "$(pm_milliwatts "$captures/powermetrics-m1pro-stats985.txt" "P0-Cluster Power")" "254"
expect "M2 E-Cluster Power (joularjx#51)" "$(pm_milliwatts "$captures/powermetrics-m2-joularjx51.txt" "E-Cluster Power")" "6"
expect "no CPU Power line: nothing, not a cluster's power" \
  "$(pm_milliwatts "$captures/powermetrics-m1pro-stats985.txt" "CPU Power")" ""
expect "no Combined Power line: nothing" \
  "$(pm_milliwatts "$captures/powermetrics-m1pro-stats985.txt" "Combined Power")" ""

# The exporter's side: cluster names are IOReport channel names, with DIE_n_ on Ultra parts (the
# names of a real M2 Ultra dump, https://github.com/vladkens/macmon/issues/17). These exposition
# lines are written here, in the exporter's format; they are not a capture.
prom=$(mktemp); trap 'rm -f "$prom"' EXIT
cat >"$prom" <<'EOF'
# TYPE silicon_cpu_cluster_active_seconds_total counter
silicon_cpu_cluster_active_seconds_total{cluster="DIE_0_ECPU",core_type="efficiency"} 12.5
silicon_cpu_cluster_active_seconds_total{cluster="DIE_0_PCPU",core_type="performance"} 3.25
silicon_cpu_cluster_active_seconds_total{cluster="PCPU1",core_type="performance"} 1
silicon_cpu_cluster_cycles_total{cluster="PCPU1",core_type="performance"} 2e9
EOF
expect "exporter clusters, DIE_0_ names included" "$(prom_clusters "$prom")" \
  "$(lines "DIE_0_ECPU efficiency" "DIE_0_PCPU performance" "PCPU1 performance")"

if ((failures)); then echo "$failures of $checks checks failed"; exit 1; fi
echo "PASS: $checks checks of compare.sh's powermetrics readers on 9 real captures"
