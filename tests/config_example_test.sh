#!/usr/bin/env bash
# docs/configuration.md's example config is one the exporter accepts (--config.check), also with
# every commented-out "# key: value" line switched on, and it names every collector the binary has
# and every key the config parsers accept.
set -u
cd "$(dirname "$0")/.."
EXPORTER=${EXPORTER:?set EXPORTER to the silicon_exporter binary}
DOC=docs/configuration.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# The first yaml block after the "## Config file" heading.
awk '/^## Config file/ { section = 1 } section && /^```yaml/ { inside = 1; next } inside && /^```/ { exit } inside' \
  "$DOC" >"$work/example.yml"
[[ -s $work/example.yml ]] || fail "no yaml block under '## Config file' in $DOC"
"$EXPORTER" --config.check --config.file="$work/example.yml" || fail "$DOC's example refused"

sed -E 's/^( *)# ([a-z_]+: )/\1\2/' "$work/example.yml" >"$work/switched-on.yml"
"$EXPORTER" --config.check --config.file="$work/switched-on.yml" ||
  fail "$DOC's example refused with its commented-out keys switched on"

# --help lists the collectors, two spaces in, under "Collectors (".
collectors=$("$EXPORTER" --help 2>&1 | awk '/^Collectors \(/ { on = 1; next } on && /^  [a-z_]+ / { print $1 } on && !/^  / { exit }')
[[ -n $collectors ]] || fail "no collector list in --help"
for name in $collectors; do
  grep -qE "^  $name:" "$work/example.yml" || fail "collector $name missing from $DOC's example"
done
# Every key the parsers accept: the mapping tables of exporter/config_file.cpp and each collector's
# handlers["key"] (collectors/*/*_config.cpp).
keys=$({ grep -hoE '\{"[a-z_]+",' exporter/config_file.cpp; grep -rhoE 'handlers\["[a-z_]+"\]' collectors; } |
  grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)
[[ -n $keys ]] || fail "found no config key in the parsers"
for key in $keys; do
  grep -qE "^ *$key:" "$work/switched-on.yml" || fail "config key $key missing from $DOC's example"
done
echo "PASS: $DOC's example accepted as written and with its optional keys on; names every collector ($(wc -w <<<"$collectors")) and key ($(wc -w <<<"$keys"))"
