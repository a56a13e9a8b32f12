#!/usr/bin/env bash
# Temperatures and fans on a real host's /sys, not a fixture tree: silicon_exporter's thermal
# collector against node_exporter's thermal_zone and hwmon, scraped back to back, then both
# followed over SCRAPES scrapes a second apart. Our inputs stay open between scrapes (the sensor
# list is made every 10 s): a live sensor whose value moves for node_exporter, which opens every
# file afresh, but never for us would be a stale descriptor. Not in ctest: CI's VM has no sensors.
# usage: tests/thermal/host_compare.sh EXPORTER [NODE_EXPORTER] [SCRAPES]
#        (set LD_LIBRARY_PATH if the exporter's libraries are carried along)
set -euo pipefail
exporter=$1 node=${2:-prometheus-node-exporter} scrapes=${3:-10}
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../e2e/free_port.sh"
source "$here/../e2e/collector_flags.sh"
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

ours_port=$(free_port)
"$exporter" --web.listen-address="127.0.0.1:$ours_port" --log.level=warn --web.ui.history=0 --collector.thermal \
  $(only_collectors "$exporter" thermal) &
pids+=($!)
node_port=$(free_port)
"$node" --web.listen-address="127.0.0.1:$node_port" --collector.disable-defaults --collector.thermal_zone \
  --collector.hwmon 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$ours_port/metrics" 2>/dev/null &&
    curl -fsS -o /dev/null "http://127.0.0.1:$node_port/metrics" 2>/dev/null && break
  sleep 0.1
done

# temps FILE WHO / fans FILE WHO: "series value" per sensor, in a form that names it for its owner.
# (A host may have none of either: no match is no line, not an error.)
temps() {
  if [[ $2 == ours ]]; then awk '/^silicon_temperature_celsius\{/ {print $1, $NF}' "$1"
  else awk '/^node_(hwmon_temp_celsius|thermal_zone_temp)\{/ {print $1, $NF}' "$1"; fi
}
fans() {
  if [[ $2 == ours ]]; then awk '/^silicon_fan_speed_rpm\{/ {print $1, $NF}' "$1"
  else awk '/^node_hwmon_fan_rpm\{/ {print $1, $NF}' "$1"; fi
}
for i in $(seq 0 "$scrapes"); do
  curl -fsS "http://127.0.0.1:$ours_port/metrics" >"$work/ours.$i"
  curl -fsS "http://127.0.0.1:$node_port/metrics" >"$work/node.$i"
  sleep 1
done

failed=0
# The same sensors, read a few milliseconds apart: the sorted values must pair up within 3 °C
# (a core's temperature moves that much between two reads under load) and the counts agree.
for kind in temps fans; do
  $kind "$work/ours.0" ours | awk '{print $2}' | sort -g >"$work/o"
  $kind "$work/node.0" node | awk '{print $2}' | sort -g >"$work/n"
  tolerance=$([[ $kind == temps ]] && echo 3 || echo 200)
  read -r count_o count_n worst < <(paste "$work/o" "$work/n" | awk -v t="$tolerance" -v no="$(wc -l <"$work/o")" \
    -v nn="$(wc -l <"$work/n")" '{ d = $1 - $2; if (d < 0) d = -d; if (d > w) w = d } END { print no, nn, w + 0 }')
  status=ok
  if [[ $count_o != "$count_n" ]] || awk -v w="$worst" -v t="$tolerance" 'BEGIN { exit !(w > t) }'; then
    status=FAIL; failed=1
  fi
  echo "$status $kind: ours $count_o, node_exporter $count_n; largest difference of the sorted values $worst (allowed $tolerance)"
done

if [[ -z $(temps "$work/ours.0" ours) && -z $(temps "$work/node.0" node) ]]; then
  echo "note: no temperature sensor on this host for either exporter: nothing was compared"
fi

# Movement over the scrapes: sensors whose value changed at least once, for each exporter.
moved() {
  local who=$1
  for i in $(seq 0 "$scrapes"); do temps "$work/$who.$i" "$who"; done |
    awk '{ if (($1 in first) && first[$1] != $2) moved[$1] = 1; if (!($1 in first)) first[$1] = $2 }
         END { n = 0; for (s in moved) n++; print n }'
}
moved_ours=$(moved ours) moved_node=$(moved node)
status=ok
if (( moved_node > 0 && moved_ours == 0 )); then status=FAIL; failed=1; fi
echo "$status movement over $scrapes s: $moved_ours of our temperature series changed, $moved_node of node_exporter's"
echo "our temperatures now:"; temps "$work/ours.$scrapes" ours | sed 's/^/  /'
exit "$failed"
