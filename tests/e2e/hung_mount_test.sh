#!/usr/bin/env bash
# A mount whose stat never returns (a FUSE daemon that does not answer, as a dead NFS server does)
# costs one scrape the stat timeout, once: that scrape reports silicon_filesystem_device_error 1
# for it and every other mount as usual; later scrapes skip it without waiting until the call
# returns; when it returns, it is asked again. Needs root and /dev/fuse (skipped, exit 77, without).
source "$(dirname "$0")/lib.sh"
[[ $(id -u) == 0 && -c /dev/fuse ]] || { echo "SKIP: needs root and /dev/fuse"; exit 77; }

mnt="$WORK/hung"
mkdir -p "$mnt"
python3 "$(dirname "$0")/hung_mount.py" "$mnt" >"$WORK/holder.out" 2>&1 &
holder=$!
PIDS+=("$holder")
trap 'kill "$holder" 2>/dev/null || true; umount -l "$mnt" 2>/dev/null || true; cleanup' EXIT
for _ in $(seq 50); do grep -q mounted "$WORK/holder.out" && break; sleep 0.1; done
grep -q mounted "$WORK/holder.out" || fail "could not mount the test FUSE file system: $(cat "$WORK/holder.out")"

start_exporter hung --no-collector.cpu --no-collector.memory --no-collector.pressure --no-collector.thermal \
  --no-collector.gpu --no-collector.docker --no-collector.disk --no-collector.network
series="silicon_filesystem_device_error{device=\"silicon-hung\",fstype=\"fuse\",mountpoint=\"$mnt\"}"
scrape() {  # scrape N: the exposition in $WORK/N, its wall time in ms in $ms
  local start=$(date +%s%N)
  curl -fsS --max-time 10 "http://127.0.0.1:$PORT/metrics" >"$WORK/$1" || fail "scrape $1 failed"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
}

scrape 1
grep -qF "$series 1" "$WORK/1" || fail "first scrape: no device error for the hung mount: $(grep "$mnt" "$WORK/1")"
grep -q '^silicon_filesystem_device_error{.*mountpoint="/"} 0' "$WORK/1" || fail "first scrape: / not reported"
grep -q '^silicon_scrape_collector_success{collector="filesystem"} 1' "$WORK/1" || fail "first scrape: collector failed"
((ms >= 900 && ms < 4000)) || fail "first scrape took $ms ms, expected about the 1 s stat timeout"
first=$ms

scrape 2
grep -qF "$series 1" "$WORK/2" || fail "second scrape: the hung mount is not reported as an error"
((ms < 500)) || fail "second scrape took $ms ms: it waited on the hung mount again"
threads=$(awk '/^Threads/{print $2}' "/proc/$PID/status")
scrape 3
[[ $(awk '/^Threads/{print $2}' "/proc/$PID/status") == "$threads" ]] || fail "threads grew while the mount hangs"
second=$ms

# The daemon goes away: the kernel aborts the connection and the parked stat returns (ENOTCONN).
kill "$holder"; wait "$holder" 2>/dev/null || true
sleep 0.5
scrape 4
grep -qF "$series 1" "$WORK/4" || fail "after the daemon died: a broken mount must still be an error"
((ms < 500)) || fail "scrape after the daemon died took $ms ms"
umount -l "$mnt"
scrape 5
! grep -qF "$mnt" "$WORK/5" || fail "an unmounted file system is still reported"
pass "hung mount: first scrape $first ms (stat timeout 1 s), then $second ms; device_error 1 throughout; gone once unmounted"
