#!/usr/bin/env bash
# The HTTP surface and process behaviour of the real binary: pages, errors, gzip, shutdown, exit codes.
source "$(dirname "$0")/lib.sh"
tree=(--path.procfs="$FIXTURES/intel-hybrid/proc" --path.sysfs="$FIXTURES/intel-hybrid/sys" --no-collector.docker)

start_exporter http "${tree[@]}"
base="http://127.0.0.1:$PORT"
http_pid_main=$PID http_port_main=$PORT

# Bodies are captured before grep -q looks at them: under pipefail, grep leaving at the first match
# fails the pipeline whenever curl is still writing (curl exit 23), which happens under load.
landing=$(curl -fsS "$base/")
grep -q '<a href="/metrics">' <<<"$landing" || fail "landing page has no link to /metrics"
grep -q '<li>cpu</li>' <<<"$landing" || fail "landing page does not list the cpu collector"
[[ $(curl -fsS "$base/-/healthy") == OK ]] || fail "/-/healthy does not say OK"
# The plain landing page (curl's Accept, like --web.disable-ui) has the live page's security headers.
landing_headers=$(curl -fsS -D - -o /dev/null "$base/")
grep -qi "^Content-Security-Policy: default-src 'none'" <<<"$landing_headers" || fail "plain landing page without CSP: $landing_headers"
grep -qi '^Referrer-Policy: no-referrer' <<<"$landing_headers" || fail "plain landing page without Referrer-Policy"
grep -qi '^X-Content-Type-Options: nosniff' <<<"$landing_headers" || fail "plain landing page without nosniff"
pass "landing page (security headers as the live page's) and health check"

# --health-check, the container image's HEALTHCHECK: healthy on the exporter's own listen address
# (a wildcard host means loopback), unhealthy where nothing listens.
"$EXPORTER" --health-check --web.listen-address=":$PORT" >"$WORK/health.out" || fail "--health-check: $(cat "$WORK/health.out")"
grep -q "http://127.0.0.1:$PORT/-/healthy answered 200: healthy" "$WORK/health.out" || fail "--health-check said: $(cat "$WORK/health.out")"
idle_port=$(free_port)
if "$EXPORTER" --health-check --web.listen-address="127.0.0.1:$idle_port" 2>"$WORK/health.err"; then
  fail "--health-check passed with nothing listening on $idle_port"
fi
grep -q 'cannot connect' "$WORK/health.err" || fail "--health-check on an idle port said: $(cat "$WORK/health.err")"
pass "--health-check: exit 0 against the exporter, 1 with nothing listening"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[[ $(code "$base/nope") == 404 ]] || fail "unknown path is not 404"
[[ $(code "$base/metrics/../etc/passwd") == 404 ]] || fail "path traversal is not 404"
[[ $(code -X POST "$base/metrics") == 405 ]] || fail "POST is not 405"
[[ $(code -X DELETE "$base/") == 405 ]] || fail "DELETE is not 405"
[[ $(code -I "$base/metrics") == 200 ]] || fail "HEAD /metrics is not 200"
# HEAD: the GET's Content-Length, no body (the server leaves it out, not curl): raw bytes.
exec {raw}<>"/dev/tcp/127.0.0.1/$PORT"
printf 'HEAD /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&"$raw"
head_reply=$(timeout 5 cat <&"$raw" | tr -d '\r')
exec {raw}>&-
grep -q '^Content-Length: 3$' <<<"$head_reply" || fail "HEAD lacks the GET's Content-Length: $head_reply"
# $(...) drops the blank line that ends the head: the last line must be its last header.
[[ $(tail -1 <<<"$head_reply") == "Connection: close" ]] || fail "HEAD sent a body: $head_reply"
body=$(curl -s "$base/nope")
[[ $body == "not found" ]] || fail "404 body leaks more than 'not found': $body"
# Every method but GET and HEAD is 405, TRACE and OPTIONS * included; an absolute-form target
# (RFC 9112 3.2.2: a server must accept it) is routed by its path.
[[ $(code -X TRACE "$base/") == 405 ]] || fail "TRACE is not 405"
[[ $(code -X OPTIONS --request-target '*' "$base/") == 405 ]] || fail "OPTIONS * is not 405"
[[ $(curl -sS --request-target "http://127.0.0.1:$PORT/-/healthy" "$base/") == OK ]] || fail "absolute-form target not served"
[[ $(code --request-target 'metrics' "$base/") == 400 ]] || fail "a target that is no path is not 400"
curl -fsS -o /dev/null "$base/-/healthy" || fail "not serving after the odd request lines"
pass "404, 405, HEAD; TRACE and OPTIONS * 405; absolute URIs served, a bare word 400"

