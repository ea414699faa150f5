#!/usr/bin/env bash
# End-to-end throughput of `owa440 logs` on a generated 500 MB Exchange log, against `wc -l` on the same file
# (the floor: reading lines and nothing else) and GoAccess (`--log-format=W3C`), with owa440's peak memory.
#
#   benches/logs_throughput.sh            # 500 MB
#   SIZE=2G RUNS=5 benches/logs_throughput.sh
#
# The log comes from `genlog` (src/bin/genlog.rs, deterministic): ActiveSync, Outlook Anywhere (RPC_IN_DATA /
# RPC_OUT_DATA), EWS with NTLM first legs, OWA with idle 440s, a header block every 64 MB, and a 401 1 1326
# fault from 80% on. Every header block repeats the IIS 7 default fields, the layout GoAccess's W3C format
# reads, so both tools see the same lines. Times are the best of RUNS runs on a warm page cache.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=${SIZE:-500M}
RUNS=${RUNS:-3}
cargo build --release --bins >&2

if ! command -v goaccess >/dev/null 2>&1; then
  echo "installing goaccess..." >&2
  apt-get install -y goaccess >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y goaccess >/dev/null 2>&1; } || true
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
log="$dir/u_ex240501.log"
target/release/genlog --size "$SIZE" --fault 1326 --fault-from 0.8 --default-fields > "$log"
bytes=$(stat -c %s "$log")
data_lines=$(grep -vc '^#' "$log" || true)
cat "$log" > /dev/null # warm the page cache

# best wall time (seconds, nanosecond clock) and the peak RSS (KiB, /usr/bin/time) of that run, of RUNS runs
best() {
  local best_t="" best_m="" t m
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -o "$dir/time.txt" -f "%M" "$@" > /dev/null 2> /dev/null
    t1=$(date +%s%N)
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", (b - a) / 1e9}')
    read -r m < "$dir/time.txt"
    if [ -z "$best_t" ] || awk "BEGIN{exit !($t < $best_t)}"; then best_t=$t; best_m=$m; fi
  done
  echo "$best_t $best_m"
}
mbps() { awk -v b="$bytes" -v t="$1" 'BEGIN{ if (t <= 0) t = 0.005; printf "%.0f", b / 1e6 / t }'; }

read -r t_wc _ < <(best wc -l "$log")
read -r t_owa m_owa < <(best target/release/owa440 logs "$log" --format json)
read -r t_owa1 m_owa1 < <(RAYON_NUM_THREADS=1 best target/release/owa440 logs "$log" --format json)
records=$(target/release/owa440 logs "$log" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["records"])')

# Memory independent of size: the same run on a log a fifth of the size.
small="$dir/small.log"
head -c $((bytes / 5)) "$log" > "$small"
read -r _ m_small < <(best target/release/owa440 logs "$small" --format json)

echo "log: $bytes bytes, $data_lines data lines; cores: $(nproc)"
printf '%-28s %8s s %8s MB/s\n' "wc -l" "$t_wc" "$(mbps "$t_wc")"
printf '%-28s %8s s %8s MB/s   %s x wc -l   peak RSS %s MiB (a fifth of the log: %s MiB)\n' \
  "owa440 logs (all cores)" "$t_owa" "$(mbps "$t_owa")" "$(awk -v a="$t_owa" -v b="$t_wc" 'BEGIN{printf "%.1f", a / (b > 0 ? b : 0.005)}')" \
  "$((m_owa / 1024))" "$((m_small / 1024))"
printf '%-28s %8s s %8s MB/s   %s x wc -l   peak RSS %s MiB\n' "owa440 logs (1 thread)" "$t_owa1" "$(mbps "$t_owa1")" \
  "$(awk -v a="$t_owa1" -v b="$t_wc" 'BEGIN{printf "%.1f", a / (b > 0 ? b : 0.005)}')" "$((m_owa1 / 1024))"
echo "owa440 records: $records of $data_lines data lines ($((data_lines - records)) rejected)"

if command -v goaccess >/dev/null 2>&1; then
  RUNS=1 best goaccess "$log" --log-format=W3C --no-progress -o "$dir/goaccess.json" > "$dir/ga.txt" || true
  read -r t_ga _ < "$dir/ga.txt"
  ga=$(python3 -c 'import json,sys; g=json.load(open(sys.argv[1]))["general"]; print(g["valid_requests"], g["failed_requests"])' "$dir/goaccess.json" 2>/dev/null || echo "? ?")
  printf '%-28s %8s s %8s MB/s   owa440 is %s x faster\n' "goaccess --log-format=W3C" "$t_ga" "$(mbps "$t_ga")" \
    "$(awk -v a="$t_ga" -v b="$t_owa" 'BEGIN{printf "%.0f", a / (b > 0 ? b : 0.005)}')"
  echo "goaccess valid/failed requests: $ga (owa440 reads every line GoAccess reads; GoAccess rejects the RPC_IN_DATA/RPC_OUT_DATA lines)"
else
  echo "goaccess: not installed, comparison skipped"
fi
