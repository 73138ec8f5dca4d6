#!/usr/bin/env bash
# make false-alarms-history REPOS="PATH ...": full-history scans (work tree and every ref, no
# cache, offline) of real repositories that hold no real secrets, such as curl/curl and
# apple/swift-nio cloned with `git clone --no-local` (DEVELOPERS.md says how to bring them onto
# a machine without network). Prints, per repository, the findings at default severity by rule,
# each with its place, and the test vectors hidden at info. Every finding printed is a false
# alarm to explain or fix.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${FAIRSCAN:-.build/release/fairscan}"
[ -x "$binary" ] || bash scripts/build-release.sh --product fairscan
if [ $# -eq 0 ]; then echo "usage: $0 REPOSITORY..." >&2; exit 64; fi
for repo in "$@"; do
  report="$(mktemp)"
  "$binary" repo "$repo" --no-cache --no-verify --format json --output "$report" --quiet --exit-code 0 --min-severity info || [ $? -eq 2 ]
  python3 - "$report" "$repo" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
s = report["summary"]
shown = [f for f in report["findings"] if f["severity"] != "info"]
hidden = [f for f in report["findings"] if f["severity"] == "info"]
print(f"{sys.argv[2]}: {s['blobs_scanned']} blobs, {s['commits_scanned']} commits, {s['bytes_scanned'] / 2**20:.0f} MiB: "
      f"{len(shown)} findings at default severity, {len(hidden)} test vectors at info"
      + (f"; INCOMPLETE: {'; '.join(s['incomplete'])}" if s["incomplete"] else ""))
for rule, n in collections.Counter(f["rule_id"] for f in shown).most_common():
    print(f"{n:5d}  {rule}")
for f in shown:
    print(f"  {f['rule_id']}  {f['path']}:{f['line']}  {f['locations'][0].get('snippet', '')[:120]}")
PY
  rm -f "$report"
done
