#!/usr/bin/env bash
# Throughput of `owa440 batch` on generated cases with 1 and with 2 jobs, and its peak memory at 1,000 and at
# 4,000 cases.
#
#   benches/batch_throughput.sh                    # 1,000 cases of ~1 MB of log each; memory also at 4,000
#   CASES=500 BIG=2000 RUNS=5 benches/batch_throughput.sh
#
# The cases come from `gencases` (src/bin/gencases.rs, deterministic): one folder per Client Access server with
# its security policy export, `net localgroup Guests`, `net user` for the anonymous account, the IIS 6 metabase or
# IIS 7 applicationHost.config, `Get-OwaVirtualDirectory | Format-List` and about LOG_BYTES of W3C log; healthy, one
# of the six causes, or two. The BIG cases are generated once and the first CASES of them are hard-linked into a
# second folder. Each timing is the best of RUNS runs, 1 and 2 jobs alternating, on a warm page cache; peak RSS is
# /usr/bin/time's maximum resident set size of the 2-job run. "CPUs busy" is CPU time over wall time: on a machine
# shared with other work, the share of the cores the run was given. "waits" counts the voluntary context switches
# (a thread blocking on a lock or on I/O): a handful means the workers never wait for each other.
set -euo pipefail
cd "$(dirname "$0")/.."

CASES=${CASES:-1000}
BIG=${BIG:-4000}
RUNS=${RUNS:-3}
LOG_BYTES=${LOG_BYTES:-1000000}
cargo build --release --bins >&2

if [ ! -x /usr/bin/time ]; then
  echo "installing time..." >&2
  apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
target/release/gencases --cases "$BIG" --out "$dir/big" --log-bytes "$LOG_BYTES"
mkdir "$dir/small"
for c in $(ls "$dir/big" | head -n "$CASES"); do cp -al "$dir/big/$c" "$dir/small/$c"; done
bytes=$(du -sb "$dir/small" | cut -f1)

warm() { find "$1" -type f -exec cat {} + > /dev/null; }

# One timed run: prints "wall_seconds peak_rss_kib cpu_seconds voluntary_context_switches".
timed() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -o "$dir/time.txt" -f "%M %U %S %w" target/release/owa440 batch "$@" --out "$dir/results.jsonl" --color never > "$dir/summary.txt"
  t1=$(date +%s%N)
  tail -n 1 "$dir/summary.txt" | grep -q ' 0 failed' || { echo "a case failed:" >&2; tail -n 1 "$dir/summary.txt" >&2; exit 1; }
  read -r m u s w < "$dir/time.txt"
  awk -v a="$t0" -v b="$t1" -v m="$m" -v u="$u" -v s="$s" -v w="$w" 'BEGIN{printf "%.3f %d %.2f %d\n", (b - a) / 1e9, m, u + s, w}'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN{print (b == "" || a < b) ? a : b}'; }

warm "$dir/small"
timed "$dir/small" --jobs 2 > /dev/null # untimed pass
best1="" best2="" cpu1="" cpu2="" w1="" w2="" rss_small=""
for _ in $(seq "$RUNS"); do
  read -r t _ c w < <(timed "$dir/small" --jobs 1)
  if [ -z "$best1" ] || [ "$(min "$t" "$best1")" = "$t" ]; then best1=$t; cpu1=$c; w1=$w; fi
  read -r t m c w < <(timed "$dir/small" --jobs 2)
  if [ -z "$best2" ] || [ "$(min "$t" "$best2")" = "$t" ]; then best2=$t; cpu2=$c; w2=$w; rss_small=$m; fi
done

warm "$dir/big"
timed "$dir/big" --jobs 2 > /dev/null # untimed pass
read -r t_big rss_big _ _ < <(timed "$dir/big" --jobs 2)

rate() { awk -v n="$1" -v t="$2" 'BEGIN{printf "%.0f", n / (t > 0 ? t : 0.001)}'; }
busy() { awk -v c="$1" -v t="$2" 'BEGIN{printf "%.2f", c / (t > 0 ? t : 0.001)}'; }
echo "cases: $CASES ($((bytes / 1000000)) MB on disk, $LOG_BYTES bytes of log each); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %8s s %6s cases/s   CPU %s s (%s CPUs busy, %s waits)\n' "batch --jobs 1" "$best1" \
  "$(rate "$CASES" "$best1")" "$cpu1" "$(busy "$cpu1" "$best1")" "$w1"
printf '%-16s %8s s %6s cases/s   CPU %s s (%s CPUs busy, %s waits)   %s x 1 job\n' "batch --jobs 2" "$best2" \
  "$(rate "$CASES" "$best2")" "$cpu2" "$(busy "$cpu2" "$best2")" "$w2" \
  "$(awk -v a="$best1" -v b="$best2" 'BEGIN{printf "%.2f", a / (b > 0 ? b : 0.001)}')"
printf 'peak RSS (2 jobs): %s cases %s KiB, %s cases %s KiB (%s x; %s cases/s)\n' "$CASES" "$rss_small" "$BIG" "$rss_big" \
  "$(awk -v a="$rss_big" -v b="$rss_small" 'BEGIN{printf "%.2f", a / b}')" "$(rate "$BIG" "$t_big")"
