#!/usr/bin/env bash
# The fleet path end to end, every part real: three machines (the laptop and Asahi fixture trees
# under the real exporter, and the M3 Max exposition served as a file), two agents from
# deploy/fleet/agent (Prometheus in agent mode on "laptop-1"; vmagent for a rack of "mini-1" found
# through file_sd and "mac-1" through http_sd), two receivers that both agents write to: Prometheus
# with the remote-write receiver, the shipped rules, Alertmanager and a webhook receiver this test
# owns; and VictoriaMetrics single-node.
# 1. every query of the fleet dashboard returns one series per host on each receiver;
# 2. both receivers stopped for FLEET_OUTAGE_SECONDS (120) and started again: no gap in any host's
#    silicon_cpu_seconds_total on either; vmagent, restarted mid-outage, loses nothing (its queue is
#    on disk);
# 3. a shorter outage with the Prometheus agent restarted mid-way: what it scraped after the
#    restart arrives; what it held from before is lost (upstream prometheus#8809), measured;
# 4. an exporter that dies is up == 0 for that host alone on each receiver and pages once;
# and prints samples per second, bytes sent and RSS of each agent (docs/fleet.md).
# Every wait is on a condition (a process ready, a target scraped, samples arrived), never a clock;
# the sleeps left are the outages themselves and the 20 s over which the agents' cost is measured.
source "$(dirname "$0")/lib.sh"
DEPLOY=${DEPLOY:?set DEPLOY to the deploy folder}
DASHBOARDS=${DASHBOARDS:?set DASHBOARDS to the dashboards folder}
here=$(cd "$(dirname "$0")" && pwd)
for tool in vmagent victoria-metrics; do
  command -v $tool >/dev/null || { echo "skip: $tool not installed (apt-get install victoria-metrics)"; exit 77; }
done
outage=${FLEET_OUTAGE_SECONDS:-120}

# --- the machines
start_exporter laptop --path.procfs="$FIXTURES/intel-hybrid/proc" --path.sysfs="$FIXTURES/intel-hybrid/sys" \
  --no-collector.docker
laptop_port=$PORT
start_exporter mini --path.procfs="$FIXTURES/asahi-m1/proc" --path.sysfs="$FIXTURES/asahi-m1/sys" --no-collector.docker
mini_port=$PORT mini_pid=$PID
python3 "$here/serve_exposition.py" "$WORK/mac.port" "$here/../golden/m3-max.prom" &
PIDS+=($!)
mac_port=$(port_from "$WORK/mac.port")

# --- the receiver, its rules and Alertmanager, as shipped at test speed
start_alerting "$DEPLOY"
recv_port=$(free_port)
# The shipped central config without its scrape jobs (this test's hosts all push).
python3 - "$DEPLOY/fleet/central/prometheus.yml" "$WORK/receiver.yml" "$WORK/rules" "$AM_PORT" <<'PY'
import sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
config["rule_files"] = [f"{sys.argv[3]}/*.yml"]
config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] = [f"127.0.0.1:{sys.argv[4]}"]
config["scrape_configs"] = []
yaml.safe_dump(config, open(sys.argv[2], "w"))
PY
# wait_ready NAME PID URL LOG: ready when URL answers. On a busy machine replaying the WAL of a long
# outage can take a while, so wait while the process lives rather than on a short clock, and fail at
# once (with its log) if it died.
wait_ready() {
  local name=$1 pid=$2 url=$3 log=$4 deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || fail "$name exited while starting: $(tail -5 "$log")"
    sleep 0.5
  done
  fail "$name not ready after 120 s: $(tail -5 "$log")"
}
start_receiver() {
  prometheus --config.file="$WORK/receiver.yml" --storage.tsdb.path="$WORK/receiver" --web.enable-remote-write-receiver \
    --web.listen-address="127.0.0.1:$recv_port" --rules.alert.resend-delay=1s 2>>"$WORK/receiver.log" &
  receiver_pid=$!
  PIDS+=("$receiver_pid")
  wait_ready "the Prometheus receiver" "$receiver_pid" "http://127.0.0.1:$recv_port/-/ready" "$WORK/receiver.log"
}
start_receiver
# The second receiver: VictoriaMetrics single-node. At test speed a query sees samples as soon as they
# are stored (its default hides the last 30 s, -search.latencyOffset), and nothing is answered from
# its result cache, which would hide samples that arrive late, after an outage.
vm_port=$(free_port)
start_vm() {
  victoria-metrics -storageDataPath="$WORK/vm" -retentionPeriod=1 -httpListenAddr="127.0.0.1:$vm_port" \
    -search.latencyOffset=1s -search.disableCache -loggerLevel=WARN 2>>"$WORK/vm.log" &
  vm_pid=$!
  PIDS+=("$vm_pid")
  wait_ready "VictoriaMetrics" "$vm_pid" "http://127.0.0.1:$vm_port/health" "$WORK/vm.log"
}
start_vm
write_url="http://127.0.0.1:$recv_port/api/v1/write"
vm_write_url="http://127.0.0.1:$vm_port/api/v1/write"
receivers=("http://127.0.0.1:$recv_port" "http://127.0.0.1:$vm_port")

