#!/usr/bin/env bash
# Kill test for `milepost run` (issue 6): start a run on many inputs, SIGKILL it at a random
# moment, 20 times. After each kill: no half-written output (every results file present is
# identical to the clean run's), and a re-run completes and matches a clean run.
#
#   cargo build --release && bash tests/kill_test.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/milepost}
ROUNDS=${1:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
# Many inputs: the gold documents, three times over under different names.
for k in 1 2 3; do
  for f in ../shared/gold/docs/*.pdf; do cp "$f" "$work/in/$k-$(basename "$f")"; done
done
# Exit 1 is tolerated (a pack that cannot be made); every gold document gets one now.
run() { "$BIN" -q run "$@" 2>/dev/null || [ $? -eq 1 ]; }
run "$work/in" -o "$work/clean" --jobs 2
compare() { # every records/tables file in $1 must equal the clean run's
  local bad=0
  while IFS= read -r f; do
    rel=${f#"$1"/}
    case "$rel" in
      *.tmp-*|.milepost.lock) continue ;;
      manifest*.json) python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f" || { echo "broken $rel"; bad=1; } ;;
      *.xlsx) python3 -c "import zipfile,sys; assert zipfile.ZipFile(sys.argv[1]).testzip() is None" "$f" || { echo "broken $rel"; bad=1; } ;;
      *) cmp -s "$f" "$work/clean/$rel" || { echo "differs: $rel"; bad=1; } ;;
    esac
  done < <(find "$1" -type f)
  return $bad
}
fails=0
for i in $(seq 1 "$ROUNDS"); do
  "$BIN" -q run "$work/in" -o "$work/out" --force --jobs 2 2>/dev/null &
  pid=$!
  sleep "0.$(( RANDOM % 60 ))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if ! compare "$work/out"; then echo "round $i: a partial or wrong file after the kill"; fails=$((fails+1)); fi
  run "$work/in" -o "$work/out" --jobs 2
  if ! cmp -s "$work/out/records.jsonl" "$work/clean/records.jsonl" || ! compare "$work/out"; then
    echo "round $i: the re-run does not match the clean run"; fails=$((fails+1))
  fi
  if find "$work/out" -name '*.tmp-*' | grep -q .; then echo "round $i: temp files left after the re-run"; fails=$((fails+1)); fi
done
echo "kill test: $ROUNDS rounds, $fails failed"
[ "$fails" -eq 0 ]
