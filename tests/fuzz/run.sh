#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer, ASan+UBSan, the whole exporter instrumented for
# coverage) and runs each for SECONDS (default 60), seeded from the fixture trees and the
# regression inputs. Exits non-zero when any target finds a crash, leak or sanitizer report; the
# input that did it is then in tests/fuzz/regressions/TARGET/ (commit it with the fix).
# Not part of ctest; CI runs it after the tests (.ci/run). Prints one summary line per target.
# usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
targets=(procfs config docker web http apple)
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSILICON_FUZZ=ON \
  -DSILICON_BUILD_TESTS=OFF -DSILICON_TLS_MODULE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined,fuzzer-no-link" >/dev/null
cmake --build build-fuzz -j2 --target "${targets[@]/%/_fuzz}" >/dev/null
corpus=$(mktemp -d); trap 'rm -rf "$corpus"' EXIT
for target in "${targets[@]}"; do mkdir -p "$corpus/$target" "tests/fuzz/regressions/$target"; done
cp tests/fixtures/docker-api/*.json "$corpus/docker/"
find tests/fixtures/docker-cgroup-v* -type f -exec cp --backup=numbered -t "$corpus/docker" {} +
find tests/fixtures -type f -size -64k -exec cp --backup=numbered -t "$corpus/procfs" {} + 2>/dev/null || true
printf 'web:\n  listen_address: ":1"\ncollectors:\n  thermal:\n    serious_celsius: 80\n' >"$corpus/config/seed.yml"
cp tests/fixtures/web/*.yml "$corpus/web/"
printf 'tls_server_config:\n  cert_file: /etc/hostname\n  key_file: /etc/hostname\n  client_auth_type: RequireAndVerifyClientCert\n' >"$corpus/web/tls.yml"
printf 'Basic cHJvbWV0aGV1czpzM2NyZXQ=' >"$corpus/web/authorization"
printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nAuthorization: Basic cHJvbWV0aGV1czpzM2NyZXQ=\r\n\r\n' >"$corpus/http/scrape"
printf 'HEAD /?a=%%00&b=%%ff HTTP/1.0\r\n\r\n' >"$corpus/http/head"
printf 'POST /-/healthy HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' >"$corpus/http/post"

status=0
for target in "${targets[@]}"; do
  log=$corpus/$target.log
  rc=0
  # -artifact_prefix: a crashing input lands where it gets committed as a regression input.
  build-fuzz/tests/fuzz/${target}_fuzz -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -artifact_prefix="tests/fuzz/regressions/$target/" "$corpus/$target" "tests/fuzz/regressions/$target" \
    >"$log" 2>&1 || rc=$?
  runs=$(grep -aoE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")  # -a: inputs in the log may be binary
  if ((rc != 0)); then
    echo "FAIL ${target}_fuzz (exit $rc):"; grep -aE 'ERROR|SUMMARY|Test unit written' "$log" | head -5
    status=1
  else
    echo "ok ${target}_fuzz: $runs inputs in ${seconds} s, no crash, no sanitizer report"
  fi
done
exit $status