# --- agent A: the shipped Prometheus agent config for one host, at test speed
a_port=$(free_port)
sed -e 's/__HOST__/laptop-1/g' -e "s|__RECEIVER__|$write_url|" -e "s/127.0.0.1:10025/127.0.0.1:$laptop_port/" \
  -e 's/scrape_interval: 15s/scrape_interval: 1s/' -e 's/batch_send_deadline: 5s/batch_send_deadline: 1s/' \
  -e 's/max_backoff: 1m/max_backoff: 2s/' "$DEPLOY/fleet/agent/prometheus-agent.yml" >"$WORK/agent-a.yml"
# ... writing to both receivers: a second remote_write, the shipped one's copy with VictoriaMetrics' URL.
python3 - "$WORK/agent-a.yml" "$vm_write_url" <<'PY'
import copy, sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
second = copy.deepcopy(config["remote_write"][0])
second["url"] = sys.argv[2]
config["remote_write"].append(second)
yaml.safe_dump(config, open(sys.argv[1], "w"))
PY
# scraped URL N: the agent at URL (Prometheus or vmagent, same API) has scraped N targets successfully.
# A Prometheus agent first scrapes ~5 s after it is ready (4.9-6.1 s over 6 starts: its discovery
# manager hands targets on at most every 5 s), so "ready" alone says nothing about when samples start.
scraped() {
  curl -fsS "$1/api/v1/targets" | python3 -c 'import json, sys
targets = json.load(sys.stdin)["data"]["activeTargets"]
sys.exit(sum(t["health"] == "up" for t in targets) != int(sys.argv[1]))' "$2"
}
promtool check config --agent "$WORK/agent-a.yml" >/dev/null || fail "promtool rejects the agent config"
start_agent_a() {
  # Stopped while the receivers are down, it waits --storage.remote.flush-deadline (1m by default)
  # for each remote-write queue in turn: 2 min with two. 15 s each keeps the test short.
  prometheus --enable-feature=agent --config.file="$WORK/agent-a.yml" --storage.agent.path="$WORK/agent-a" \
    --storage.remote.flush-deadline=15s --web.listen-address="127.0.0.1:$a_port" 2>>"$WORK/agent-a.log" &
  agent_a_pid=$!
  PIDS+=("$agent_a_pid")
  wait_for 30 "agent A ready" curl -fsS "http://127.0.0.1:$a_port/-/ready"
  wait_for 30 "agent A scraped its host" scraped "http://127.0.0.1:$a_port" 1
}
start_agent_a

# --- agent B: vmagent for a rack; mini-1 from a file_sd file, mac-1 from an http_sd endpoint
mkdir -p "$WORK/sd" "$WORK/http_sd"
printf '[{"targets": ["127.0.0.1:%s"], "labels": {"instance": "mini-1", "host": "mini-1", "rack": "a"}}]\n' \
  "$mini_port" >"$WORK/sd/rack.json"
printf '[{"targets": ["127.0.0.1:%s"], "labels": {"instance": "mac-1", "host": "mac-1", "rack": "a"}}]\n' \
  "$mac_port" >"$WORK/http_sd/targets.json"
sd_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$WORK/http_sd" "$sd_port" >/dev/null 2>&1 &
PIDS+=($!)
cat >"$WORK/rack.yml" <<YAML
global: {scrape_interval: 1s}
scrape_configs:
  - job_name: silicon
    disable_keepalive: true  # as deploy/fleet/agent/vmagent-scrape.yml, and for the same reason
    file_sd_configs: [{files: ["$WORK/sd/*.json"]}]
    http_sd_configs: [{url: "http://127.0.0.1:$sd_port/targets.json"}]
