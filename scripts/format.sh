#!/usr/bin/env bash
# swift-format over every Swift file of the project (the configuration: .swift-format).
#   scripts/format.sh          rewrite the files in place (make format)
#   scripts/format.sh --check  change nothing; list what is not formatted and fail (scripts/test.sh)
# The generated rules (BuiltinRules+Decoded.swift) are left as the generator writes them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files -- '*.swift' ':!:Sources/FairScanKit/Rules/BuiltinRules+Decoded.swift')
if [ "${1:-}" = "--check" ]; then
  if ! swift format lint --strict --parallel --configuration .swift-format "${files[@]}"; then
    echo "format check: the files above are not formatted; run: make format" >&2
    exit 1
  fi
else
  swift format format --in-place --parallel --configuration .swift-format "${files[@]}"
fi
