#!/usr/bin/env bash
# The container image and the Compose stack on the real Docker engine (docs/container.md). Slow the
# first time (debootstrap, then the image's build stage compiles the exporter: 16 min on 2 cores),
# so it is not in the default ctest run; later runs reuse the base and the package layer, and
# recompile only for a new commit or source edit.
#   tests/container/run.sh [BUILD_DIR]    (BUILD_DIR holds the native silicon_exporter; default build)
# Needs root (or passwordless sudo) for dockerd and debootstrap, and Debian's docker.io,
# docker-compose, debootstrap and prometheus packages (deploy/install-deps.sh test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
export EXPORTER=$build/silicon_exporter FIXTURES=$repo/tests/fixtures DEPLOY=$repo/deploy
[[ -x $EXPORTER ]] || { echo "no $EXPORTER: build the exporter first (README)" >&2; exit 1; }

"$repo/tests/e2e/ensure_dockerd.sh" >/dev/null
base=$("$here/make_base.sh")
echo "base image: $base"

# The image under the tag compose.yaml's linux-exporter profile names. No BuildKit in Debian 12's
# docker.io: the legacy builder, on the host network so that apt reaches this machine's mirror.
export IMAGE=silicon_exporter:local PROMETHEUS_IMAGE=silicon-test/prometheus:debian12
version=$(sed -n 's/^project(silicon_exporter VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
revision=$(git -C "$repo" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# build_image TAG DOCKERFILE CONTEXT [BUILD_ARGS...]: quiet unless it fails (the legacy builder
# also prints a deprecation notice on every build).
build_image() {
  local tag=$1 dockerfile=$2 context=$3 start log
  shift 3
  start=$(date +%s)
  log=$(mktemp)
  if ! DOCKER_BUILDKIT=0 docker build --network host -f "$dockerfile" "$@" -t "$tag" "$context" >"$log" 2>&1; then
    tail -30 "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  echo "built $tag in $(($(date +%s) - start)) s"
}
build_image "$IMAGE" "$repo/deploy/container/Dockerfile" "$repo" \
  --build-arg BASE="$base" --build-arg VERSION="$version" --build-arg REVISION="$revision"
build_image "$PROMETHEUS_IMAGE" "$here/prometheus.Dockerfile" "$here" --build-arg BASE="$base"

bash "$here/image_test.sh"
bash "$here/compose_test.sh"
echo "ok: container image and compose stack"
