#!/usr/bin/env bash
# make false-alarms: scan real third-party code that holds (almost) no real secrets and
# report findings per MiB and the noisiest rules. The code is this machine's offline mirror
# of Swift packages (bare repositories under /opt/swift-packages), checked out at HEAD
# into bench-data/swift-sources. FALSE_ALARM_SOURCES=DIR scans another folder instead.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${FAIRSCAN:-.build/release/fairscan}"
[ -x "$binary" ] || bash scripts/build-release.sh --product fairscan
sources="${FALSE_ALARM_SOURCES:-bench-data/swift-sources}"
if [ -z "${FALSE_ALARM_SOURCES:-}" ] && [ ! -d "$sources" ]; then
  mirror=/opt/swift-packages
  if [ ! -d "$mirror" ]; then echo "false-alarms: no $mirror here; set FALSE_ALARM_SOURCES=DIR" >&2; exit 2; fi
  mkdir -p "$sources.tmp"
  for repo in "$mirror"/*/*.git; do
    name="$(basename "$(dirname "$repo")")__$(basename "$repo" .git)"
    mkdir -p "$sources.tmp/$name"
    git -C "$repo" archive HEAD | tar -x -C "$sources.tmp/$name" || echo "skipped $repo" >&2
  done
  mv "$sources.tmp" "$sources"
fi
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
# Exit 2 (incomplete: say, corrupt archives among test resources) still leaves a whole report.
"$binary" dir "$sources" --format json --output "$report" --quiet --exit-code 0 --min-severity info --no-verify || [ $? -eq 2 ]
python3 - "$report" "$sources" <<'PY'
import collections, json, sys
report = json.load(open(sys.argv[1]))
everything = report["findings"]
findings = [f for f in everything if f["severity"] != "info"]
fixtures = [f for f in everything if f["severity"] == "info"]
mib = report["summary"]["bytes_scanned"] / 2**20
if report["summary"]["incomplete"]:
    print("INCOMPLETE: " + "; ".join(report["summary"]["incomplete"]))
print(f"{report['summary']['files_scanned']} files, {mib:.0f} MiB: {len(findings)} findings "
      f"({len(findings) / mib:.3f} per MiB), plus {len(fixtures)} test vectors at info (hidden by default)")
for rule, n in collections.Counter(f["rule_id"] for f in findings).most_common():
    print(f"{n:5d}  {rule}")
for f in findings:
    print(f"  {f['rule_id']}  {f['path']}:{f['line']}  {f['locations'][0]['snippet'][:140]}")
print("test vectors (info) by rule:")
for rule, n in collections.Counter(f["rule_id"] for f in fixtures).most_common():
    print(f"{n:5d}  {rule}")
PY
