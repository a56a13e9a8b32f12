#!/usr/bin/env bash
# A full macOS build on Debian: silicon_exporter for arm64-apple-macos13, compiled by Debian's clang
# and linked by ld64.lld against a macOS SDK's .tbd stubs. The dependencies are cross-built first
# from Debian's own source packages (apt-get source) with the same toolchain file. ld64.lld refuses
# to link with any symbol unresolved, so a binary at the end means every symbol was found in a
# static library built here or in the SDK's stubs. What that proves and does not: docs/macos.md.
# Not for CI: it downloads sources. Run as root (apt-get source) on a Debian 12 with deb-src lines.
#
# usage: tests/macos/cross_build.sh SDK_DIR [BUILD_DIR]     (default BUILD_DIR: build-macos-arm64)
#   SDK_DIR  a macOS SDK with .tbd stubs: usr/include (c++/v1 too), usr/lib/libSystem.B.tbd and
#            libc++.1.tbd, System/Library/Frameworks/{IOKit,CoreFoundation,Foundation}.framework.
#            One public copy: git clone --depth 1 https://github.com/hexops/sdk-macos-13.3 and pass
#            its root/ folder. Never commit it.
#   MACOS_CROSS_CACHE  sources and the built dependencies (default /var/tmp/macos-cross); reruns
#            reuse them and take a minute. JOBS: parallel jobs (default 2).
# Needs: clang, lld (ld64.lld), llvm (llvm-ar, llvm-ranlib, llvm-nm, llvm-objdump), cmake, perl, pkg-config,
# dpkg-dev (dpkg-source), file, python3-six and unicode-data (RE2's tables), deb-src entries for bookworm.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sdk=$(realpath "${1:?usage: cross_build.sh SDK_DIR [BUILD_DIR]}")
build=$(realpath -m "${2:-$root/build-macos-arm64}")
cache=${MACOS_CROSS_CACHE:-/var/tmp/macos-cross}
jobs=${JOBS:-2}
toolchain=$here/arm64-apple-macos13.cmake
prefix=$cache/prefix
unset LIBRARY_PATH CPATH C_INCLUDE_PATH CPLUS_INCLUDE_PATH  # host paths must not reach the link
export MACOS_SDK=$sdk

for stub in usr/lib/libSystem.B.tbd usr/lib/libc++.1.tbd usr/include/c++/v1/vector \
            System/Library/Frameworks/IOKit.framework/IOKit.tbd \
            System/Library/Frameworks/CoreFoundation.framework/CoreFoundation.tbd \
            System/Library/Frameworks/Foundation.framework/Foundation.tbd; do
  [[ -e $sdk/$stub ]] || { echo "SDK $sdk lacks $stub" >&2; exit 2; }
done
for tool in clang clang++ cmake perl python3 pkg-config dpkg-source apt-get file; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done
# clang runs ld64.lld from its own folder (Debian: /usr/lib/llvm-14/bin, package lld-14).
llvm_bin=$(dirname "$(readlink -f "$(command -v clang)")")
for tool in ld64.lld llvm-ar llvm-ranlib llvm-nm llvm-objdump; do
  [[ -x $llvm_bin/$tool ]] || { echo "needs $llvm_bin/$tool" >&2; exit 2; }
done
nm=$llvm_bin/llvm-nm objdump=$llvm_bin/llvm-objdump
mkdir -p "$cache/src" "$prefix"
start=$SECONDS
log() { printf '== [%4ds] %s\n' $((SECONDS - start)) "$*"; }

# unpack PACKAGE: Debian's source package with its patches applied, once; prints the folder.
unpack() {
  local dir=$cache/src/$1
  if [[ ! -d $dir ]]; then
    (cd "$cache/src" && apt-get source --download-only "$1" >/dev/null 2>&1) \
      || { echo "apt-get source $1 failed: is there a deb-src line for bookworm?" >&2; exit 2; }
    dpkg-source --no-check -x "$(ls "$cache/src/$1"_*.dsc | head -1)" "$dir" >/dev/null
  fi
  echo "$dir"
}
# cmake_dep PACKAGE [CMAKE OPTIONS]: configure, build and install a CMake project into $prefix.
cmake_dep() {
  local pkg=$1; shift
  [[ -e $prefix/.done-$pkg ]] && return
  local src; src=$(unpack "$pkg")
  log "building $pkg ($(basename "$(ls "$cache/src/$pkg"_*.dsc | head -1)" .dsc))"
  cmake -S "$src" -B "$cache/build/$pkg" -G "Unix Makefiles" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_FIND_ROOT_PATH="$prefix" -DBUILD_SHARED_LIBS=OFF "$@" >"$cache/build-$pkg.log" 2>&1 \
    && cmake --build "$cache/build/$pkg" -j"$jobs" >>"$cache/build-$pkg.log" 2>&1 \
    && cmake --install "$cache/build/$pkg" >>"$cache/build-$pkg.log" 2>&1 \
    || { tail -30 "$cache/build-$pkg.log"; echo "building $pkg failed: $cache/build-$pkg.log" >&2; exit 1; }
  touch "$prefix/.done-$pkg"
}

