#!/usr/bin/env bash
# Scrapes the real binary over HTTP on every fixture tree, diffs against tests/golden/<tree>.prom and
# lints the scrape with promtool. UPDATE_GOLDEN=1 rewrites the golden files instead.
source "$(dirname "$0")/lib.sh"
GOLDEN=${GOLDEN:-$(dirname "$0")/../golden}

# The I/O trees hold only what the disk, filesystem and network collectors read.
io_only=(--no-collector.cpu --no-collector.memory --no-collector.pressure --no-collector.thermal --no-collector.gpu)
for tree in x86-vm intel-hybrid asahi-m1 laptop-nvme server-md container-host; do
  flags=(--path.procfs="$FIXTURES/$tree/proc" --path.sysfs="$FIXTURES/$tree/sys" --no-collector.docker)
  [[ -d $FIXTURES/$tree/rootfs ]] && flags+=(--path.rootfs="$FIXTURES/$tree/rootfs" "${io_only[@]}")
  # Docker is left out: what a live engine runs is not part of a fixture tree (docker_test.sh covers it).
  start_exporter "$tree" "${flags[@]}"
  curl -fsS "http://127.0.0.1:$PORT/metrics" >"$WORK/$tree.prom" || fail "$tree: scrape failed"
  kill "$PID"

  # Every series once: Prometheus keeps one of two identical series and drops the other without a
  # word, and promtool does not flag it.
  repeated=$(grep -v '^#' "$WORK/$tree.prom" | sed -E 's/ [^ ]+$//' | sort | uniq -d)
  [[ -z $repeated ]] || fail "$tree: series exported more than once: $repeated"
  lint=$(promtool check metrics <"$WORK/$tree.prom" 2>&1) || fail "$tree: promtool check metrics: $lint"
  [[ -z $lint ]] || fail "$tree: promtool check metrics complained: $lint"

  stable_exposition <"$WORK/$tree.prom" >"$WORK/$tree.stable"
  if [[ ${UPDATE_GOLDEN:-0} == 1 ]]; then
    cp "$WORK/$tree.stable" "$GOLDEN/$tree.prom"
    echo "updated $GOLDEN/$tree.prom"
    continue
  fi
  diff -u "$GOLDEN/$tree.prom" "$WORK/$tree.stable" || fail "$tree: scrape differs from golden file"
  # The volatile series must still be there, just not compared.
  for family in process_cpu_seconds_total process_resident_memory_bytes process_open_fds \
      process_start_time_seconds silicon_exporter_build_info silicon_scrape_collector_duration_seconds \
      silicon_http_connections silicon_http_connections_accepted_total silicon_http_connections_closed_total; do
    grep -q "^$family" "$WORK/$tree.prom" || fail "$tree: $family missing"
  done
  # --once prints the same exposition as a scrape.
  "$EXPORTER" --once "${flags[@]}" 2>/dev/null |
    stable_exposition | diff -u "$GOLDEN/$tree.prom" - || fail "$tree: --once differs from golden file"
  pass "$tree matches golden exposition, promtool clean, --once identical"
done
