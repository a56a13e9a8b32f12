#!/usr/bin/env bash
# Disk, filesystem and network: silicon_exporter and Debian's prometheus-node-exporter on the same
# fixture trees (a laptop with NVMe and dm-crypt, a server with md RAID and many mounts, a
# container host with veth interfaces) must report the same devices, mounts and interfaces with
# the same values. Both are given the same exclude patterns (node_exporter's own defaults differ in
# Debian's build: lo excluded, /run and /media left out, zram kept).
source "$(dirname "$0")/lib.sh"
NODE_EXPORTER=${NODE_EXPORTER:-prometheus-node-exporter}
command -v "$NODE_EXPORTER" >/dev/null || fail "$NODE_EXPORTER not installed (apt-get install prometheus-node-exporter)"
disk_exclude='^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p|mmcblk\d+p)\d+$'
mount_exclude='^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)'

for tree in laptop-nvme server-md container-host; do
  paths=(--path.procfs="$FIXTURES/$tree/proc" --path.sysfs="$FIXTURES/$tree/sys" --path.rootfs="$FIXTURES/$tree/rootfs")
  start_exporter "$tree" "${paths[@]}" --no-collector.cpu --no-collector.memory --no-collector.pressure \
    --no-collector.thermal --no-collector.gpu --no-collector.docker
  curl -fsS "http://127.0.0.1:$PORT/metrics" >"$WORK/ours"
  node_port=$(free_port)
  "$NODE_EXPORTER" --web.listen-address="127.0.0.1:$node_port" "${paths[@]}" --collector.disable-defaults \
    --collector.diskstats --collector.diskstats.device-exclude="$disk_exclude" \
    --collector.filesystem --collector.filesystem.mount-points-exclude="$mount_exclude" \
    --collector.netdev --no-collector.netdev.netlink --collector.netdev.device-exclude='^$' 2>"$WORK/node.log" &
  PIDS+=($!)
  rm -f "$WORK/node"
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$node_port/metrics" >"$WORK/node" 2>/dev/null && break; sleep 0.1; done
  [[ -s $WORK/node ]] || fail "node_exporter did not answer: $(cat "$WORK/node.log")"
  python3 "$(dirname "$0")/compare_io.py" "$WORK/ours" "$WORK/node" "$tree" || fail "$tree: values differ from node_exporter"
done
pass "disk, filesystem and network series equal to node_exporter's on three trees"
