#!/usr/bin/env bash
# Makes the Debian 12 image that deploy/container/Dockerfile builds FROM where no registry can be
# reached: debootstrap's minbase of bookworm from this machine's own Debian mirror, imported as a
# one-layer image under a local tag, made once and kept. Prints the tag.
set -euo pipefail
tag=${SILICON_BASE_IMAGE:-silicon-build/debian:12-minbase}
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi

# The mirror apt uses here (deb822 .sources first, then a one-line sources.list).
mirror=$(awk -v RS= '/(^|\n)Types:[^\n]*deb([ \n]|$)/ {
           if (match($0, /URIs: [^ \n]+/)) { print substr($0, RSTART + 6, RLENGTH - 6); exit } }' \
           /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}

as_root=()
[[ $(id -u) == 0 ]] || as_root=(sudo -n)
work=$(mktemp -d /var/tmp/silicon-base.XXXXXX)
trap '"${as_root[@]}" rm -rf "$work"' EXIT
echo "debootstrap --variant=minbase bookworm from $mirror (a few minutes, once)" >&2
if ! "${as_root[@]}" debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/log" 2>&1; then
  tail -20 "$work/log" >&2
  exit 1
fi
# apt inside the image (the Dockerfile's build stage) uses the same mirror; no package caches kept.
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" |
  "${as_root[@]}" tee "$work/rootfs/etc/apt/sources.list" >/dev/null
"${as_root[@]}" find "$work/rootfs/var/cache/apt" "$work/rootfs/var/lib/apt/lists" -type f -delete
"${as_root[@]}" tar -C "$work/rootfs" --numeric-owner -c . |
  docker import --change 'CMD ["/bin/bash"]' --message "debootstrap --variant=minbase bookworm $mirror" - "$tag" >/dev/null
echo "$tag"
