# What a process costs, from /proc, for the tests and benchmarks that compare or report it.
# Sourced; PID is a process of this machine.
# cpu_ticks PID: utime + stime, in clock ticks (proc(5) fields 14 and 15; the name in field 2 may
# hold spaces and parentheses, so fields are counted after its last ") ").
cpu_ticks() { awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat"; }
# rss_kib PID, hwm_kib PID: resident set now and at its peak, in KiB.
rss_kib() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/{print $2}' "/proc/$1/status"; }
