# only_collectors EXPORTER KEEP...: "--no-collector.NAME" for every collector EXPORTER's --help
# lists that KEEP does not name. KEEP are collector names or --collector.NAME flags, so a list of
# an exporter's own arguments can be passed whole (other arguments never match a name).
# Sourced by the tests and benchmarks that run one collector, or a set, alone.
only_collectors() {
  local exporter=$1; shift
  local names=("${@#--collector.}")
  "$exporter" --help | awk -v keep=" ${names[*]} " \
    '/^Collectors/ { listed = 1; next } listed && NF && index(keep, " " $1 " ") == 0 { print "--no-collector." $1 }'
}