YAML
b_port=$(free_port)
start_agent_b() {
  vmagent -promscrape.config="$WORK/rack.yml" -remoteWrite.url="$write_url" -remoteWrite.url="$vm_write_url" \
    -remoteWrite.tmpDataPath="$WORK/agent-b" \
    -remoteWrite.queues=1 \
    -httpListenAddr="127.0.0.1:$b_port" -promscrape.fileSDCheckInterval=1s -promscrape.httpSDCheckInterval=1s \
    -loggerLevel=WARN 2>>"$WORK/agent-b.log" &
  agent_b_pid=$!
  PIDS+=("$agent_b_pid")
  wait_for 30 "agent B ready" curl -fsS "http://127.0.0.1:$b_port/health"
  wait_for 30 "agent B scraped both hosts" scraped "http://127.0.0.1:$b_port" 2
}
start_agent_b
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }

recv=${receivers[0]}
# instances RECEIVER QUERY: the instance labels of QUERY's result, sorted, on one line.
instances() { curl -fsS "$1/api/v1/query" --data-urlencode "query=$2" |
  python3 -c 'import json,sys; print(" ".join(sorted(r["metric"]["instance"] for r in json.load(sys.stdin)["data"]["result"])))'; }
all_three() {
  for r in "${receivers[@]}"; do [[ $(instances "$r" 'count by (instance) (up{job="silicon"})') == "laptop-1 mac-1 mini-1" ]] || return 1; done
}
wait_for 60 "all three hosts reached both receivers" all_three

# 1. the fleet dashboard: one series per host for every query on the Prometheus receiver; on
#    VictoriaMetrics the same hosts, except where Prometheus' value is NaN (CPU busy is 0/0 on
#    fixture trees whose counters never move): MetricsQL drops NaN from results, so such a host
#    may be missing there, or answered by the query's "or ... - 1" fallback. (Retried while the
#    first samples arrive: rate() over the dashboards' 1m windows needs two of them.)
fleet_queries() {  # fleet_queries RECEIVER [REFERENCE]
  python3 - "$DASHBOARDS/fleet.json" "$@" >"$WORK/last_check" 2>&1 <<'PY'
import json, math, sys, urllib.parse, urllib.request
board, url, reference = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3:]
hosts = ["laptop-1", "mac-1", "mini-1"]
def query(receiver, expr):
    data = urllib.parse.urlencode({"query": expr}).encode()
    return json.load(urllib.request.urlopen(f"{receiver}/api/v1/query", data, timeout=10))["data"]["result"]
checked = 0
for panel in board["panels"]:
    for target in panel.get("targets", []):
        expr = target["expr"].replace("$__rate_interval", "1m").replace("$__range", "5m").replace("$instance", ".*")
        got = sorted(r["metric"].get("instance", "?") for r in query(url, expr))
        if reference:
            answers = {r["metric"]["instance"]: float(r["value"][1]) for r in query(reference[0], expr)}
            must = {host for host, value in answers.items() if not math.isnan(value)}
            if not must <= set(got) <= set(answers) or len(got) != len(set(got)):
                sys.exit(f"{panel['title']}: {got}, want {sorted(must)} and maybe {sorted(set(answers) - must)} for {expr}")
        elif got != hosts:
            sys.exit(f"{panel['title']}: {got}, want {hosts} for {expr}")
        checked += 1
print(f"{checked} fleet dashboard queries on {url}, each one series per host: {', '.join(hosts)}"
      + (f" (NaN aside, as {reference[0]})" if reference else ""))
PY
}
wait_for 30 "every fleet dashboard query returns one series per host on $recv" fleet_queries "$recv"
pass "$(cat "$WORK/last_check")"
wait_for 30 "every fleet dashboard query returns the same hosts on ${receivers[1]} as on $recv" \
  fleet_queries "${receivers[1]}" "$recv"
pass "$(cat "$WORK/last_check")"