# Over-long requests (16 KiB of request line and headers): 431, which says nothing about the
# server, and the server goes on serving.
long=$(head -c 32768 /dev/zero | tr '\0' a)
status=$(curl -sS -o "$WORK/long" -w '%{http_code}' -H "X-Long: $long" "$base/metrics" 2>/dev/null || true)
[[ $status == 431 ]] || fail "a 32 KiB header got HTTP $status, want 431"
! grep -qiE 'civetweb|/work|\.c:|\.cpp' "$WORK/long" 2>/dev/null || fail "the refusal leaks: $(cat "$WORK/long")"
status=$(curl -sS -o /dev/null -w '%{http_code}' "$base/metrics?$(head -c 20000 /dev/zero | tr '\0' q)" 2>/dev/null || true)
[[ $status == 431 ]] || fail "a 20 KB query string got HTTP $status, want 431 (request line and headers count together)"
curl -fsS -o /dev/null "$base/metrics" || fail "not serving after over-long requests"
pass "over-long header and query refused ($status), nothing leaked, still serving"

# Idle clients past --web.max-connections make room for the scraper: the oldest that never sent
# a request is closed (counted as evicted), and the number held stays at the cap.
start_exporter capped "${tree[@]}" --web.max-connections=16
idle=()
for _ in $(seq 40); do exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; idle+=("$fd"); done
sleep 0.3
capped=$(curl -fsS -m 5 "http://127.0.0.1:$PORT/metrics") || fail "a scrape with 40 idle connections on a cap of 16 failed"
evicted=$(sed -n 's/^silicon_http_connections_closed_total{reason="evicted"} //p' <<<"$capped")
held=$(sed -n 's/^silicon_http_connections //p' <<<"$capped")
((evicted >= 24)) || fail "40 idle connections on a cap of 16: $evicted evicted, want >= 24"
((held <= 16)) || fail "$held connections held, cap 16"
promtool check metrics <<<"$capped" || fail "promtool on the connection families"
for fd in "${idle[@]}"; do exec {fd}>&-; done
kill "$PID"; wait "$PID" 2>/dev/null || true
PID=$http_pid_main PORT=$http_port_main
pass "40 idle connections on a cap of 16: scrape served, $evicted evicted, $held held"

headers=$(curl -sS -D - -o "$WORK/gz" -H 'Accept-Encoding: gzip' "$base/metrics")
grep -qi '^Content-Encoding: gzip' <<<"$headers" || fail "no gzip when asked: $headers"
grep -q '^silicon_cpu_seconds_total' <<<"$(gunzip -c "$WORK/gz")" || fail "gzip body is not the exposition"
plain=$(curl -sS -D - -o /dev/null "$base/metrics")
! grep -qi '^Content-Encoding' <<<"$plain" || fail "gzip sent although not asked"
# RFC 9110: "Q" is "q" (12.4.2), and gzip named outweighs "*;q=0" (12.5.3).
! grep -qi '^Content-Encoding' <<<"$(curl -sS -D - -o /dev/null -H 'Accept-Encoding: gzip;Q=0' "$base/metrics")" ||
  fail "gzip sent for gzip;Q=0"
