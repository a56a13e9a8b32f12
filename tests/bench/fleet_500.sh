#!/usr/bin/env bash
# Benchmark, not a test: the fleet at HOSTS (500) hosts on this one machine. HOSTS real exporters,
# each on a fixture tree (six trees in turn) and named host-001...; scraped every 15 s and written
# with remote write into both receivers that run here at once: Prometheus' remote-write receiver
# and VictoriaMetrics single-node. Agents as docs/fleet.md recommends: a vmagent per laptop, a
# Prometheus agent where a site runs only Prometheus, one vmagent for a rack. Running 500 agents
# beside 500 exporters does not fit 2 cores, so SAMPLE hosts get their own vmagent and SAMPLE their
# own Prometheus agent (their per-host cost), and one rack vmagent scrapes all the others.
# After every host reached both receivers, it measures SECONDS_STEADY (300) seconds of steady state:
# per receiver active series, samples/s, CPU, RSS, disk bytes per sample; then the fleet dashboard's
# queries (dashboards/fleet.json, as Grafana sends them: the table instant, the graphs over the
# last hour at a 15 s step); then each agent's cost per host.
#
# usage: [HOSTS=500] [SAMPLE=5] [SECONDS_STEADY=300] tests/bench/fleet_500.sh [BUILD_DIR]
# Every process it starts is killed on exit, failure or Ctrl-C; their pids are also in $work/pids.
set -euo pipefail
build=${1:-build}
hosts=${HOSTS:-500}
sample=${SAMPLE:-5}
steady=${SECONDS_STEADY:-300}
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/../fixtures
exporter=$(cd "$build" && pwd)/silicon_exporter
[[ -x $exporter ]] || { echo "no exporter at $exporter (build first)" >&2; exit 2; }
for tool in prometheus vmagent victoria-metrics curl python3; do
  command -v $tool >/dev/null || { echo "$tool not installed" >&2; exit 2; }
done

