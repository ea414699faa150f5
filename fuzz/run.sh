#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), its corpus seeded from fixtures/ and ../shared/peer/.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); runs on the stable toolchain without a sanitizer (-s none).
# A crash leaves its input under fuzz/artifacts/TARGET/: copy it to tests/regressions/ once fixed.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo fuzz list)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo fuzz build -s none >/dev/null || exit 1
seed() { # target -> seed files
  case "$1" in
    secedit) ls fixtures/*/*.inf ../shared/peer/secedit/* ;;
    net_user) ls fixtures/*/*.txt ../shared/peer/netuser/*.txt ;;
    local_group_member) ls ../shared/peer/netuser/*.xml ;;
    metabase|apphost) ls fixtures/*/*.xml fixtures/*/*.config ../shared/peer/iisconfig/* ;;
    w3c_log) ls fixtures/*/*.log ../shared/peer/iislog/* ;;
    owa_vdir_*) ls fixtures/*/*vdir* ../shared/peer/owa_vdir/* ;;
    ad_user|ldif) ls fixtures/*/*.txt fixtures/*/*.ldf ;;
    evtx) ls ../shared/peer/evtx/*.evtx ;;
    event_xml|event_csv) ls fixtures/*/*.xml fixtures/*/*.csv ;;
    bundle_zip) ls fixtures/*/*.zip ;;
    *) ls fixtures/*/* ;;
  esac 2>/dev/null
}
status=0
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  mkdir -p "$corpus"
  seed "$t" | while read -r f; do [ -f "$f" ] && [ "$(stat -c %s "$f")" -lt 2000000 ] && cp "$f" "$corpus/" ; done
  echo "== $t ($secs s)"
  if ! cargo fuzz run -s none "$t" "$corpus" -- -max_total_time="$secs" -rss_limit_mb=4096 -max_len=262144 2>&1 | grep -E "^(Done|#[0-9]+ +DONE)|panicked|SUMMARY|Test unit written"; then :; fi
  ls fuzz/artifacts/"$t"/crash-* 2>/dev/null && status=1
done
exit $status