grep -qi '^Content-Encoding: gzip' <<<"$(curl -sS -D - -o /dev/null -H 'Accept-Encoding: *;q=0, gzip' "$base/metrics")" ||
  fail "no gzip for '*;q=0, gzip'"
pass "gzip only when asked (q in any case, gzip named over *)"

curls=()
for _ in $(seq 20); do curl -fsS -o /dev/null "$base/metrics" & curls+=($!); done
for pid in "${curls[@]}"; do wait "$pid" || fail "one of 20 parallel scrapes failed"; done
pass "20 parallel scrapes"

kill -HUP "$PID"
sleep 0.3
curl -fsS -o /dev/null "$base/metrics" || fail "SIGHUP stopped the exporter"
grep -q 'configuration reloaded' "$WORK/http.log" || fail "SIGHUP did not reload"
pass "SIGHUP without a config file: reloaded, still serving"

# Reload with files: a good edit applies (a collector off, a user added), a bad one is refused
# whole and logged, and what needs a new listener is named and left as it runs.
hash='$2b$10$fAWcUlTcUKYNBL67axpYiuoVF09GEw44Vf5kF1VTU3RWgrQOXGZHO'  # "s3cret"
printf 'collectors:\n  cpu:\n    enabled: true\n' >"$WORK/reload.yml"
printf "basic_auth_users:\n  prometheus: '%s'\n" "$hash" >"$WORK/reload-web.yml"
http_pid=$PID
start_exporter reload "${tree[@]}" --config.file="$WORK/reload.yml" --web.config.file="$WORK/reload-web.yml"
reload_url="http://127.0.0.1:$PORT/metrics"
hup() {  # hup LOG_PATTERN: SIGHUP, then wait until the log says it
  kill -HUP "$PID"
  for _ in $(seq 50); do [[ $(grep -c "$1" "$WORK/reload.log") -gt ${2:-0} ]] && return 0; sleep 0.05; done
  fail "no '$1' after SIGHUP: $(tail -3 "$WORK/reload.log")"
}
grep -q '^silicon_cpu_seconds_total' <<<"$(curl -fsS -u prometheus:s3cret "$reload_url")" || fail "reload: no cpu at first"
printf 'collectors:\n  cpu:\n    enabled: false\n' >"$WORK/reload.yml"
printf "basic_auth_users:\n  prometheus: '%s'\n  grafana: '%s'\n" "$hash" "$hash" >"$WORK/reload-web.yml"
hup 'msg="configuration reloaded" collectors=memory'
body=$(curl -fsS -u grafana:s3cret "$reload_url") || fail "reload: the added user was refused"
! grep -q '^silicon_cpu_seconds_total' <<<"$body" || fail "reload: cpu still collected after it was turned off"
grep -q '^silicon_memory_total_bytes' <<<"$body" || fail "reload: memory lost"
printf 'collectors:\n  cpu:\n    enabled: maybe\n' >"$WORK/reload.yml"
hup 'reload failed, keeping the running configuration'
grep -q "reload.yml:3:14: key 'collectors.cpu.enabled'" "$WORK/reload.log" || fail "the failed reload does not name the key"
body=$(curl -fsS -u grafana:s3cret "$reload_url") || fail "not serving after a failed reload"
! grep -q '^silicon_cpu_seconds_total' <<<"$body" || fail "a failed reload changed the collectors"
# A pattern nested 30 000 deep (60 KB): std::regex recursed once per level and the SIGHUP killed
# the running exporter (SIGSEGV). Now refused like any bad value; the old config stays.
deep=$(printf '%30000s' '' | tr ' ' '(')a$(printf '%30000s' '' | tr ' ' ')')
printf "collectors:\n  disk:\n    device_exclude: '%s'\n" "$deep" >"$WORK/deep.yml"
cp "$WORK/deep.yml" "$WORK/reload.yml"
hup 'reload failed, keeping the running configuration' 1
grep -q "key 'collectors.disk.device_exclude'.*nests groups 30000 deep" "$WORK/reload.log" ||
  fail "the 30 000-deep pattern is not named: $(tail -c 400 "$WORK/reload.log")"
