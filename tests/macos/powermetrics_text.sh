# shellcheck shell=bash
# Reading `sudo powermetrics --samplers cpu_power,gpu_power` text and the exporter's exposition, for
# tests/macos/compare.sh. Sourced, not run; tests/macos/powermetrics_text_test.sh runs these on real
# powermetrics text (tests/fixtures/mac-captures/powermetrics-*.txt) on Linux.
#
# What powermetrics prints, per those captures: one block per CPU cluster, named by its tier letter
# and, where a chip has more than one of a tier, an index: "E-Cluster", "P-Cluster" (M1, M2, M4),
# "P0-Cluster"/"P1-Cluster" (M1 Pro/Max, M3 Max, M4 Pro), "S-Cluster" (M5's "Super" tier); each
# with "<name> HW active frequency: N MHz" and "<name> HW active residency:  N.NN% (...)". Power
# lines are "CPU Power: N mW", "GPU Power: N mW", "ANE Power: N mW",
# "Combined Power (CPU + GPU + ANE): N mW"; older releases also print "E-Cluster Power: N mW".
# The GPU block: "GPU HW active frequency: N MHz", "GPU HW active residency:  N.NN% (...)".
# The exporter names clusters by IOReport channel instead (ECPU, PCPU, PCPU1, DIE_0_ECPU on Ultra
# parts), so the two are compared by core type, never by name.

# pm_clusters FILE: one line per cluster block, "NAME CORE_TYPE MHZ RESIDENCY_PERCENT", in the
# order powermetrics prints them (RESIDENCY "-" where the line is missing). E is efficiency, P
# performance, any other tier letter its own lowercase name (the exporter does the same).
pm_clusters() {
  awk '
    function type_of(name,   tier) {
      tier = substr(name, 1, 1)
      if (tier == "E") return "efficiency"
      if (tier == "P") return "performance"
      return tolower(tier)
    }
    match($0, /^[A-Z][0-9]*-Cluster HW active frequency: *[0-9.]+ MHz/) {
      name = $1; mhz = $5
      if (!(name in seen)) { seen[name] = 1; order[++n] = name }
      freq[name] = mhz
    }
    match($0, /^[A-Z][0-9]*-Cluster HW active residency: *[0-9.]+%/) {
      name = $1; value = $5; sub(/%.*/, "", value); res[name] = value
    }
    END { for (i = 1; i <= n; i++) { c = order[i]; print c, type_of(c), freq[c], (c in res) ? res[c] : "-" } }
  ' "$1"
}

# pm_milliwatts FILE LABEL: the first "LABEL: N mW" (LABEL at the start of the line, a "(...)" after
# it allowed, as in "Combined Power (CPU + GPU + ANE)"); nothing when absent.
pm_milliwatts() {
  awk -v label="$2" '
    index($0, label) == 1 {
      rest = substr($0, length(label) + 1)
      if (rest ~ /^( \([^)]*\))?: *[0-9.]+ mW/) { sub(/^[^:]*: */, "", rest); sub(/ mW.*/, "", rest); print rest; exit }
    }
  ' "$1"
}

# pm_watts FILE LABEL: pm_milliwatts in watts, three decimals (the exporter's unit).
pm_watts() {
  local mw; mw=$(pm_milliwatts "$1" "$2")
  [[ -n $mw ]] && awk -v mw="$mw" 'BEGIN { printf "%.3f\n", mw / 1000 }'
}

# pm_gpu FILE: "MHZ RESIDENCY_PERCENT" of the GPU block ("GPU HW active ..."; releases before the
# "HW" wording print "GPU active ..."); nothing when powermetrics printed no GPU block.
pm_gpu() {
  awk '
    /^GPU (HW )?active frequency: *[0-9.]+ MHz/ && mhz == "" { for (i = 1; i <= NF; i++) if ($(i + 1) == "MHz") { mhz = $i; break } }
    /^GPU (HW )?active residency: *[0-9.]+%/ && res == "" { for (i = 1; i <= NF; i++) if ($i ~ /%$/) { res = $i; sub(/%/, "", res); break } }
    END { if (mhz != "") print mhz, (res == "" ? "-" : res) }
  ' "$1"
}

# pm_type_summary FILE CORE_TYPE: "CLUSTERS BUSY MHZ" over that type's clusters: BUSY the sum of
# their active residencies as a fraction (1.0 = one cluster busy all the time), MHZ the mean of
# their frequencies weighted by residency (powermetrics prints 0 MHz for a cluster that is off);
# "-" for what the text does not say. Nothing when the text has no cluster of that type.
pm_type_summary() {
  pm_clusters "$1" | awk -v type="$2" '
    $2 == type { n++; if ($4 != "-") { known++; busy += $4 / 100; weighted += $3 * $4 / 100 } }
    END {
      if (!n) exit
      if (!known) { print n, "-", "-"; exit }
      printf "%d %.4f %s\n", n, busy, (busy > 0 ? sprintf("%.0f", weighted / busy) : "-")
    }
  '
}

# prom_clusters FILE: the exporter's clusters, "NAME CORE_TYPE", from
# silicon_cpu_cluster_active_seconds_total; names may hold any character but a quote (DIE_0_ECPU).
prom_clusters() {
  sed -n 's/^silicon_cpu_cluster_active_seconds_total{cluster="\([^"]*\)",core_type="\([^"]*\)".*/\1 \2/p' "$1"
}