# What the agents cost, over 20 s of normal operation.
metric_sum() { curl -fsS "$1" | awk -v m="$2" '$1 == m || index($1, m "{") == 1 { s += $NF } END { printf "%.0f", s }'; }
source "$here/process_stats.sh"
a0=$(metric_sum "http://127.0.0.1:$a_port/metrics" prometheus_remote_storage_samples_total)
a0b=$(metric_sum "http://127.0.0.1:$a_port/metrics" prometheus_remote_storage_bytes_total)
b0=$(metric_sum "http://127.0.0.1:$b_port/metrics" vmagent_remotewrite_rows_pushed_after_relabel_total)
b0b=$(metric_sum "http://127.0.0.1:$b_port/metrics" vmagent_remotewrite_bytes_sent_total)
sleep 20
a1=$(metric_sum "http://127.0.0.1:$a_port/metrics" prometheus_remote_storage_samples_total)
a1b=$(metric_sum "http://127.0.0.1:$a_port/metrics" prometheus_remote_storage_bytes_total)
b1=$(metric_sum "http://127.0.0.1:$b_port/metrics" vmagent_remotewrite_rows_pushed_after_relabel_total)
b1b=$(metric_sum "http://127.0.0.1:$b_port/metrics" vmagent_remotewrite_bytes_sent_total)
series_a=$(curl -fsS "$recv/api/v1/query" --data-urlencode 'query=count({instance="laptop-1"})' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
awk -v s="$((a1 - a0))" -v b="$((a1b - a0b))" -v sb="$((b1 - b0))" -v bb="$((b1b - b0b))" -v n="$series_a" \
    -v ra="$(rss_kib "$agent_a_pid")" -v rb="$(rss_kib "$agent_b_pid")" 'BEGIN {
  # Each agent sends everything twice, once per receiver: the rates below are per receiver.
  printf "cost: prometheus agent (1 host, %d series, 1 s scrapes): %.0f samples/s, %.0f bytes/s sent per receiver (%.2f bytes/sample), RSS %d KiB\n", n, s / 40, b / 40, (s ? b / s : 0), ra
  printf "cost: vmagent (2 hosts, 1 s scrapes): %.0f samples/s, %.0f bytes/s sent per receiver (%.2f bytes/sample), RSS %d KiB\n", sb / 40, bb / 40, (sb ? bb / sb : 0), rb
}' | tee "$WORK/cost"

# gaps RECEIVER HOST FROM TO: the largest gap (s) between consecutive samples of one of HOST's
# counters in [FROM, TO], and the number of samples, as RECEIVER holds them.
gaps() {
  local receiver=$1; shift
  curl -fsS "$receiver/api/v1/query" --data-urlencode "query=silicon_cpu_seconds_total{instance=\"$1\",cpu=\"0\",mode=\"idle\"}[$(( $(date +%s) - $2 + 5 ))s]" |
    python3 -c 'import json, sys
lo, hi = float(sys.argv[1]), float(sys.argv[2])
result = json.load(sys.stdin)["data"]["result"]
ts = [float(t) for t, _ in result[0]["values"]] if result else []
inside = [t for t in ts if lo <= t <= hi]
edges = [lo] + inside + [hi]
print(f"{max(b - a for a, b in zip(edges, edges[1:])):.1f} {len(inside)}")
if len(sys.argv) > 3:  # the offsets themselves, for a failure message
    print(" ".join(f"{t - lo:.0f}" for t in inside), file=sys.stderr)' "$2" "$3" ${4:-}
}

stop_receivers() { stop "$receiver_pid"; stop "$vm_pid"; }
start_receivers() { start_receiver; start_vm; }

# 2. both receivers down for $outage s; vmagent restarted half-way through (b_up: scraping again)
t0=$(date +%s)
stop_receivers
sleep $((outage / 2))
b_down=$(date +%s); stop "$agent_b_pid"; start_agent_b; b_up=$(date +%s)
sleep $((outage - outage / 2))
start_receivers
t_recovered=$(date +%s)
# Caught up when every host has samples at most 3 s apart over the outage on each receiver
# (vmagent's own restart aside).
caught_up() {
  : >"$WORK/last_check"
  for r in "${receivers[@]}"; do
    for host in laptop-1 mac-1 mini-1; do
      read -r gap count < <(gaps "$r" "$host" $((t0 - 10)) "$t_recovered" ${VERBOSE:+verbose} 2>>"$WORK/last_check")
      allowed=3; [[ $host != laptop-1 ]] && allowed=$((b_up - b_down + 4))
      echo "$r $host: largest gap $gap s (allowed $allowed), $count samples;" >>"$WORK/last_check"
      awk -v g="$gap" -v a="$allowed" 'BEGIN { exit !(g <= a) }' || return 1
    done
  done
}
wait_for 120 "every host's samples of the outage reached both receivers" caught_up
for r in "${receivers[@]}"; do
  for host in laptop-1 mac-1 mini-1; do
    read -r gap count < <(gaps "$r" "$host" $((t0 - 10)) "$t_recovered")
    echo "  $r $host: $count samples over the $((t_recovered - t0 + 10)) s around the outage, largest gap $gap s"
  done
