#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock and that the test image exists.
# Starts Debian's dockerd when none runs (as root, or through passwordless sudo with the socket
# owned by the caller's group). Prints "started" when it started the daemon, "running" otherwise.
set -euo pipefail
image=silicon-test:busybox

if ! docker info >/dev/null 2>&1; then
  as_root=()
  [[ $(id -u) == 0 ]] || as_root=(sudo -n)
  "${as_root[@]}" setsid dockerd --group "$(id -gn)" >/tmp/silicon-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start: $(tail -5 /tmp/silicon-dockerd.log)" >&2; exit 1; }
  state=started
else
  state=running
fi

# No registry is reachable: the test image is busybox-static imported as a one-layer image.
if ! docker image inspect "$image" >/dev/null 2>&1; then
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/www"
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in sh sleep yes dd cat head httpd true; do ln -s busybox "$root/bin/$applet"; done
  head -c 2097152 /dev/urandom >"$root/www/blob"
  tar -C "$root" -c . | docker import - "$image" >/dev/null
  rm -rf "$root"
fi
echo "$state"