# Static libraries throughout, as a self-contained binary needs no install names or rpaths. zlib
# and libcurl are the SDK's own (libz.tbd; curl is only dlopened, its headers come from the SDK).
cmake_dep fmtlib -DFMT_TEST=OFF -DFMT_DOC=OFF
cmake_dep spdlog -DSPDLOG_FMT_EXTERNAL=ON -DSPDLOG_BUILD_EXAMPLE=OFF -DSPDLOG_BUILD_TESTS=OFF
cmake_dep yaml-cpp -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF -DYAML_CPP_BUILD_CONTRIB=OFF \
  -DYAML_BUILD_SHARED_LIBS=OFF
cmake_dep prometheus-cpp -DENABLE_PULL=OFF -DENABLE_PUSH=OFF -DENABLE_COMPRESSION=OFF -DENABLE_TESTING=OFF \
  -DUSE_THIRDPARTY_LIBRARIES=OFF -DGENERATE_PKGCONFIG=OFF
cmake_dep nlohmann-json3 -DJSON_BuildTests=OFF
# RE2 (the exclude patterns): Debian 12's 2022-06 release needs no Abseil. The project finds it
# through pkg-config, as on a Mac with Homebrew; its CMake install writes no re2.pc, so one is
# written here, and pkg-config looks only in the prefix (PKG_CONFIG_LIBDIR below).
# Debian's source leaves out the generated tables; they are made on the host, as its own build
# does, from Debian's Unicode data (packages unicode-data, python3-six).
if [[ ! -e $prefix/.done-re2 ]]; then
  re2_src=$(unpack re2)
  # Each table is written beside its final name and renamed when complete, so a run that
  # failed half-way (say, unicode-data missing) leaves no empty table for the next run to trust.
  make_table() {  # make_table OUTPUT COMMAND...
    [[ -s $re2_src/re2/$1 ]] && return 0
    (cd "$re2_src/re2" && "${@:2}" >"$1.partial" && [[ -s $1.partial ]] && mv "$1.partial" "$1") || {
      rm -f "$re2_src/re2/$1.partial"
      echo "cannot generate RE2's $1: needs perl, python3-six and unicode-data" >&2; exit 2; }
  }
  make_table perl_groups.cc perl make_perl_groups.pl
  make_table unicode_casefold.cc python3 make_unicode_casefold.py
  make_table unicode_groups.cc python3 make_unicode_groups.py
fi
cmake_dep re2 -DRE2_BUILD_TESTING=OFF
if [[ ! -e $prefix/lib/pkgconfig/re2.pc ]]; then
  mkdir -p "$prefix/lib/pkgconfig"
  printf 'prefix=%s\nName: re2\nDescription: RE2, cross-built for arm64 macOS\nVersion: 0\nLibs: -L${prefix}/lib -lre2\nCflags: -I${prefix}/include -pthread\n' \
    "$prefix" >"$prefix/lib/pkgconfig/re2.pc"
fi
export PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig PKG_CONFIG_PATH=

# OpenSSL: its own Configure, for darwin64-arm64-cc, in C only (no-asm), libraries only.
if [[ ! -e $prefix/.done-openssl ]]; then
  src=$(unpack openssl)
  log "building openssl ($(basename "$(ls "$cache/src/openssl"_*.dsc | head -1)" .dsc)), the long one"
  (cd "$src" && make distclean >/dev/null 2>&1 || true
   cd "$src" && CC="clang --target=arm64-apple-macos13.0 -isysroot $sdk" AR="$llvm_bin/llvm-ar" \
     RANLIB="$llvm_bin/llvm-ranlib" ./Configure darwin64-arm64-cc no-asm no-shared no-tests \
     --prefix="$prefix" --libdir=lib \
     && make -j"$jobs" build_libs && make install_dev) >"$cache/build-openssl.log" 2>&1 \
    || { tail -30 "$cache/build-openssl.log"; echo "building openssl failed: $cache/build-openssl.log" >&2; exit 1; }
  touch "$prefix/.done-openssl"
