#!/usr/bin/env bash
# Seeds the fuzz corpora (fuzz/corpus/, not committed) from the bundled scenarios and actuals
# and the regression inputs. Run from anywhere; the fuzz targets are then run from the
# repository's root, where the seeds' `extends:` paths resolve.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/scenario fuzz/corpus/actuals
for file in scenarios/*/*.yaml; do
  # `extends` is relative to the scenario's folder; the target reads from the root.
  sed -E "s#^extends: (.*)#extends: $(dirname "$file")/\1#" "$file" \
    > "fuzz/corpus/scenario/$(echo "$file" | tr / _)"
done
cp tests/fuzz-regressions/scenario/* fuzz/corpus/scenario/
cp actuals/*.csv tests/fuzz-regressions/actuals/* fuzz/corpus/actuals/