done
pass "receivers down ${outage} s: no gap for any host on either; vmagent restarted mid-outage (down $((b_up - b_down)) s) lost nothing"

# 3. an outage with the Prometheus agent restarted after 10 s (it waits for the unreachable
#    receivers before it exits, above: scrapes stop at the signal), then 20 s of its scrapes.
#    a_up is when it is scraping again, not when it answers /-/ready: it scrapes ~5 s after ready,
#    and a window from "ready" + 3 s, as this check had, often began without a sample and then
#    failed whatever the wait.
t2=$(date +%s)
stop_receivers
sleep 10
a_down=$(date +%s); stop "$agent_a_pid"; a_stopped=$(date +%s); start_agent_a; a_up=$(date +%s)
sleep 20
start_receivers
t2_recovered=$(date +%s)
after_restart() {  # what agent A scraped after its restart, during the outage, arrived without gaps
  : >"$WORK/last_check"
  for r in "${receivers[@]}"; do
    read -r gap count < <(gaps "$r" laptop-1 "$a_up" "$t2_recovered" ${VERBOSE:+verbose} 2>>"$WORK/last_check")
    echo "$r: largest gap $gap s in [$a_up, $t2_recovered], $count samples;" >>"$WORK/last_check"
    awk -v g="$gap" 'BEGIN { exit !(g <= 3) }' || return 1
  done
}
wait_for 60 "the Prometheus agent's post-restart samples reached both receivers" after_restart
# Before the next step needs fresh samples: both agents have sent all they queued. vmagent retries
# a failed send after 2, 4, 8, 16, 32 s... (seen in its log), so its queue may leave up to a minute
# after the receivers are back; the exporter-down check that follows failed when it did not wait.
newest() {  # newest RECEIVER HOST: the time of HOST's newest sample on RECEIVER (0 if none)
  curl -fsS "$1/api/v1/query" --data-urlencode "query=timestamp(up{instance=\"$2\"})" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)'
}
delivered() {
  : >"$WORK/last_check"
  for r in "${receivers[@]}"; do
    for host in laptop-1 mac-1 mini-1; do
      local t; t=$(newest "$r" "$host")
      echo "$r $host: newest sample $((t - t2_recovered)) s after the receivers were back;" >>"$WORK/last_check"
      ((t >= t2_recovered)) || return 1
    done
  done
}
wait_for 90 "both agents delivered what they queued during the outage" delivered
read -r _ held < <(gaps "$recv" laptop-1 $((t2 + 1)) $((a_down - 1)))
echo "  Prometheus agent restarted mid-outage: of the ~$((a_down - t2 - 2)) samples it scraped before the signal," \
  "$held reached the receiver (upstream prometheus#8809: unsent samples are dropped on restart);" \
  "shutting down took $((a_stopped - a_down)) s" | tee -a "$WORK/cost"
pass "Prometheus agent restart mid-outage: everything scraped after the restart arrived"

# 4. an exporter dies: up == 0 for that host alone on each receiver, one page
stop "$mini_pid"
wait_for 40 "SiliconExporterDown for mini-1 reached the pager" \
  grep -q '"path": "/pager".*"alertname": "SiliconExporterDown", "status": "firing", "severity": "critical", "instance": "mini-1"' "$WORK/notifications"
for r in "${receivers[@]}"; do
  mini_down() { [[ $(instances "$r" 'up{job="silicon"} == 0') == mini-1 ]]; }
  wait_for 20 "up == 0 for mini-1 alone on $r" mini_down
done
sleep 5  # then no second page: a wait for something that must not happen
pages=$(grep -c '"alertname": "SiliconExporterDown", "status": "firing"' "$WORK/notifications" || true)
[[ $pages == 1 ]] || fail "SiliconExporterDown paged $pages times: $(cat "$WORK/notifications")"
pass "mini-1's exporter died: up == 0 for mini-1 alone, paged once"