kill -0 "$PID" 2>/dev/null || fail "a 30 000-deep exclude pattern on SIGHUP killed the exporter"
body=$(curl -fsS -u grafana:s3cret "$reload_url") || fail "not serving after the deep pattern's reload"
! grep -q '^silicon_cpu_seconds_total' <<<"$body" || fail "the deep pattern's reload changed the collectors"
printf 'web:\n  max_requests: 7\ncollectors:\n  cpu:\n    enabled: true\n' >"$WORK/reload.yml"
hup 'configuration reloaded' 1
grep -q 'reload cannot change.* settings=.*web.max_requests' "$WORK/reload.log" || fail "a listener setting change not reported"
grep -q '^silicon_cpu_seconds_total' <<<"$(curl -fsS -u prometheus:s3cret "$reload_url")" || fail "reload: cpu not back"
pass "SIGHUP reload: collector off and user added; a bad config kept the old one (key named); listener settings need a restart"
PID=$http_pid

start=$(date +%s%N)
kill -TERM "$PID"
wait "$PID" || fail "exit status after SIGTERM was $?"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
(( took_ms < 1000 )) || fail "shutdown took ${took_ms} ms"
grep -q 'msg="shutting down" signal=SIGTERM' "$WORK/http.log" || fail "no shutdown log line"
pass "SIGTERM shutdown in ${took_ms} ms"

# The port is taken: a clear error and exit 1, not a crash.
start_exporter holder "${tree[@]}"
set +e
"$EXPORTER" --web.listen-address="127.0.0.1:$PORT" "${tree[@]}" 2>"$WORK/busy.log"
rc=$?
set -e
[[ $rc == 1 ]] || fail "busy port: exit $rc, want 1"
grep -q 'cannot start web server' "$WORK/busy.log" || fail "busy port: no clear message: $(cat "$WORK/busy.log")"
pass "busy port is a clear error"