# ~9 MB per exporter (measured), ~50 MB per agent, the receivers a few hundred MB: refuse to start
# where it would push other work on this machine into swap or the OOM killer.
need_mib=$((hosts * 12 + 2 * sample * 60 + 3000))
avail_mib=$(awk '/^MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
((avail_mib > need_mib)) || { echo "needs ~$need_mib MiB free, $avail_mib available" >&2; exit 2; }

work=$(mktemp -d /var/tmp/fleet_500.XXXXXX)
pids=()
cleanup() {
  trap - EXIT INT TERM HUP
  # Newest first, each waited for: the agents stop while the receivers still take their last
  # sends (a Prometheus agent facing a dead receiver waits a minute per queue before it exits).
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null || true
    ((i >= hosts)) || continue  # the exporters (started first) need no wait one by one
    wait "${pids[i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
spawn() {  # spawn LOG COMMAND...: runs COMMAND in the background, remembered for cleanup
  local log=$1; shift
  "$@" >/dev/null 2>>"$log" </dev/null &
  pids+=($!)
  echo $! >>"$work/pids"
}
source "$here/../e2e/free_port.sh"
source "$here/../e2e/process_stats.sh"
hz=$(getconf CLK_TCK)
metric() {  # metric URL NAME [LABEL_FILTER]: the sum of a metric's samples on a /metrics page
  curl -fsS "$1" | awk -v m="$2" -v f="${3:-}" '($1 == m || index($1, m "{") == 1) && index($1, f) { s += $NF } END { printf "%.0f", s }'
}
wait_until() {  # wait_until SECONDS WHAT COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { echo "gave up waiting for $what" >&2; exit 1; }
    sleep 2
  done
}

# --- HOSTS exporters, six fixture trees in turn
trees=(intel-hybrid asahi-m1 laptop-nvme server-md x86-vm container-host)
echo "starting $hosts exporters ($avail_mib MiB available)"
mkdir -p "$work/exp"
for i in $(seq 1 "$hosts"); do
  tree=$fixtures/${trees[$(((i - 1) % ${#trees[@]}))]}
  args=(--web.listen-address=127.0.0.1:0 --no-collector.docker --path.procfs="$tree/proc" --path.sysfs="$tree/sys")
  [[ -d $tree/rootfs ]] && args+=(--path.rootfs="$tree/rootfs")
  spawn "$work/exp/$i.log" "$exporter" "${args[@]}"
  exporter_pids+=("${pids[-1]}")
done
ports=()
for i in $(seq 1 "$hosts"); do
  port=
  for _ in $(seq 200); do
    port=$(grep -o 'port=[0-9]*' "$work/exp/$i.log" 2>/dev/null | head -1 | cut -d= -f2 || true)
    [[ -n $port ]] && break
    sleep 0.05
  done
  [[ -n $port ]] || { echo "exporter $i did not start: $(tail -2 "$work/exp/$i.log")" >&2; exit 1; }
  ports+=("$port")
done
name() { printf 'host-%03d' "$1"; }

# --- the receivers: Prometheus (the shipped central settings that matter to ingest: out-of-order
# window; no rules, VictoriaMetrics runs none either) and VictoriaMetrics single-node
prom_port=$(free_port) vm_port=$(free_port)
cat >"$work/receiver.yml" <<'YAML'
global: {scrape_interval: 15s}
storage: {tsdb: {out_of_order_time_window: 1h}}
YAML
spawn "$work/receiver.log" prometheus --config.file="$work/receiver.yml" --storage.tsdb.path="$work/prom" \
  --web.enable-remote-write-receiver --web.enable-admin-api --web.listen-address="127.0.0.1:$prom_port"
prom_pid=${pids[-1]}
spawn "$work/vm.log" victoria-metrics -storageDataPath="$work/vm" -retentionPeriod=1 \
  -httpListenAddr="127.0.0.1:$vm_port" -loggerLevel=WARN
vm_pid=${pids[-1]}
prom=http://127.0.0.1:$prom_port vm=http://127.0.0.1:$vm_port
wait_until 60 "the Prometheus receiver" curl -fsS "$prom/-/ready"
wait_until 60 "VictoriaMetrics" curl -fsS "$vm/health"

# --- the agents, each writing to both receivers
# SAMPLE hosts with their own vmagent, as deploy/fleet/agent/vmagent-scrape.yml
mkdir -p "$work/agents"
vmagent_pids=() promagent_pids=()
for i in $(seq 1 "$sample"); do
  sed "s/__HOST__/$(name "$i")/; s/127.0.0.1:10025/127.0.0.1:${ports[i - 1]}/" \
    "$here/../../deploy/fleet/agent/vmagent-scrape.yml" >"$work/agents/vm-$i.yml"
  spawn "$work/agents/vm-$i.log" vmagent -promscrape.config="$work/agents/vm-$i.yml" \
    -remoteWrite.url="$prom/api/v1/write" -remoteWrite.url="$vm/api/v1/write" -remoteWrite.queues=1 \
    -remoteWrite.tmpDataPath="$work/agents/vm-$i" -remoteWrite.label=host="$(name "$i")" \
    -httpListenAddr="127.0.0.1:$(free_port)" -loggerLevel=WARN
  vmagent_pids+=("${pids[-1]}")
done
# SAMPLE hosts with their own Prometheus agent, as deploy/fleet/agent/prometheus-agent.yml
for i in $(seq $((sample + 1)) $((2 * sample))); do
  sed "s/__HOST__/$(name "$i")/g; s|__RECEIVER__|$prom/api/v1/write|; s/127.0.0.1:10025/127.0.0.1:${ports[i - 1]}/" \
    "$here/../../deploy/fleet/agent/prometheus-agent.yml" >"$work/agents/prom-$i.yml"
  python3 - "$work/agents/prom-$i.yml" "$vm/api/v1/write" <<'PY'
import copy, sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
config["remote_write"].append(dict(copy.deepcopy(config["remote_write"][0]), url=sys.argv[2]))
yaml.safe_dump(config, open(sys.argv[1], "w"))
PY
  spawn "$work/agents/prom-$i.log" prometheus --enable-feature=agent --config.file="$work/agents/prom-$i.yml" \
    --storage.agent.path="$work/agents/prom-$i" --web.listen-address="127.0.0.1:$(free_port)"
  promagent_pids+=("${pids[-1]}")
done
# one rack vmagent for the rest, targets from a file_sd file with each host's instance and host
python3 - "$work/rack.json" $((2 * sample + 1)) "${ports[@]}" <<'PY'
import json, sys
out, first, ports = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
json.dump([{"targets": [f"127.0.0.1:{ports[i - 1]}"], "labels": {"instance": f"host-{i:03d}", "host": f"host-{i:03d}"}}
           for i in range(first, len(ports) + 1)], open(out, "w"))
PY
cat >"$work/rack.yml" <<YAML
global: {scrape_interval: 15s}
scrape_configs:
  - job_name: silicon
    disable_keepalive: true  # as deploy/fleet/agent/vmagent-scrape.yml
    file_sd_configs: [{files: ["$work/rack.json"]}]
YAML
rack_port=$(free_port)
spawn "$work/rack.log" vmagent -promscrape.config="$work/rack.yml" -remoteWrite.url="$prom/api/v1/write" \
  -remoteWrite.url="$vm/api/v1/write" -remoteWrite.queues=1 -remoteWrite.tmpDataPath="$work/rack" \
  -httpListenAddr="127.0.0.1:$rack_port" -loggerLevel=WARN
rack_pid=${pids[-1]}
rack_hosts=$((hosts - 2 * sample))

# --- steady state: every host on both receivers, then two more scrape rounds
count_hosts() {
  curl -fsS "$1/api/v1/query" --data-urlencode 'query=count(count by (instance) (up{job="silicon"} == 1))' |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else 0)'
}
all_hosts() { [[ $(count_hosts "$prom") == "$hosts" && $(count_hosts "$vm") == "$hosts" ]]; }
wait_until 300 "all $hosts hosts on both receivers (Prometheus $(count_hosts "$prom"), VictoriaMetrics $(count_hosts "$vm"))" all_hosts
sleep 30
echo "all $hosts hosts reporting to both receivers; measuring $steady s of steady state"

# snapshot: per process CPU ticks, receiver counters and disk
disk_bytes() { du -sb "$1" | cut -f1; }
prom_samples() { metric "$prom/metrics" prometheus_tsdb_head_samples_appended_total; }
vm_rows() { metric "$vm/metrics" vm_rows_added_to_storage_total; }
ticks_of() { local s=0 p; for p in "$@"; do s=$((s + $(cpu_ticks "$p"))); done; echo $s; }
declare -A t0 t1
snap() {
  local -n t=$1
  t[prom_cpu]=$(cpu_ticks "$prom_pid") t[vm_cpu]=$(cpu_ticks "$vm_pid") t[rack_cpu]=$(cpu_ticks "$rack_pid")
  t[vma_cpu]=$(ticks_of "${vmagent_pids[@]}") t[pa_cpu]=$(ticks_of "${promagent_pids[@]}")
  t[exp_cpu]=$(ticks_of "${exporter_pids[@]}")
  t[prom_samples]=$(prom_samples) t[vm_rows]=$(vm_rows)
  t[prom_disk]=$(disk_bytes "$work/prom") t[vm_disk]=$(disk_bytes "$work/vm")
  t[rack_bytes]=$(metric "http://127.0.0.1:$rack_port/metrics" vmagent_remotewrite_bytes_sent_total)
  t[rack_rows]=$(metric "http://127.0.0.1:$rack_port/metrics" vmagent_remotewrite_rows_pushed_after_relabel_total)
  t[time]=$(date +%s.%N)
}
snap t0
# RSS sampled through the window: the largest seen
max_prom_rss=0 max_vm_rss=0
end=$((SECONDS + steady))
while ((SECONDS < end)); do
  r=$(rss_kib "$prom_pid"); ((r > max_prom_rss)) && max_prom_rss=$r
  r=$(rss_kib "$vm_pid"); ((r > max_vm_rss)) && max_vm_rss=$r
  sleep 5
done
snap t1
elapsed=$(awk -v a="${t0[time]}" -v b="${t1[time]}" 'BEGIN { printf "%.1f", b - a }')

prom_series=$(metric "$prom/metrics" prometheus_tsdb_head_series)
vm_series=$(curl -fsS "$vm/api/v1/series/count" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])')
rate() { awk -v d="$1" -v s="$elapsed" 'BEGIN { printf "%.0f", d / s }'; }
cores() { awk -v d="$1" -v s="$elapsed" -v hz="$hz" 'BEGIN { printf "%.3f", d / hz / s }'; }
per() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b ? a / b : 0) }'; }
prom_rate=$(rate $((t1[prom_samples] - t0[prom_samples])))
vm_rate=$(rate $((t1[vm_rows] - t0[vm_rows])))

# Prometheus holds these minutes in its head and WAL; a block (what 2 h of head becomes) is smaller:
# a snapshot writes the head out as one, so its size per sample is measured too.
# On disk at the end per sample ever stored (VictoriaMetrics merges its parts as it goes, so over
# a few minutes its growth can even be negative; after a flush the total is the fairer figure).
curl -fsS -X POST "$vm/internal/force_flush" >/dev/null || true
prom_total=$(awk -v d="$(disk_bytes "$work/prom")" -v n="$(prom_samples)" 'BEGIN { printf "%.2f", d / n }')
vm_total=$(awk -v d="$(disk_bytes "$work/vm")" -v n="$(vm_rows)" 'BEGIN { printf "%.2f", d / n }')
curl -fsS -X POST "$prom/api/v1/admin/tsdb/snapshot" >"$work/snapshot.json"
snap_dir=$work/prom/snapshots/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"]["name"])' "$work/snapshot.json")
head_samples=$(prom_samples)
snap_bytes=$(disk_bytes "$snap_dir")
rm -rf "$snap_dir"

# --- the fleet dashboard's queries, each as its panel sends it, median of 5
python3 - "$here/../../dashboards/fleet.json" "$prom" "$vm" >"$work/queries" <<'PY'
import json, statistics, sys, time, urllib.parse, urllib.request
board, receivers = json.load(open(sys.argv[1])), sys.argv[2:]
now = time.time()
totals = {r: 0.0 for r in receivers}
print("| panel | query | " + " | ".join(["Prometheus ms (series)", "VictoriaMetrics ms (series)"]) + " |")
print("| --- | --- | --- | --- |")
for panel in board["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"].replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$instance", ".*")
        instant = target.get("instant", False)
        params = {"query": expr, "time": now} if instant else {"query": expr, "start": now - 3600, "end": now, "step": 15}
        cells = []
        for r in receivers:
            url = f"{r}/api/v1/{'query' if instant else 'query_range'}"
            times = []
            for _ in range(5):
                t = time.perf_counter()
                body = json.load(urllib.request.urlopen(url, urllib.parse.urlencode(params).encode(), timeout=60))
                times.append((time.perf_counter() - t) * 1000)
            median = statistics.median(times)
            totals[r] += median
            cells.append(f"{median:.0f} ({len(body['data']['result'])})")
        print(f"| {panel['title']} | {'instant' if instant else 'range 1h/15s'} {target['refId']} | " + " | ".join(cells) + " |")
print("| whole dashboard | sum of medians | " + " | ".join(f"{totals[r]:.0f}" for r in receivers) + " |")
PY

# --- the report
rack_rate=$(rate $((t1[rack_rows] - t0[rack_rows])))
rack_bps=$(rate $((t1[rack_bytes] - t0[rack_bytes])))
cat <<EOF

fleet_500: $hosts hosts, 15 s scrapes, $elapsed s of steady state on $(nproc) cores ($(date -u +%FT%TZ))
| receiver | active series | samples/s | ingest CPU (cores) | RSS end / max (MiB) | disk growth in window (B/sample) | on disk at end (B/sample) | as a block (B/sample) |
| --- | --- | --- | --- | --- | --- | --- | --- |
| Prometheus $(dpkg-query -W -f '${Version}' prometheus) remote-write receiver | $prom_series | $prom_rate | $(cores $((t1[prom_cpu] - t0[prom_cpu]))) | $(($(rss_kib "$prom_pid") / 1024)) / $((max_prom_rss / 1024)) | $(per $((t1[prom_disk] - t0[prom_disk])) $((t1[prom_samples] - t0[prom_samples]))) (WAL, head) | $prom_total | $(per "$snap_bytes" "$head_samples") (snapshot of the head) |
| VictoriaMetrics $(dpkg-query -W -f '${Version}' victoria-metrics 2>/dev/null) single-node | $vm_series | $vm_rate | $(cores $((t1[vm_cpu] - t0[vm_cpu]))) | $(($(rss_kib "$vm_pid") / 1024)) / $((max_vm_rss / 1024)) | $(per $((t1[vm_disk] - t0[vm_disk])) $((t1[vm_rows] - t0[vm_rows]))) | $vm_total | - |

Fleet dashboard (dashboards/fleet.json, all $hosts hosts selected):
$(cat "$work/queries")

Agents, each writing to both receivers (CPU and bytes are for both; halve for one receiver):
| agent | hosts | CPU per host (millicores) | RSS per host (MiB) |
| --- | --- | --- | --- |
| vmagent, one per host | $sample | $(awk -v d=$((t1[vma_cpu] - t0[vma_cpu])) -v s="$elapsed" -v hz="$hz" -v n="$sample" 'BEGIN { printf "%.1f", d / hz / s / n * 1000 }') | $(awk -v s="$(for p in "${vmagent_pids[@]}"; do rss_kib "$p"; done | paste -sd+ | bc)" -v n="$sample" 'BEGIN { printf "%.1f", s / n / 1024 }') |
| Prometheus agent, one per host | $sample | $(awk -v d=$((t1[pa_cpu] - t0[pa_cpu])) -v s="$elapsed" -v hz="$hz" -v n="$sample" 'BEGIN { printf "%.1f", d / hz / s / n * 1000 }') | $(awk -v s="$(for p in "${promagent_pids[@]}"; do rss_kib "$p"; done | paste -sd+ | bc)" -v n="$sample" 'BEGIN { printf "%.1f", s / n / 1024 }') |
| vmagent for a rack | $rack_hosts | $(awk -v d=$((t1[rack_cpu] - t0[rack_cpu])) -v s="$elapsed" -v hz="$hz" -v n="$rack_hosts" 'BEGIN { printf "%.2f", d / hz / s / n * 1000 }') | $(awk -v r="$(rss_kib "$rack_pid")" -v n="$rack_hosts" 'BEGIN { printf "%.2f", r / n / 1024 }') (rack total $(($(rss_kib "$rack_pid") / 1024)) MiB) |
rack vmagent: $rack_rate samples/s, $rack_bps bytes/s to both receivers ($(per "$rack_bps" "$rack_rate") bytes/sample)
exporters: $(cores $((t1[exp_cpu] - t0[exp_cpu]))) cores for all $hosts, RSS $(for p in "${exporter_pids[@]}"; do rss_kib "$p"; done | sort -n | awk '{a[NR] = $1} END {printf "median %.1f MiB", a[int((NR + 1) / 2)] / 1024}')
load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
EOF
