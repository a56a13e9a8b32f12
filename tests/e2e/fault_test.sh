#!/usr/bin/env bash
# Faults the exporter must ride out, on a copy of the Intel laptop fixture tree: a sysfs file that
# blocks (a FIFO nobody writes: reading it hangs like a hung driver's file), a collector whose
# source is garbage, the concurrent-scrape cap, a log that cannot be written, SIGTERM mid-scrape.
source "$(dirname "$0")/lib.sh"

tree=$WORK/tree
cp -r "$FIXTURES/intel-hybrid" "$tree"
zone=$tree/sys/class/thermal/thermal_zone0
rm "$zone/temp"
mkfifo "$zone/temp"
printf 'scrape:\n  collector_timeout_seconds: 1\n' >"$WORK/config.yml"
# The live page's history sampler (on by default) runs the same collectors every few seconds; it
# would meet the blocked file before the scrapes this test aims at it, so it is off here: these
# checks are about what a scrape does with a hung read.
start_exporter blocked --web.ui.history=0 --config.file="$WORK/config.yml" --web.max-requests=1 --no-collector.docker \
  --path.procfs="$tree/proc" --path.sysfs="$tree/sys"
url="http://127.0.0.1:$PORT/metrics"
# release: lets the reader blocked on the FIFO go (its open returns once a writer opens), then
# puts a regular file in its place so the next reads do not block again.
release() {
  # The reader may hang up before the write (its pread of a FIFO fails): SIGPIPE is fine, a
  # writer left waiting for a reader (timeout's 124) is not.
  local rc=0
  timeout 5 sh -c "printf '45000\n' >'$zone/temp'" 2>/dev/null || rc=$?
  [[ $rc != 124 ]] || fail "nobody was blocked reading the FIFO"
  rm -f "$zone/temp"
  printf '45000\n' >"$zone/temp"
}
block() { rm -f "$zone/temp"; mkfifo "$zone/temp"; }

# The scrape that meets the blocked file is held by it (a client gives up)...
status=$(curl -sS -m 2 -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)
[[ $status == 000 ]] || fail "the scrape that met the blocked file answered $status"
# ...and holds the only --web.max-requests slot: a concurrent scrape gets 503, not a queue.
headers=$(curl -sS -D - -o "$WORK/busy" "$url")
grep -q '^HTTP/1.1 503' <<<"$headers" || fail "a scrape over --web.max-requests=1 was not 503: $headers"
grep -q 'too many concurrent scrapes' "$WORK/busy" || fail "503 body: $(cat "$WORK/busy")"
pass "blocked sysfs read: that scrape hangs; over --web.max-requests the next one is 503"

# Release it: the held scrape finishes and frees its slot.
release
for _ in $(seq 50); do [[ $(curl -sS -m 2 -o /dev/null -w '%{http_code}' "$url") == 200 ]] && break; sleep 0.1; done
grep -q 'silicon_scrape_collector_success{collector="thermal"} 1' <<<"$(curl -fsS -m 2 "$url")" ||
  fail "thermal did not recover once the file answered"
pass "once the read returns, the slot is free and thermal works again"

# With two slots: one scrape held by the blocked file; the next ones (after the 1 s timeout) are
# served at once, with thermal failed and every other collector present.
kill "$PID"; wait "$PID" 2>/dev/null || true
block
start_exporter blocked2 --web.ui.history=0 --config.file="$WORK/config.yml" --web.max-requests=2 --no-collector.docker \
  --path.procfs="$tree/proc" --path.sysfs="$tree/sys"
url="http://127.0.0.1:$PORT/metrics"
curl -sS -m 30 -o /dev/null "$url" 2>/dev/null &
held=$!
sleep 1.5
start=$(date +%s%N)
body=$(curl -fsS -m 5 "$url") || fail "a scrape after the hang was not served"
took_ms=$((($(date +%s%N) - start) / 1000000))
grep -q 'silicon_scrape_collector_success{collector="thermal"} 0' <<<"$body" || fail "thermal not reported failed"
grep -q 'silicon_scrape_collector_success{collector="cpu"} 1' <<<"$body" || fail "cpu not served beside the hang"
grep -q '^silicon_memory_total_bytes' <<<"$body" || fail "memory not served beside the hang"
((took_ms < 1000)) || fail "the scrape after the hang took $took_ms ms"
grep -qF 'collector failed collector=thermal err=\"stuck in an earlier scrape' "$WORK/blocked2.log" ||
  fail "the stuck collector is not logged: $(cat "$WORK/blocked2.log")"
