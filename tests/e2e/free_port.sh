# free_port: a TCP port nothing listens on right now on 127.0.0.1 (for peers that cannot take
# port 0 and report what they bound). Sourced by the end-to-end tests and the benchmarks.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
