#!/usr/bin/env bash
# The binary travels (issue 13): `scripts/install.sh` into a temporary PREFIX (under a DESTDIR),
# then the installed fairscan
#   - links no Swift runtime library (ldd) and is stripped,
#   - does not link libarchive: it opens it at the first archive (dlopen), and finds a key
#     inside a zip all the same,
#   - does not link libgit2 either: it opens it when a repository is read; and exports only
#     the one symbol libgit2 needs from it,
#   - runs with the Swift toolchain's folder hidden (an empty tmpfs mounted over it in a private
#     mount namespace, `unshare -m`): --version, and a scan of a git repository with a planted
#     FAIR key that finds it,
# and the completions and a man page naming every subcommand are where shells and man look.
# Run by scripts/test.sh (needs root or unprivileged user namespaces for unshare, as here).
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "install-test: FAIL: $*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
DESTDIR="$work/stage" PREFIX=/opt/fairscan bash scripts/install.sh
root="$work/stage/opt/fairscan"
bin="$root/bin/fairscan"

for file in bin/fairscan bin/fair-emulator share/man/man1/fairscan.1 share/bash-completion/completions/fairscan \
  share/zsh/site-functions/_fairscan share/fish/vendor_completions.d/fairscan.fish; do
  [ -s "$root/$file" ] || fail "not installed: PREFIX/$file"
done
grep -q -- '-F _fairscan fairscan$' "$root/share/bash-completion/completions/fairscan" || fail "bash completion is not one"
grep -q '^#compdef fairscan' "$root/share/zsh/site-functions/_fairscan" || fail "zsh completion is not one"
grep -q "^complete -c 'fairscan'" "$root/share/fish/vendor_completions.d/fairscan.fish" || fail "fish completion is not one"

