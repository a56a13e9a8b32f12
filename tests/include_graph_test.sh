#!/usr/bin/env bash
# The layers, read from the #include "..." lines: core/ (the ground floor) includes only core/;
# a collector includes core/ and its own folder, never the application (exporter/) or another
# collector; the HTTP server (exporter/http/) includes core/ and itself, never a collector or the
# rest of the application. Fails naming every include that breaks that. docs/adding-a-collector.md says why.
set -u
cd "$(dirname "$0")/.."

broken=0
checked=0
while IFS= read -r -d '' file; do
  layer=${file%%/*}
  [[ $file == exporter/http/* ]] && layer=http
  own=$(dirname "$file")
  while IFS= read -r target; do
    checked=$((checked + 1))
    case $layer in
      core) [[ $target == core/* || $target == version.h ]] && continue ;;
      collectors) [[ $target == core/* || $target == "$own"/* ]] && continue ;;
      http) [[ $target == core/* || $target == exporter/http/* ]] && continue ;;
    esac
    echo "FAIL: $file includes \"$target\" ($layer may not reach there)"
    broken=$((broken + 1))
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
done < <(find core collectors exporter/http -type f \( -name '*.h' -o -name '*.cpp' -o -name '*.mm' \) -print0)

# The check must have looked at something: an empty walk would pass for the wrong reason.
((checked > 50)) || { echo "FAIL: only $checked includes found under core/ and collectors/"; exit 1; }
if ((broken)); then
  echo "$broken include(s) break the layers"
  exit 1
fi
echo "PASS: $checked includes under core/, collectors/ and exporter/http/ stay within their layers"
