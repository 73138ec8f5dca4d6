#!/usr/bin/env bash
# Peak memory of `fairscan dir` on one large file (issue 11, section 4): a file of SIZE_MIB MiB
# (default 512) of text lines, scanned with the size cap raised. Prints the wall time and the
# peak RSS (flat: the file is read in 16 MiB windows), and the MiB scanned. Usage:
#   SIZE_MIB=512 bash Benchmarks/bench-large-file.sh [path/to/fairscan]
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/fairscan}"
[ -x "$binary" ] || bash scripts/build-release.sh --product fairscan
size_mib="${SIZE_MIB:-512}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 - "$dir/large.log" "$size_mib" <<'PY'
import sys
path, mib = sys.argv[1], int(sys.argv[2])
size = mib << 20
line = b"x" * 99 + b"\n"
with open(path, "wb") as f:
    chunk = line * (1 << 14)
    written = 0
    while written < size:
        part = chunk[: size - written]
        f.write(part)
        written += len(part)
PY
/usr/bin/time -f "wall %e s, peak RSS %M KiB" "$binary" dir "$dir" --max-file-size 1GiB --no-verify --quiet --format json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["summary"]["bytes_scanned"] >> 20, "MiB scanned")'