fi

# Boost: headers only (Beast, Asio). Debian 12's default 1.74 does not build under libc++'s C++20
# (CMakeLists.txt says why); its libboost1.81-dev has the headers, unpacked and never installed.
if [[ ! -e $prefix/.done-boost ]]; then
  log "unpacking libboost1.81-dev headers"
  rm -rf "$cache/boost" && mkdir -p "$cache/boost"
  (cd "$cache/boost" && apt-get download libboost1.81-dev >/dev/null 2>&1 && dpkg -x libboost1.81-dev_*.deb .) \
    || { echo "apt-get download libboost1.81-dev failed" >&2; exit 2; }
  # Headers only: CMake's FindBoost finds boost/version.hpp under the prefix.
  rm -rf "$prefix/include/boost" && cp -a "$cache/boost/usr/include/boost" "$prefix/include/"
  touch "$prefix/.done-boost"
fi
log "dependencies ready in $prefix"

# silicon_exporter itself, with the project's own CMakeLists.txt, as a Mac user would build it.
log "configuring silicon_exporter in $build"
t0=$SECONDS
cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix" -DSILICON_BUILD_TESTS=OFF \
  -DSILICON_WERROR=ON ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} \
  >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; exit 1; }
log "building silicon_exporter (-j$jobs)"
cmake --build "$build" -j"$jobs" --target silicon_exporter
bin=$build/silicon_exporter
log "built in $((SECONDS - t0)) s: $(stat -c %s "$bin") bytes"

# The checks: the Mach-O header says no undefined symbols (ld64.lld would not have written the file
# otherwise); every imported symbol is bound to one of the SDK's libraries, none to flat lookup.
echo "file: $(file -b "$bin")"
"$objdump" --macho --private-header "$bin" | grep -q NOUNDEFS \
  || { echo "the Mach-O header lacks NOUNDEFS" >&2; exit 1; }
echo "libraries it loads:"
"$objdump" --macho --dylibs-used "$bin" | tail -n +2
imports=$("$nm" -u "$bin" | wc -l)
# (library, symbol) of every bind and lazy bind; weak binds are the binary's own coalesced symbols.
"$objdump" --macho --bind --lazy-bind --weak-bind "$bin" | awk '
  /^Bind table:/ { t = "bind"; next } /^Lazy bind table:/ { t = "lazy"; next } /^Weak bind table:/ { t = ""; next }
  $1 == "segment" { next }
  t == "bind" && NF >= 7 { print $6, $7 } t == "lazy" && NF >= 5 { print $4, $5 }' | sort -u >"$build/binds.txt"
flat=$(grep -c '^flat-namespace ' "$build/binds.txt" || true)
# Independently of ld64.lld: each bound symbol must be among the exports of its library's .tbd
# (libc++ re-exports libc++abi, libSystem its /usr/lib/system libraries, all in the same files).
tbds_of() {
  case $1 in
    libc++) echo "$sdk/usr/lib/libc++.1.tbd $sdk/usr/lib/libc++abi.tbd" ;;
    libSystem) echo "$sdk/usr/lib/libSystem.B.tbd" ;;
    libobjc) echo "$sdk/usr/lib/libobjc.A.tbd" ;;
    libz) echo "$sdk/usr/lib/libz.1.tbd" ;;
    *) echo "$sdk/System/Library/Frameworks/$1.framework/$1.tbd" ;;
  esac
}
unexported=0
for lib in $(cut -d' ' -f1 "$build/binds.txt" | sort -u); do
  # shellcheck disable=SC2046
  cat $(tbds_of "$lib") | tr -s "[:space:][],'" '\n' | sort -u >"$build/exports-$lib.txt"
  missing=$(awk -v l="$lib" '$1 == l { print $2 }' "$build/binds.txt" | sort -u | comm -23 - "$build/exports-$lib.txt")
  count=$(awk -v l="$lib" '$1 == l' "$build/binds.txt" | wc -l)
  printf '  %-16s %4d symbols bound, %d not in its .tbd\n' "$lib" "$count" "$(grep -c . <<<"$missing" || true)"
  [[ -n $missing ]] && { echo "$missing" | head -5; unexported=$((unexported + 1)); }
done
echo "imported symbols: $imports (llvm-nm -u); flat-namespace lookups: $flat"
((flat == 0)) || { echo "symbols left to flat-namespace lookup" >&2; exit 1; }
((unexported == 0)) || { echo "symbols bound to a library whose .tbd does not export them" >&2; exit 1; }
log "done: zero undefined symbols; every import is exported by the SDK stub it binds to"
