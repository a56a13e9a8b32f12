#!/usr/bin/env bash
# The container image (deploy/container/Dockerfile) on the real Docker engine: its size, labels and
# user; the container with the host's /proc, /sys and / mounted, host PID and network and the Docker
# socket reports what the native binary reports on this host (CPUs, memory, file systems,
# interfaces, disks, containers; a table); it runs read-only with no capabilities, its HEALTHCHECK
# turns healthy, and it stops on SIGTERM with exit code 0.
#   EXPORTER=build/silicon_exporter FIXTURES=tests/fixtures IMAGE=silicon_exporter:local image_test.sh
source "$(dirname "$0")/../e2e/lib.sh"
image=${IMAGE:-silicon_exporter:local}
prefix="silicon-image-test-$$"
trap 'docker rm -f "$prefix-host" "$prefix-own" >/dev/null 2>&1 || true; cleanup' EXIT

# The image itself.
size=$(docker image inspect -f '{{.Size}}' "$image")
echo "image $image: $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') ($size bytes)"
((size < 60 * 1000 * 1000)) || fail "the image is $size bytes, over the 60 MB aim"
[[ $(docker image inspect -f '{{.Config.User}}' "$image") == 65534:65534 ]] || fail "the image does not run as nobody"
for label in version revision source licenses; do
  value=$(docker image inspect -f "{{index .Config.Labels \"org.opencontainers.image.$label\"}}" "$image")
  [[ -n $value && $value != unknown ]] || fail "label org.opencontainers.image.$label is '$value'"
  echo "  org.opencontainers.image.$label=$value"
done
docker image inspect -f '{{json .Config.Healthcheck.Test}}' "$image" | grep -q -- '--health-check' ||
  fail "the HEALTHCHECK does not run --health-check"
# No shell, no package manager: only the binary and the libraries it loads.
created=$(docker create "$image")
files=$(docker export "$created" | tar -t | grep -v '/$')
docker rm "$created" >/dev/null
! grep -qE '(^|/)(sh|bash|apt|dpkg)$' <<<"$files" || fail "the image has a shell or package manager"
pass "image: $(grep -c '\.so' <<<"$files") shared libraries, no shell, nobody, OCI labels, HEALTHCHECK"

# The container as deploy/compose.yaml's linux-exporter profile runs it (host network on a port of
# its own here), and the native binary beside it.
docker_gid=$(stat -c %g /var/run/docker.sock)
# rslave (mounts made later show up in the container) needs / to be a shared mount, as systemd
# makes it; where it is private (some VMs and containers, this test machine) Docker refuses it.
root_mount=ro,rslave
if [[ $(findmnt -no PROPAGATION /) == private ]]; then
  root_mount=ro
  echo "/ is a private mount here: /host/root mounted without rslave"
fi
container_port=$(free_port)
docker run -d --name "$prefix-host" --network host --pid host --read-only --cap-drop ALL \
  --security-opt no-new-privileges:true --group-add "$docker_gid" \
  -v /proc:/host/proc:ro -v /sys:/host/sys:ro -v "/:/host/root:$root_mount" \
  -v /var/run/docker.sock:/var/run/docker.sock:ro \
  "$image" --web.listen-address="127.0.0.1:$container_port" \
  --path.procfs=/host/proc --path.sysfs=/host/sys --path.rootfs=/host/root >/dev/null
start_exporter native
native_port=$PORT
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$container_port/-/healthy" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "http://127.0.0.1:$container_port/-/healthy" || fail "the container does not answer: $(docker logs "$prefix-host" 2>&1 | tail -5)"

# Both see the same containers only if none comes or goes between the two scrapes: up to 3 tries.
for try in 1 2 3; do
  curl -fsS "http://127.0.0.1:$native_port/metrics" >"$WORK/native.prom"
  curl -fsS "http://127.0.0.1:$container_port/metrics" >"$WORK/container.prom"
  python3 "$(dirname "$0")/compare_exposition.py" "$WORK/native.prom" "$WORK/container.prom" >"$WORK/table" && break
  ((try < 3)) || { cat "$WORK/table"; fail "the container reports this host differently (table above)"; }
  sleep 1
done
cat "$WORK/table"
grep -q '^silicon_scrape_collector_success{collector="docker"} 1' "$WORK/container.prom" ||
  fail "the docker collector failed in the container: $(grep collector_success "$WORK/container.prom")"
failed=$(grep -E '^silicon_scrape_collector_success\{.*\} 0' "$WORK/container.prom" || true)
[[ -z $failed ]] || fail "collectors failed in the container: $failed"
pass "container (read-only, no capabilities, nobody + the socket's group) reports what the native binary reports"

# docker run's --health-cmd goes through /bin/sh, which the image lacks: the check with the port
# given runs by docker exec here (compose_test.sh runs compose.yaml's exec-form healthcheck).
docker exec "$prefix-host" /usr/local/bin/silicon_exporter --health-check \
  --web.listen-address="127.0.0.1:$container_port" >/dev/null || fail "--health-check fails in the container"

# The image's own HEALTHCHECK, unchanged (default address): in a network namespace of its own,
# where 127.0.0.1:10025 is free, and with the exporter as PID 1, which gets no default signal
# handling from the kernel: SIGTERM must still stop it.
docker run -d --name "$prefix-own" --read-only --cap-drop ALL --health-interval 1s "$image" \
  --no-collector.docker >/dev/null
for _ in $(seq 100); do
  [[ $(docker inspect -f '{{.State.Health.Status}}' "$prefix-own") == healthy ]] && break
  sleep 0.2
done
[[ $(docker inspect -f '{{.State.Health.Status}}' "$prefix-own") == healthy ]] ||
  fail "the image's HEALTHCHECK never passed: $(docker inspect -f '{{json .State.Health}}' "$prefix-own")"
pass "HEALTHCHECK healthy (the image's own, default address); --health-check with the port given passes"

# SIGTERM (docker stop) stops both at once with exit code 0 and the shutdown logged.
for name in host own; do
  start=$(date +%s%N)
  docker stop -t 10 "$prefix-$name" >/dev/null
  took_ms=$((($(date +%s%N) - start) / 1000000))
  code=$(docker inspect -f '{{.State.ExitCode}}' "$prefix-$name")
  [[ $code == 0 ]] || fail "$name: exit code $code after SIGTERM"
  ((took_ms < 5000)) || fail "$name: docker stop took $took_ms ms (SIGTERM ignored, killed after the grace time?)"
  docker logs "$prefix-$name" 2>&1 | grep -q 'msg="shutting down" signal=SIGTERM' || fail "$name: no shutdown line logged"
  pass "docker stop ($name): SIGTERM, exit code 0 in $took_ms ms"
done
