#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [TARGET...]: runs every fuzz target (or the ones named) for SECONDS each (default 60), one
# worker, its corpus seeded from fixtures/ and ../shared/peer/. Needs cargo-fuzz (installed if missing); runs on the
# stable toolchain without a sanitizer (-s none) but with debug assertions (-a), so an integer overflow is a crash.
# Prints one line per target: seconds, executions, corpus size, findings. A crash, timeout or out-of-memory input is
# left under fuzz/artifacts/TARGET/: minimise it (cargo fuzz tmin -s none -a TARGET FILE), fix the reader and keep
# the input in tests/regressions/. Exit status 1 if any target left a finding.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || exit 1
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
cargo fuzz build -s none -a >/dev/null || exit 1
seed() { # target -> seed files, one a line
  case "$1" in
    secedit) find fixtures ../shared/peer/secedit -type f \( -name '*.inf' -o -name '*.cfg' \) ;;
    net_user) find fixtures ../shared/peer/netuser -type f -name '*.txt' ;;
    local_group_member) find fixtures ../shared/peer/netuser -type f -name '*.xml' ;;
    metabase|apphost) find fixtures ../shared/peer/iisconfig -type f \( -name '*.xml' -o -name '*.config' \) ;;
    w3c_log) find fixtures ../shared/peer/iislog -type f \( -name '*.log' -o -name '*.txt' -o -name '*.[0-9]' \) ;;
    owa_vdir_*) find fixtures ../shared/peer/owa_vdir -type f \( -iname '*vdir*' -o -iname '*VirtualDirectory*' \) ;;
    ad_user|ldif) find fixtures -type f \( -name '*.txt' -o -name '*.ldf' \) ;;
    evtx) find fixtures ../shared/peer/evtx -type f -name '*.evtx' ;;
    event_xml|event_csv) find fixtures -type f \( -name '*.xml' -o -name '*.csv' \) ;;
    bundle_zip) # the zipped fixtures, and every fixture folder zipped
      find fixtures -type f -name '*.zip'
      command -v zip >/dev/null || return 0
      mkdir -p fuzz/target/seed-zips
      for d in fixtures/*/; do
        z="$PWD/fuzz/target/seed-zips/$(basename "$d").zip"
        (cd "$d" && rm -f "$z" && zip -qr "$z" . -x expected.json) && echo "$z"
      done ;;
    *) find fixtures -type f ! -name expected.json ;;
  esac 2>/dev/null
}
status=0
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  artifacts="fuzz/artifacts/$t"
  mkdir -p "$corpus" "$artifacts"
  # Seeds are named for their content, so same-named files of different fixtures all get in.
  seed "$t" | while IFS= read -r f; do
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 2000000 ] && cp "$f" "$corpus/$(sha1sum <"$f" | cut -c1-40)"
  done
  log="fuzz/artifacts/$t.log"
  started=$(date +%s)
  cargo fuzz run -s none -a "$t" "$corpus" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -max_len=262144 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  took=$(($(date +%s) - started))
  found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  printf '%-20s %6ss %12s execs %6s corpus %3s findings\n' "$t" "$took" "${runs:-?}" "$(ls "$corpus" | wc -l)" "$found"
  if [ "$found" -gt 0 ]; then
    status=1
    grep -E 'panicked|SUMMARY|ERROR: libFuzzer' "$log" | head -5
  fi
done
exit $status