# The man page names every subcommand, nested ones included (as argument-parser knows them).
subcommands=$("$bin" --experimental-dump-help | python3 -c '
import json, sys
def walk(command):
    for sub in command.get("subcommands", []):
        yield sub["commandName"]
        yield from walk(sub)
print("\n".join(sorted(set(walk(json.load(sys.stdin)["command"])))))')
[ "$(echo "$subcommands" | wc -l)" -ge 11 ] || fail "too few subcommands found: $subcommands"
for name in $subcommands; do
  grep -q "^\.It Em $name\$" "$root/share/man/man1/fairscan.1" || fail "the man page does not list '$name'"
done

# No Swift runtime library, nothing from the toolchain, nothing missing; and stripped.
# The toolchain's folder: /opt/swift for /opt/swift/usr/bin/swift; for a toolchain installed in
# /usr itself (the swift Docker images), the runtime's folder /usr/lib/swift.
usr=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
toolchain=$(dirname "$usr")
{ [ "$(basename "$usr")" = usr ] && [ "$toolchain" != / ]; } || toolchain="$usr/lib/swift"
for program in fairscan fair-emulator; do
  libraries=$(ldd "$root/bin/$program")
  echo "$libraries" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libXCTest' \
    && fail "$program links a Swift runtime library"
  echo "$libraries" | grep -F "$toolchain" && fail "$program links a library from the toolchain ($toolchain)"
  echo "$libraries" | grep 'not found' && fail "$program needs a library that is not installed"
  readelf -S "$root/bin/$program" | grep -q '\.symtab' && fail "$program is not stripped"
done
# libarchive and the nine libraries it needs load at the first archive only (Sources/CLibArchive).
ldd "$bin" | grep -F libarchive && fail "fairscan links libarchive (it should open it at the first archive)"
# libgit2 and the fourteen libraries it needs load when a repository is read (Sources/CLibGit2);
# the scans below open it where fairscan is installed.
ldd "$bin" | grep -F libgit2 && fail "fairscan links libgit2 (it should open it when a repository is read)"
# The C++ runtime and Vectorscan are linked in from their static archives (Sources/fairscan/StaticLinking).
ldd "$bin" | grep -E 'libstdc\+\+|libhs\.' && fail "fairscan links libstdc++ or Vectorscan's shared library (they are linked statically)"
# It exports one symbol, the stand-in libgit2 binds to (Sources/CLibGit2Setup), not the 28,800
# Swift's static runtime would export (the loader searched them at every start).
# (glibc's own variables that the static C++ runtime reads, `__libc_single_threaded@GLIBC_2.32`,
# are copied into the executable and listed as defined there: they are libc's, not exports.)
exported=$(nm -D --defined-only "$bin" | awk '{print $3}' | grep -v '@GLIBC_')
[ "$exported" = mbedtls_x509_crt_parse_file ] || fail "fairscan exports other symbols than the CA bundle stand-in: $(echo "$exported" | head -3)"

# A repository with a planted FAIR key (the key the CI examples' test plants).
repo="$work/repo"
git init -q "$repo"
mkdir "$repo/deploy"
echo 'FAIR_API_KEY=Rb5Vm8Yc3Jd6Fs1Ga-Ue_TkMoPiNHn2Kx9Wq4Zt7Lp0' >"$repo/deploy/.env"
# And one inside a zip: found only if libarchive can be opened where fairscan is installed.
python3 - "$repo/deploy/bundle.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("config/prod.env", "FAIR_API_KEY=Qw2Er4Ty6Ui8Op0As1Df-Gh_JkLzXcVbNm3Pq5Rs7Tu\n")
PY
git -C "$repo" add -A
git -C "$repo" -c user.name=t -c user.email=t@example.invalid commit -qm "add a key"

# With the toolchain's folder hidden: an empty tmpfs over it, in a mount namespace of its own.
status=0
unshare -m sh -c '
  set -e
  mount -t tmpfs empty "$1"
  [ -z "$(ls -A "$1")" ] || { echo "the toolchain folder is not hidden" >&2; exit 90; }
  if command -v swift >/dev/null 2>&1 && swift --version >/dev/null 2>&1; then echo "swift still runs" >&2; exit 91; fi
  "$2/bin/fairscan" --version >"$3/version.txt"
  "$2/bin/fair-emulator" --help >/dev/null
  cd "$4"
  set +e
  FAIRSCAN_CACHE_DIR="$3/cache" "$2/bin/fairscan" repo . --no-verify --format json >"$3/report.json" 2>"$3/stderr.txt"
  echo $? >"$3/status.txt"
' hidden "$toolchain" "$root" "$work" "$repo" || status=$?
[ "$status" -eq 0 ] || fail "running with $toolchain hidden failed ($status): $(cat "$work/stderr.txt" 2>/dev/null)"
head -1 "$work/version.txt" | grep -qE '^[0-9]+\.[0-9]+\.[0-9]+' || fail "--version: $(cat "$work/version.txt")"
grep -q '^libgit2: ' "$work/version.txt" || fail "--version names no libgit2: $(cat "$work/version.txt")"
[ "$(cat "$work/status.txt")" = 1 ] || fail "the scan exited $(cat "$work/status.txt") (findings give 1): $(cat "$work/stderr.txt")"
python3 - "$work/report.json" <<'PY' || fail "the scan did not find the planted FAIR key: $(cat "$work/stderr.txt")"
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
sys.exit(0 if any(f["rule_id"].startswith("fair.") and f["path"] == "deploy/.env" for f in findings) else 1)
PY
python3 - "$work/report.json" <<'PY' || fail "the scan did not find the FAIR key inside the zip: $(cat "$work/stderr.txt")"
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
sys.exit(0 if any(f["rule_id"].startswith("fair.") and f["path"].startswith("deploy/bundle.zip!") for f in findings) else 1)
PY
echo "install-test: ok (installed, no Swift runtime, libarchive or libgit2 linked, runs and finds, in a zip too, with $toolchain hidden)" >&2
