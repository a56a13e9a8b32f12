#!/usr/bin/env bash
# Runs Debian's prometheus-node-exporter and silicon_exporter on the same fixture tree and checks that
# every quantity both expose has the same value: per-CPU mode seconds, guest seconds, scaling
# frequency and load averages.
source "$(dirname "$0")/lib.sh"
NODE_EXPORTER=${NODE_EXPORTER:-prometheus-node-exporter}
command -v "$NODE_EXPORTER" >/dev/null || fail "$NODE_EXPORTER not installed (apt-get install prometheus-node-exporter)"

# normalise KIND <file: maps both exporters' series onto "quantity cpu mode value" lines.
normalise() {
  local prefix=$1
  sed -nE "s/^${prefix}(cpu_seconds_total|cpu_guest_seconds_total|load1|load5|load15|FREQ)(\{[^}]*\})? (.*)$/\1 \2 \3/p" |
    awk '{
      cpu = "-"; mode = "-";
      if (match($2, /cpu="[^"]*"/)) cpu = substr($2, RSTART + 5, RLENGTH - 6);
      if (match($2, /mode="[^"]*"/)) mode = substr($2, RSTART + 6, RLENGTH - 7);
      printf "%s %s %s %.9g\n", $1, cpu, mode, $3
    }' | sort
}

compared=0
for tree in x86-vm intel-hybrid asahi-m1; do
  procfs="$FIXTURES/$tree/proc" sysfs="$FIXTURES/$tree/sys"
  start_exporter "$tree" --path.procfs="$procfs" --path.sysfs="$sysfs" --no-collector.docker
  curl -fsS "http://127.0.0.1:$PORT/metrics" | sed 's/^silicon_cpu_frequency_hertz/silicon_FREQ/' |
    normalise silicon_ >"$WORK/ours"

  node_port=$(free_port)
  "$NODE_EXPORTER" --web.listen-address="127.0.0.1:$node_port" --path.procfs="$procfs" --path.sysfs="$sysfs" \
    --collector.disable-defaults --collector.cpu --collector.cpufreq --collector.loadavg 2>"$WORK/node.log" &
  PIDS+=($!)
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$node_port/metrics" >"$WORK/node.prom" 2>/dev/null && break; sleep 0.1; done
  [[ -s $WORK/node.prom ]] || fail "node_exporter did not answer: $(cat "$WORK/node.log")"
  sed 's/^node_cpu_scaling_frequency_hertz/node_FREQ/' "$WORK/node.prom" | normalise node_ >"$WORK/theirs"

  # Every series node_exporter has for these quantities must be ours too, with the same value.
  [[ -s $WORK/theirs ]] || fail "$tree: node_exporter exposed none of the compared series"
  if ! diff -u "$WORK/theirs" <(grep -F -x -f "$WORK/theirs" "$WORK/ours") >"$WORK/diff"; then
    cat "$WORK/diff" >&2
    fail "$tree: values differ from node_exporter's (- node_exporter, + ours)"
  fi
  # A node_exporter collector that failed on the tree would compare nothing: frequencies must be there.
  [[ $(grep -c '^FREQ ' "$WORK/theirs" || true) == $(grep -c '^FREQ ' "$WORK/ours" || true) ]] ||
    fail "$tree: node_exporter and we expose a different number of CPU frequencies"
  n=$(wc -l <"$WORK/theirs")
  compared=$((compared + n))
  pass "$tree: $n series equal to node_exporter's"
done
echo "compared $compared series in all"
