#!/usr/bin/env bash
# Every metric family the exporter can print is named, in full and in backticks, in docs/metrics.md.
# The families come from three places:
#   - the golden expositions (tests/golden/*.prom): every fixture tree's scrape and the M3 Max
#     exposition built through the macOS converters (tests/unit/macos_exposition_test.cpp);
#   - with EXPORTER set: `--once` on every fixture tree under tests/fixtures/ that has a proc/ or
#     sys/ folder, which adds what the goldens leave out as volatile (process_*, build info);
#   - the metric names written in the sources (a "silicon_..." or "process_..." literal followed by
#     its help text), for what no fixture can show here: Docker, NVML, the HTTP server, macOS-only.
# Fails naming every family the document lacks.
set -u
cd "$(dirname "$0")/.."
DOC=docs/metrics.md
FIXTURES=${FIXTURES:-tests/fixtures}

names=$(mktemp)
trap 'rm -f "$names"' EXIT

for golden in tests/golden/*.prom; do
  awk -v from="$golden" '$1 == "#" && $2 == "TYPE" { print $3, from }' "$golden" >>"$names"
done

trees=0
if [[ -n ${EXPORTER:-} ]]; then
  for tree in "$FIXTURES"/*/; do
    tree=${tree%/}
    [[ -d $tree/proc || -d $tree/sys ]] || continue
    flags=(--path.procfs="$tree/proc" --path.sysfs="$tree/sys" --no-collector.docker)
    [[ -d $tree/rootfs ]] && flags+=(--path.rootfs="$tree/rootfs")
    out=$("$EXPORTER" --once "${flags[@]}" 2>/dev/null) || { echo "FAIL: $tree: --once failed"; exit 1; }
    awk -v from="$tree (--once)" '$1 == "#" && $2 == "TYPE" { print $3, from }' <<<"$out" >>"$names"
    trees=$((trees + 1))
  done
fi

grep -rhoE '"(silicon|process)_[a-z0-9_]+"[[:space:]]*,' collectors core exporter --include='*.cpp' --include='*.h' |
  sed -E 's/^"([a-z0-9_]+)".*/\1 sources/' >>"$names"

missing=0
checked=0
while read -r name from; do
  checked=$((checked + 1))
  grep -qF "\`$name\`" "$DOC" && continue
  echo "FAIL: $name (from $from) is not in $DOC"
  missing=$((missing + 1))
done < <(sort -u -k1,1 "$names")

((checked > 0)) || { echo "FAIL: found no metric family at all"; exit 1; }
((missing == 0)) || exit 1
echo "PASS: all $checked metric families in $DOC (goldens, $trees fixture trees with --once, sources)"
