# What a process costs, from /proc, for the tests and benchmarks that compare or report it.
# Sourced; PID is a process of this machine.
# cpu_ticks PID: utime + stime, in clock ticks (proc(5) fields 14 and 15; the name in field 2 may
# hold spaces and parentheses, so fields are counted after its last ") ").
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
# rss_kib PID, hwm_kib PID: resident set now and at its peak, in KiB.
rss_kib() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/{print $2}' "/proc/$1/status"; }
# rss_by_mapping PID: resident KiB per mapped file (anonymous memory as [anon], [heap], [stack]),
# largest first, from /proc/PID/smaps: where RSS goes, libraries included.
rss_by_mapping() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6 ? $6 : "[anon]") } /^Rss:/ { kib[name] += $2 }
       END { for (n in kib) if (kib[n] > 0) printf "%8d %s\n", kib[n], n }' "/proc/$1/smaps" | sort -rn
}