release
wait "$held" || true
pass "later scrapes: served in $took_ms ms, thermal failed (logged), cpu and memory present"

# Garbage where /proc/stat should be: the cpu collector fails, the scrape does not.
printf 'cpu0 not numbers at all\n\x00\x01\xff\n' >"$tree/proc/stat"
body=$(curl -fsS -m 5 "$url") || fail "scrape failed with a garbage /proc/stat"
grep -q 'silicon_scrape_collector_success{collector="cpu"} 0' <<<"$body" || fail "cpu not failed on garbage"
grep -q 'silicon_scrape_collector_success{collector="thermal"} 1' <<<"$body" || fail "thermal broken by cpu's garbage"
promtool check metrics <<<"$body" || fail "promtool on a scrape with a failed collector"
pass "garbage /proc/stat: cpu fails alone, exposition still valid"

# A log that cannot be written (disk full): scrapes go on, failures included.
source "$(dirname "$0")/free_port.sh"
port=$(free_port)
"$EXPORTER" --web.listen-address="127.0.0.1:$port" --no-collector.docker --log.level=debug \
  --path.procfs="$tree/proc" --path.sysfs="$tree/sys" 2>/dev/full &
full_pid=$!
PIDS+=("$full_pid")
for _ in $(seq 50); do curl -fsS -m 1 -o /dev/null "http://127.0.0.1:$port/-/healthy" 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 20); do curl -fsS -m 5 -o /dev/null "http://127.0.0.1:$port/metrics" || fail "scrape failed with logs to /dev/full"; done
kill -0 "$full_pid" || fail "the exporter died writing logs to /dev/full"
pass "logs to a full disk (/dev/full): 20 scrapes served, still running"

# SIGTERM while a scrape is in flight (held by the blocked file again): in-flight requests get the
# collector timeout plus a second (here 2 s), then the process exits 0 anyway.
block
start_exporter term --web.ui.history=0 --config.file="$WORK/config.yml" --no-collector.docker \
  --path.procfs="$tree/proc" --path.sysfs="$tree/sys"
curl -sS -m 10 -o /dev/null "http://127.0.0.1:$PORT/metrics" 2>/dev/null &
sleep 0.5
kill -TERM "$PID"
for _ in $(seq 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$PID" 2>/dev/null; then
  release
  fail "SIGTERM with a scrape held by a blocked read did not exit within 3 s"
fi
rc=0; wait "$PID" || rc=$?
[[ $rc == 0 ]] || fail "exit status $rc after SIGTERM mid-scrape"
grep -q 'requests still in flight 2000 ms after the stop signal' "$WORK/term.log" || fail "forced exit not logged"
pass "SIGTERM mid-scrape (scrape held by a blocked read): exit 0 after the 2 s grace, logged"

# With the live page's history on (its default), the sampler meets the blocked file first, in its
# own thread: a scrape after that must not wait on it, but answer at once with thermal failed
# ("stuck in an earlier scrape") and every other collector but cpu (its /proc/stat is still the
# garbage above) working. The history itself stops until the read returns, as its thread is the
# one held (docs/live-page.md says so).
start_exporter sampled --web.ui.history-interval=1s --config.file="$WORK/config.yml" --no-collector.docker \
  --path.procfs="$tree/proc" --path.sysfs="$tree/sys"
# Before any scrape only the sampler reads collectors: a thread of ours waiting for the FIFO's
# writer (wchan wait_for_partner, the kernel's open of a FIFO) is the sampler held by it.
sampler_blocked() { cat /proc/"$PID"/task/*/wchan 2>/dev/null | tr '\0' '\n' | grep -q 'wait_for_partner\|pipe_read'; }
wait_for 10 "the history sampler blocked on the FIFO" sampler_blocked
status=$(curl -sS -m 3 -o "$WORK/sampled.prom" -w '%{http_code}' "http://127.0.0.1:$PORT/metrics" || true)
[[ $status == 200 ]] || fail "a scrape while the sampler is stuck answered $status"
grep -q 'silicon_scrape_collector_success{collector="thermal"} 0' "$WORK/sampled.prom" || fail "thermal not failed"
failed=$(grep -c '^silicon_scrape_collector_success{.*} 0$' "$WORK/sampled.prom")
[[ $failed == 2 ]] || fail "$failed collectors failed, expected thermal and cpu (garbage /proc/stat, above) alone"
release
pass "history sampler stuck on a blocked read: the scrape answers 200 at once, thermal failed, the rest work"
