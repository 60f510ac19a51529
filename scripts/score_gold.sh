#!/usr/bin/env bash
# Scores the release build on the visible gold set (../shared/gold) with the gold scorer.
set -u
cd "$(dirname "$0")/.."
bin=target/release/milepost
out=$(mktemp -d)
$bin extract ../shared/gold/docs/*.pdf -o "$out/r.jsonl" 2>"$out/err.txt"
python3 ../shared/gold/score.py --truth ../shared/gold/truth --pred "$out/r.jsonl" | tail -${1:-12}
