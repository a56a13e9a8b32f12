#!/usr/bin/env bash
# Memory, swap, PSI, temperatures, RAPL energy and batteries: silicon_exporter and Debian's prometheus-node-exporter on the
# same fixture trees must agree wherever both expose the same quantity.
source "$(dirname "$0")/lib.sh"
NODE_EXPORTER=${NODE_EXPORTER:-prometheus-node-exporter}
command -v "$NODE_EXPORTER" >/dev/null || fail "$NODE_EXPORTER not installed (apt-get install prometheus-node-exporter)"
page=$(getconf PAGESIZE)

# sum FILE SERIES...: the sum of the samples whose "name{labels}" starts with each SERIES; "none" if
# no sample matched.
sum() {
  local file=$1; shift
  awk -v want="$(printf '%s\n' "$@")" '
    BEGIN { n = split(want, prefixes, "\n") }
    /^#/ { next }
    { for (i = 1; i <= n; i++) if (index($0, prefixes[i]) == 1) { total += $NF; hit = 1 } }
    END { if (hit) printf "%.6f\n", total; else print "none" }' "$file"
}
# values FILE PREFIX: the sorted values of the samples whose series starts with PREFIX.
values() { grep "^$2" "$1" | awk '{printf "%.3f\n", $NF}' | sort -g | tr '\n' ' '; }

checks=0
same() {  # same WHAT OURS THEIRS
  [[ $2 == "$3" ]] || fail "$tree: $1: ours $2, node_exporter $3"
  checks=$((checks + 1))
}

