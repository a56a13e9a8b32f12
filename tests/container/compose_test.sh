#!/usr/bin/env bash
# deploy/compose.linux.yaml brought up by Debian's docker-compose on the real engine: its Prometheus
# (a stand-in image from Debian's prometheus package, PROMETHEUS_IMAGE) scrapes the exporter that
# listens on 127.0.0.1 only, up == 1: first the native binary, then the linux-exporter profile's
# container (IMAGE, the tag compose.yaml names), which turns healthy and stays off the host's other
# addresses. Grafana's image cannot be pulled here: a busybox stand-in in its place checks that the
# datasource's address (prometheus:9091 through the host gateway) answers.
source "$(dirname "$0")/../e2e/lib.sh"
: "${DEPLOY:?set DEPLOY to the deploy folder}"
: "${PROMETHEUS_IMAGE:?set PROMETHEUS_IMAGE to a local Prometheus image (run.sh builds one)}"
image=${IMAGE:-silicon_exporter:local}
grep -q "image: $image\$" "$DEPLOY/compose.yaml" || fail "compose.yaml does not run $image"
project="silicon-compose-test-$$"
# compose [-f FILE]... ARGS: docker-compose on the Linux file (or the given one), with the test's
# overrides last; its chatter goes to $WORK/compose.log.
compose() {
  local files=(-f "$DEPLOY/compose.linux.yaml")
  [[ $1 == -f ]] && { files=(-f "$2"); shift 2; }
  docker-compose -p "$project" "${files[@]}" -f "$WORK/test.yaml" "$@" 2>>"$WORK/compose.log" ||
    fail "docker-compose $*: $(tail -5 "$WORK/compose.log")"
}
trap 'docker-compose -p "$project" -f "$DEPLOY/compose.linux.yaml" --profile linux-exporter down -v >/dev/null 2>&1 || true; cleanup' EXIT

# Ports of their own on this shared machine: Prometheus' through compose's variable, the exporter's
# in a copy of prometheus.yml that differs from deploy/'s in the port numbers alone.
export SILICON_PROMETHEUS_PORT SILICON_EXPORTER_PORT SILICON_DOCKER_GID
SILICON_PROMETHEUS_PORT=$(free_port)
SILICON_DOCKER_GID=$(stat -c %g /var/run/docker.sock)
configure() {  # configure EXPORTER_PORT: the test's prometheus.yml and compose overrides
  sed -e "s/host.docker.internal:10025/host.docker.internal:$1/" \
      -e "s/localhost:9091/localhost:$SILICON_PROMETHEUS_PORT/" "$DEPLOY/prometheus/prometheus.yml" >"$WORK/prometheus.yml"
  ! diff -q "$DEPLOY/prometheus/prometheus.yml" "$WORK/prometheus.yml" >/dev/null || fail "prometheus.yml no longer names host.docker.internal:10025"
  cat >"$WORK/test.yaml" <<YAML
services:
  prometheus:
    image: $PROMETHEUS_IMAGE
    volumes:
      - $WORK/prometheus.yml:/etc/prometheus/prometheus.yml:ro
  grafana:
    image: silicon-test:busybox
    entrypoint: [/bin/busybox, sleep, "600"]
  silicon-exporter:
    healthcheck:
      interval: 1s
YAML
  # rslave needs / to be a shared mount, as systemd makes it; Docker refuses it where / is private
  # (this test machine): then the same mount without it.
  if [[ $(findmnt -no PROPAGATION /) == private ]]; then
    printf '    volumes:\n      - /:/host/root:ro\n' >>"$WORK/test.yaml"
  fi
}
query() {  # query PROMQL: the first result's value, or nothing
  curl -fsS "http://127.0.0.1:$SILICON_PROMETHEUS_PORT/api/v1/query" --data-urlencode "query=$1" 2>/dev/null |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null || true
}
wait_up() {  # wait_up [VALUE]: until up{job="silicon"} is VALUE (1), after a scrape (interval 15 s)
  for _ in $(seq 90); do
    [[ $(query 'up{job="silicon"}') == "${1:-1}" ]] && return 0
    sleep 1
  done
  fail "up{job=\"silicon\"} is '$(query 'up{job="silicon"}')' after 90 s: $(curl -fsS "http://127.0.0.1:$SILICON_PROMETHEUS_PORT/api/v1/targets" | head -c 1500)"
}
last_error() {  # the silicon target's lastError
  curl -fsS "http://127.0.0.1:$SILICON_PROMETHEUS_PORT/api/v1/targets" |
    python3 -c 'import json,sys; print([t["lastError"] for t in json.load(sys.stdin)["data"]["activeTargets"] if t["labels"]["job"] == "silicon"][0])'
}

