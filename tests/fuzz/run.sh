#!/usr/bin/env bash
# Builds the fuzz targets with clang (ASan+UBSan, libFuzzer) and runs each for SECONDS (default 60),
# seeded from the fixture trees. Not part of ctest: a bounded run of its own.
# usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DSILICON_FUZZ=ON -DSILICON_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build build-fuzz -j2 --target procfs_fuzz config_fuzz docker_fuzz >/dev/null
corpus=$(mktemp -d); trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus/procfs" "$corpus/config" "$corpus/docker"
cp tests/fixtures/docker-api/*.json "$corpus/docker/"
find tests/fixtures/docker-cgroup-v* -type f -exec cp --backup=numbered -t "$corpus/docker" {} +
find tests/fixtures -type f -size -64k -exec cp --backup=numbered -t "$corpus/procfs" {} + 2>/dev/null || true
printf 'web:\n  listen_address: ":1"\ncollectors:\n  thermal:\n    serious_celsius: 80\n' >"$corpus/config/seed.yml"
for target in procfs config docker; do
  echo "== ${target}_fuzz for ${seconds}s"
  build-fuzz/tests/fuzz/${target}_fuzz -max_total_time="$seconds" -max_len=8192 "$corpus/$target" \
    tests/fuzz/regressions/$target 2>&1 | grep -E '^#[0-9]+ +DONE|ERROR|SUMMARY|runs in' || true
done
