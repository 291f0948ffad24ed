#!/usr/bin/env bash
# The quality table of docs/BENCHMARKS.md: every model on the three NCF splits, chosen on validation.
# Usage: scripts/bench-quality.sh [out-dir]   (one JSON-lines file per split and model; the summary line is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results/quality}
mkdir -p "$out"
export REEL_REBUILD=1 # the first run builds dist-bench from this checkout
for split in ml-100k ml-latest-small ml-1m; do
  if [ "$split" = ml-1m ]; then data=ncf:../shared/data/ncf-ml-1m/ml-1m; else data=ncf:../shared/data/ncf-splits/$split; fi
  for model in itempop ease ials neumf paper; do
    case $model in
      neumf) flags=() ;;
      paper) flags=(--paper) ;;
      *) flags=(--baseline "$model") ;;
    esac
    echo "== $split $model" >&2
    npm run bench --silent -- --data "$data" "${flags[@]}" >"$out/${split}_$model.jsonl"
    tail -1 "$out/${split}_$model.jsonl"
    unset REEL_REBUILD
  done
done
