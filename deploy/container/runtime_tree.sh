#!/usr/bin/env bash
# Lays out the container's whole file system under ROOT (deploy/container/Dockerfile's build stage):
# the binary, every shared library ldd lists for it, and libcurl with the libraries ldd lists for
# that (the docker collector loads libcurl with dlopen, so the binary's own ldd does not name it),
# each in its real directory of Debian's merged /usr; the Debian copyright file of each package
# they come from; a passwd and group naming the user the image runs as.
# The TLS module (silicon_exporter_tls.so, dlopened on the first tls_server_config) goes beside
# the binary, where the exporter looks for it first, with the libraries ldd lists for it.
#   runtime_tree.sh BINARY TLS_MODULE ROOT
set -euo pipefail
binary=$1 tls_module=$2 root=$3

# dpkg records some libraries under /lib and some under /usr/lib (merged /usr makes them one).
owning_package() {
  local path=$1 real
  real=$(readlink -f "$path")
  for candidate in "$path" "$real" "${real#/usr}" "/usr$path"; do
    dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 && return 0
  done
  echo "no package owns $path" >&2
  return 1
}

mkdir -p "$root/usr/local/bin" "$root/usr/lib" "$root/usr/lib64" "$root/etc"
ln -sfn usr/lib "$root/lib"
ln -sfn usr/lib64 "$root/lib64"
install -m 0755 "$binary" "$root/usr/local/bin/silicon_exporter"
install -m 0644 "$tls_module" "$root/usr/local/bin/silicon_exporter_tls.so"

curl_library=$(ldconfig -p | awk '$1 == "libcurl.so.4" { print $NF; exit }')
[[ -n $curl_library ]] || { echo "libcurl.so.4 is not installed" >&2; exit 1; }
libraries=$({ ldd "$binary"; ldd "$tls_module"; ldd "$curl_library"; echo "$curl_library"; } |
            grep -o '/[^ ]*' | sort -u)
for library in $libraries; do
  directory=$(readlink -f "$(dirname "$library")")
  mkdir -p "$root$directory"
  cp -L "$library" "$root$directory/$(basename "$library")"
  package=$(owning_package "$library")
  mkdir -p "$root/usr/share/doc/$package"
  cp "/usr/share/doc/$package/copyright" "$root/usr/share/doc/$package/"
done

printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' \
  >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# What ldd missed fails here, in the build, rather than in a user's container.
chroot "$root" /usr/local/bin/silicon_exporter --version
echo "runtime tree: $(wc -w <<<"$libraries") libraries, $(du -sh "$root" | cut -f1)"