# Bad flags and bad config: exit 2 before binding, naming the problem.
expect_usage_error() {
  local want=$1; shift
  set +e
  out=$("$EXPORTER" "$@" 2>&1)
  rc=$?
  set -e
  [[ $rc == 2 ]] || fail "'$*': exit $rc, want 2"
  grep -q -- "$want" <<<"$out" || fail "'$*': message '$out' lacks '$want'"
}
expect_usage_error "unknown flag '--bogus'" --bogus
expect_usage_error "unknown collector 'gpux'" --collector.gpux
printf 'web:\n  listen_address: ":10025"\n  max_request: 3\n' >"$WORK/bad.yml"
expect_usage_error "bad.yml:3:3: key 'web.max_request': unknown key" --config.file="$WORK/bad.yml"
expect_usage_error "bad.yml:3:3" --config.file="$WORK/bad.yml" --config.check
expect_usage_error "cannot open config file" --config.file="$WORK/missing.yml"
expect_usage_error "key 'collectors.disk.device_exclude'.*nests groups 30000 deep" --config.file="$WORK/deep.yml" --config.check
expect_usage_error "nests groups 30000 deep" --config.file="$WORK/deep.yml"
((${#out} < 1000)) || fail "the deep pattern's message is ${#out} bytes: the value should be cut short"
# Not regular files: refused at once with exit 2 (/dev/zero used to be read for ever, a FIFO to
# block start-up, a directory to pass as an empty config).
mkfifo "$WORK/fifo.yml"
expect_usage_error "config file is not a regular file" --config.file=/dev/zero
expect_usage_error "config file is not a regular file" --config.file="$WORK/fifo.yml"
expect_usage_error "config file is a directory" --config.file="$WORK"
expect_usage_error "web config file is not a regular file" --web.config.file="$WORK/fifo.yml"
expect_usage_error "web config file is a directory" --web.config.file="$WORK"
printf 'web:\n  listen_address: "127.0.0.1:0"\nlog:\n  level: debug\n' >"$WORK/good.yml"
[[ $("$EXPORTER" --config.file="$WORK/good.yml" --config.check) == "config OK" ]] || fail "--config.check on a good file"
[[ $("$EXPORTER" --web.max-requests=0 --config.check) == "config OK" ]] || fail "--web.max-requests=0 (no limit) refused"
"$EXPORTER" --version | grep -q '^silicon_exporter [0-9]' || fail "--version"
"$EXPORTER" --help | grep -q -- '--collector.NAME' || fail "--help"
pass "usage and config errors exit 2 with the key named; --config.check, --version, --help"

# Flags override the file: the file says port 0 and debug, the flags name a port and error.
# The info line that reports the port is silenced too, so this one runs on a port picked beforehand.
port=$(free_port)
"$EXPORTER" --config.file="$WORK/good.yml" --web.listen-address="127.0.0.1:$port" --log.level=error \
  --log.format=json "${tree[@]}" 2>"$WORK/override.log" &
PIDS+=($!)
for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics" 2>/dev/null && break; sleep 0.05; done
curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics" || fail "exporter with --log.level=error did not answer"
! grep -q '"level":"debug"' "$WORK/override.log" || fail "flag did not override the file's log level"
once_log=$("$EXPORTER" --config.file="$WORK/good.yml" --once "${tree[@]}" 2>&1 >/dev/null)
grep -q 'level=debug' <<<"$once_log" || fail "the config file's log level was not applied"
pass "flags override the config file"

# Basic auth from an exporter-toolkit web config (bcrypt): every path needs it, failures are 401
# with nothing else said, and logged.
start_exporter auth --web.config.file="$FIXTURES/web/basic-auth.yml" "${tree[@]}"
auth_base="http://127.0.0.1:$PORT"
[[ $(code "$auth_base/metrics") == 401 ]] || fail "no credentials: not 401"
[[ $(code "$auth_base/nope") == 401 ]] || fail "an unknown path without credentials says more than 401"
[[ $(code -u prometheus:wrong "$auth_base/metrics") == 401 ]] || fail "wrong password: not 401"
[[ $(code -u nobody:s3cret "$auth_base/metrics") == 401 ]] || fail "unknown user: not 401"
grep -qi '^WWW-Authenticate: Basic' <<<"$(curl -sS -D - -o /dev/null "$auth_base/metrics")" || fail "no WWW-Authenticate"
grep -q '^silicon_cpu_seconds_total' <<<"$(curl -fsS -u prometheus:s3cret "$auth_base/metrics")" || fail "right password refused"
[[ $(code -u prometheus:s3cret "$auth_base/-/healthy") == 200 ]] || fail "health check with credentials"
# --health-check has no password: with the same web config a 401 is the exporter answering.
"$EXPORTER" --health-check --web.listen-address="127.0.0.1:$PORT" --web.config.file="$FIXTURES/web/basic-auth.yml" \
  >/dev/null || fail "--health-check with basic auth configured is not healthy"
if "$EXPORTER" --health-check --web.listen-address="127.0.0.1:$PORT" 2>/dev/null; then
  fail "--health-check without the web config took a 401 for healthy"
fi
grep -q 'authentication failed' "$WORK/auth.log" || fail "failed logins are not logged"
# Guessing: past 10 failures a minute from one address, tries get 429 without a bcrypt check; the
# scraper that logged in before is served all along (its credentials are remembered).
statuses=$(for _ in $(seq 14); do code -u prometheus:guess "$auth_base/metrics"; echo; done | sort | uniq -c | tr -s ' ')
grep -q ' 429' <<<"$statuses" || fail "14 wrong passwords from one address were never throttled: $statuses"
# Two failed logins above count too: 8 more 401, then 429.
grep -q "^ *8 401" <<<"$statuses" || fail "throttling did not start after 10 failures: $statuses"
[[ $(code -u prometheus:s3cret "$auth_base/metrics") == 200 ]] || fail "a scraper that logged in before was locked out"
# Guessers cannot lock the scraper out: 30 wrong passwords for its user name from three other
# addresses (10 each, a minute's allowance) used to block the name itself, so the scraper got 429
# from any address, and a reload forgot who had logged in (429 even where it had).
start_exporter guess --web.config.file="$FIXTURES/web/basic-auth.yml" "${tree[@]}"
guess_url="http://127.0.0.1:$PORT/metrics"
for from in 127.0.0.2 127.0.0.3 127.0.0.4; do
  for _ in $(seq 10); do code --interface "$from" -u prometheus:guess "$guess_url" >/dev/null; done
done
[[ $(code --interface 127.0.0.2 -u prometheus:guess "$guess_url") == 429 ]] || fail "a guessing address was not throttled"
[[ $(code --interface 127.0.0.5 -u prometheus:s3cret "$guess_url") == 200 ]] ||
  fail "30 guesses from 3 addresses locked out the right password at a fourth"
# The scraper's own address out of tries: it passes from memory, before and after a reload.
for _ in $(seq 10); do code --interface 127.0.0.5 -u prometheus:guess "$guess_url" >/dev/null; done
[[ $(code --interface 127.0.0.5 -u prometheus:other "$guess_url") == 429 ]] || fail "the scraper's address not throttled"
kill -HUP "$PID"
for _ in $(seq 50); do grep -q 'configuration reloaded' "$WORK/guess.log" && break; sleep 0.05; done
grep -q 'configuration reloaded' "$WORK/guess.log" || fail "no reload: $(tail -3 "$WORK/guess.log")"
[[ $(code --interface 127.0.0.5 -u prometheus:s3cret "$guess_url") == 200 ]] ||
  fail "after a reload the scraper that had logged in was locked out"
[[ $(code --interface 127.0.0.6 -u prometheus:s3cret "$guess_url") == 200 ]] || fail "right password at a new address"
pass "guessing from 4 addresses: the right password gets in, before and after a reload"
kill "$PID"; wait "$PID" 2>/dev/null || true
# Bytes >= 0x80 from a client (user name, target) went into the log raw: --log.format=json lines
# that no JSON parser reads. Every line must parse, the bytes shown as \xNN, UTF-8 as it is.
start_exporter json --log.format=json --web.config.file="$FIXTURES/web/basic-auth.yml" "${tree[@]}"
python3 - "$PORT" <<'PY'
import base64, socket, sys
for user, target in ((b"\xff\xfeadmin", b"/metrics?x=\xff\xc3"), ("grüß".encode(), b"/\xe2\x82\xac")):
    auth = base64.b64encode(user + b":wrong")
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5) as s:
        s.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + auth + b"\r\nConnection: close\r\n\r\n")
        while s.recv(4096):
            pass
PY
kill "$PID"; wait "$PID" 2>/dev/null || true
python3 - "$WORK/json.log" <<'PY' || fail "--log.format=json wrote a line that is not JSON: $(cat -v "$WORK/json.log")"
import json, sys
lines = open(sys.argv[1], "rb").read().splitlines()
records = [json.loads(line.decode("utf-8")) for line in lines]
failed = [(r.get("user"), r.get("target")) for r in records if r["msg"] == "authentication failed"]
assert ("\\xff\\xfeadmin", "/metrics?x=\\xff\\xc3") in failed, failed
assert ("grüß", "/€") in failed, failed
PY
pass "--log.format=json: client bytes >= 0x80 escaped, every line parses"
printf 'basic_auth_users:\n  prometheus: s3cret\n' >"$WORK/plain-web.yml"
expect_usage_error "not a bcrypt hash" --web.config.file="$WORK/plain-web.yml"
printf 'tls_server_config:\n  cert_file: x.pem\n' >"$WORK/tls-web.yml"
expect_usage_error "key 'tls_server_config.cert_file': cannot read $WORK/x.pem" --web.config.file="$WORK/tls-web.yml"
pass "basic auth: 401 without, with a wrong password or user, 200 with the right one; bad web configs exit 2"