# The native exporter, as the systemd unit runs it: 127.0.0.1 only.
start_exporter native --no-collector.docker
configure "$PORT"

# The bug this file fixes: compose.yaml alone (Prometheus in the bridge network) on a Linux engine
# cannot reach an exporter on the host's loopback.
compose -f "$DEPLOY/compose.yaml" up -d prometheus
wait_up 0
pass "compose.yaml alone on Linux: up == 0 as expected ($(last_error))"
compose -f "$DEPLOY/compose.yaml" down -v

compose up -d prometheus grafana
[[ $(docker inspect -f '{{.HostConfig.NetworkMode}}' "$(compose ps -q prometheus)") == host ]] || fail "Prometheus is not on the host network"
start=$(date +%s)
wait_up
pass "compose.linux.yaml: Prometheus scrapes the native exporter on 127.0.0.1:$PORT, up == 1 after $(($(date +%s) - start)) s"
healthy=$(compose exec -T grafana /bin/busybox wget -qO- "http://prometheus:$SILICON_PROMETHEUS_PORT/-/healthy") ||
  fail "Grafana's network cannot reach prometheus:$SILICON_PROMETHEUS_PORT"
pass "from Grafana's place: http://prometheus:$SILICON_PROMETHEUS_PORT/-/healthy says '$healthy'"
compose down -v
kill "$PID"

# The linux-exporter profile: the image in a container, bound to 127.0.0.1 on the host network.
SILICON_EXPORTER_PORT=$(free_port)
configure "$SILICON_EXPORTER_PORT"
compose --profile linux-exporter up -d prometheus silicon-exporter
exporter=$(compose --profile linux-exporter ps -q silicon-exporter)
[[ -n $exporter ]] || fail "the linux-exporter profile started no exporter"
start=$(date +%s)
wait_up
pass "--profile linux-exporter: Prometheus scrapes the exporter's container, up == 1 after $(($(date +%s) - start)) s"
for _ in $(seq 60); do
  [[ $(docker inspect -f '{{.State.Health.Status}}' "$exporter") == healthy ]] && break
  sleep 0.5
done
[[ $(docker inspect -f '{{.State.Health.Status}}' "$exporter") == healthy ]] ||
  fail "the exporter's container is not healthy: $(docker inspect -f '{{json .State.Health}}' "$exporter")"
[[ $(query 'silicon_docker_up') == 1 ]] || fail "silicon_docker_up is not 1: the socket's group (SILICON_DOCKER_GID) did not apply"
cpus=$(grep -c '^cpu[0-9]' /proc/stat)
[[ $(query 'count(silicon_cpu_seconds_total{mode="idle"})') == "$cpus" ]] ||
  fail "the container reports $(query 'count(silicon_cpu_seconds_total{mode="idle"})') CPUs, the host has $cpus"
# Not exposed: the host's other addresses do not answer on the exporter's port.
for address in $(hostname -I); do
  [[ $address == 127.* ]] && continue
  [[ $address == *:* ]] && address="[$address]"
  if curl -fsS -m 2 -o /dev/null "http://$address:$SILICON_EXPORTER_PORT/-/healthy" 2>/dev/null; then
    fail "the exporter answers on $address:$SILICON_EXPORTER_PORT, not on loopback alone"
  fi
done
pass "the exporter's container: healthy, silicon_docker_up 1, all $cpus CPUs, nothing on $(hostname -I | wc -w) non-loopback addresses"