for tree in x86-vm intel-hybrid asahi-m1; do
  procfs="$FIXTURES/$tree/proc" sysfs="$FIXTURES/$tree/sys"
  start_exporter "$tree" --path.procfs="$procfs" --path.sysfs="$sysfs" --no-collector.docker
  curl -fsS "http://127.0.0.1:$PORT/metrics" >"$WORK/ours"
  node_port=$(free_port)
  "$NODE_EXPORTER" --web.listen-address="127.0.0.1:$node_port" --path.procfs="$procfs" --path.sysfs="$sysfs" \
    --collector.disable-defaults --collector.meminfo --collector.vmstat --collector.pressure \
    --collector.thermal_zone --collector.hwmon --collector.rapl --collector.powersupplyclass 2>"$WORK/node.log" &
  PIDS+=($!)
  rm -f "$WORK/node"
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$node_port/metrics" >"$WORK/node" 2>/dev/null && break; sleep 0.1; done
  [[ -s $WORK/node ]] || fail "node_exporter did not answer: $(cat "$WORK/node.log")"
  o="$WORK/ours" n="$WORK/node"

  same MemTotal "$(sum $o silicon_memory_total_bytes)" "$(sum $n node_memory_MemTotal_bytes)"
  same MemFree "$(sum $o silicon_memory_free_bytes)" "$(sum $n node_memory_MemFree_bytes)"
  same MemAvailable "$(sum $o silicon_memory_available_bytes)" "$(sum $n node_memory_MemAvailable_bytes)"
  same "file-backed (Active+Inactive file)" "$(sum $o silicon_memory_cached_bytes)" \
    "$(sum $n node_memory_Active_file_bytes node_memory_Inactive_file_bytes)"
  same SwapTotal "$(sum $o silicon_swap_total_bytes)" "$(sum $n node_memory_SwapTotal_bytes)"
  same "swap used" "$(sum $o silicon_swap_used_bytes)" \
    "$(awk -v t="$(sum $n node_memory_SwapTotal_bytes)" -v f="$(sum $n node_memory_SwapFree_bytes)" 'BEGIN{printf "%.6f\n", t-f}')"
  same "swap in" "$(sum $o silicon_swap_in_bytes_total)" \
    "$(awk -v p="$(sum $n node_vmstat_pswpin)" -v s="$page" 'BEGIN{printf "%.6f\n", p*s}')"
  same "swap out" "$(sum $o silicon_swap_out_bytes_total)" \
    "$(awk -v p="$(sum $n node_vmstat_pswpout)" -v s="$page" 'BEGIN{printf "%.6f\n", p*s}')"

  for resource in cpu memory io; do
    same "$resource some stall" "$(sum $o "silicon_pressure_stall_seconds_total{resource=\"$resource\",kind=\"some\"}")" \
      "$(sum $n node_pressure_${resource}_waiting_seconds_total)"
  done
  for resource in memory io; do
    same "$resource full stall" "$(sum $o "silicon_pressure_stall_seconds_total{resource=\"$resource\",kind=\"full\"}")" \
      "$(sum $n node_pressure_${resource}_stalled_seconds_total)"
  done

  # Thermal zones by zone number; hwmon temperatures and fans as sorted sets of values (node_exporter
  # names hwmon chips after their device path, we after their name).
  for zone in $(grep -o 'sensor="thermal_zone[0-9]*"' "$o" | grep -o '[0-9]*' | sort -u); do
    same "thermal_zone$zone" "$(grep "^silicon_temperature_celsius{.*sensor=\"thermal_zone$zone\"" "$o" | awk '{printf "%.6f\n", $NF}')" \
      "$(grep "^node_thermal_zone_temp{.*zone=\"$zone\"" "$n" | awk '{printf "%.6f\n", $NF}')"
  done
  same "hwmon temperatures" "$(grep -v 'sensor="thermal_zone' "$o" | values /dev/stdin silicon_temperature_celsius)" \
    "$(values "$n" node_hwmon_temp_celsius)"
  same "fan speeds" "$(values "$o" silicon_fan_speed_rpm)" "$(values "$n" node_hwmon_fan_rpm)"

  # RAPL zone by zone (node_exporter also lists the mmio copy of the package, which we leave out).
  for zone in $(grep '^silicon_energy_joules_total' "$o" | grep -o 'zone="[^"]*"' | cut -d'"' -f2); do
    same "RAPL $zone" "$(grep "^silicon_energy_joules_total{.*zone=\"$zone\"" "$o" | awk '{printf "%.6f\n", $NF}')" \
      "$(grep "^node_rapl_[a-z]*_joules_total{.*path=\".*/$zone\"" "$n" | awk '{printf "%.6f\n", $NF}')"
  done
  # Batteries: charge from energy (Wh) where there is one, else the percentage; health; cycles; AC.
  for battery in $(grep '^silicon_battery_charge_ratio' "$o" | grep -o 'battery="[^"]*"' | cut -d'"' -f2); do
    theirs=$(awk -v b="power_supply=\"$battery\"" 'index($0, b) && /^node_power_supply_energy_watthour/ {now=$NF}
      index($0, b) && /^node_power_supply_energy_full\{/ {full=$NF} index($0, b) && /^node_power_supply_capacity/ {pct=$NF}
      END { if (full > 0) printf "%.6f\n", now / full; else printf "%.6f\n", pct / 100 }' "$n")
    same "$battery charge" "$(sum $o "silicon_battery_charge_ratio{battery=\"$battery\"}")" "$theirs"
  done
  same "battery health" "$(sum $o silicon_battery_health_ratio)" \
    "$(awk '/^node_power_supply_energy_full\{/ {f=$NF} /^node_power_supply_energy_full_design/ {d=$NF; hit=1}
           END { if (hit) printf "%.6f\n", f / d; else print "none" }' "$n")"
  same "charge cycles" "$(sum $o silicon_battery_charge_cycles)" "$(sum $n node_power_supply_cyclecount)"
  same "AC online" "$(sum $o 'silicon_power_supply_online{supply="AC"')" "$(sum $n 'node_power_supply_online{power_supply="AC"')"
  pass "$tree: memory, swap, PSI, thermal zones, hwmon, fans, RAPL and batteries agree with node_exporter"
done
echo "$checks comparisons"
