#!/usr/bin/env bash
# Installs from Debian 12's own packages what building silicon_exporter needs ("build"), what
# building and running every test needs ("test"), or what the fuzz targets need ("fuzz"). Runs as
# root, or as a user with sudo.
set -euo pipefail

mode=${1:-build}
build_packages=(ca-certificates cmake g++ make pkg-config
                prometheus-cpp-dev libboost-dev zlib1g-dev libssl-dev libyaml-cpp-dev libspdlog-dev
                libcurl4-openssl-dev nlohmann-json3-dev libre2-dev)
# The unit tests are Catch2's (catch2: listed here, as README's run line builds the exporter alone,
# -DSILICON_BUILD_TESTS=OFF; Debian 12's libspdlog-dev depends on catch2, so the build set brings
# it too). The tests scrape over HTTP (curl), lint with promtool (prometheus),
# compare values with Debian's node_exporter on the same fixture trees, run the rules through a
# real Prometheus and Alertmanager, and drive those with small Python scripts (python3,
# python3-yaml); the Docker collector is tested against Debian's own engine with a test image made
# from busybox-static.
# The live page is tested in Debian's headless Chromium (with a font to render it); the fleet path
# with VictoriaMetrics' vmagent beside Prometheus' own agent. deploy/kubernetes/ is validated, and
# the dashboards checked against Grafana's published model, by Node.js with npm packages locked in
# tests/kubernetes/ and tests/dashboards/ (npm itself is added below). tests/container/run.sh makes
# the image's Debian base with debootstrap and brings the compose stack up with docker-compose.
test_packages=(catch2 curl openssl prometheus prometheus-node-exporter prometheus-alertmanager python3 python3-yaml
               docker.io busybox-static chromium fonts-dejavu-core victoria-metrics nodejs
               docker-compose debootstrap)

# Fuzzing (tests/fuzz/run.sh, run by CI after the tests): clang with libFuzzer and the sanitizers.
fuzz_packages=(clang libclang-rt-14-dev)

case $mode in
  build) packages=("${build_packages[@]}") ;;
  test) packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  fuzz) packages=("${build_packages[@]}" "${fuzz_packages[@]}") ;;
  *) echo "usage: $0 build|test|fuzz" >&2; exit 2 ;;
esac

as_root=()
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || { echo "$0: run as root or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
# The tests start vmagent and victoria-metrics themselves (their own ports and data folders); the
# package also enables its database service, which a test machine should not be left running
# (where systemd runs at all).
if [[ $mode == test && -d /run/systemd/system ]]; then
  "${as_root[@]}" systemctl disable --now victoria-metrics.service >/dev/null 2>&1 || true
fi
# Debian's npm for the Kubernetes manifest test, unless a Node.js that brings its own npm (whose
# package conflicts with Debian's) is installed; then the locked packages, as the calling user.
if [[ $mode == test ]]; then
  command -v npm >/dev/null ||
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends npm
  npm ci --prefix "$(dirname "$0")/../tests/kubernetes" --no-audit --no-fund --loglevel=error
fi
