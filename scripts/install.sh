#!/usr/bin/env bash
# Installs fairscan for this machine: what is missing (scripts/deps.sh), a release build with the
# Swift runtime linked statically (scripts/build-release.sh), stripped; then
#   PREFIX/bin/fairscan, PREFIX/bin/fair-emulator,
#   PREFIX/share/bash-completion/completions/fairscan, PREFIX/share/zsh/site-functions/_fairscan,
#   PREFIX/share/fish/vendor_completions.d/fairscan.fish,
#   PREFIX/share/man/man1/fairscan.1 (swift-argument-parser's generate-manual).
# PREFIX defaults to /usr/local (the first argument or the PREFIX variable sets it); DESTDIR, when
# set, is prepended to every installed path (staging for a package).
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-${PREFIX:-/usr/local}}"
root="${DESTDIR:-}${prefix}"

bash scripts/deps.sh
bash scripts/build-release.sh --product fairscan
bash scripts/build-release.sh --product fair-emulator
release=.build/release

# The manual: swift-argument-parser's own generate-manual tool, built (offline) from a copy of
# the checkout the build resolved, in a folder of its own: its `swift package generate-manual`
# plugin would rebuild every product in release without the static runtime.
parser=.build/checkouts/swift-argument-parser
tools=.build/tools/swift-argument-parser-$(git -C "$parser" rev-parse HEAD)
if [ ! -x "$tools/.build/release/generate-manual" ]; then
  rm -rf "$tools" && mkdir -p "$tools"
  (cd "$parser" && tar --exclude=.git --exclude=.build -cf - .) | tar -xf - -C "$tools"
  swift build -c release --package-path "$tools" --product generate-manual >/dev/null
fi
manual=$(mktemp -d)
trap 'rm -rf "$manual"' EXIT
"$tools/.build/release/generate-manual" "$release/fairscan" --output-directory "$manual" \
  --date "$(git log -1 --format=%cs 2>/dev/null || date +%F)" >/dev/null

install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
  "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 755 -s "$release/fairscan" "$root/bin/fairscan"
install -m 755 -s "$release/fair-emulator" "$root/bin/fair-emulator"
install -m 644 "$manual/fairscan.1" "$root/share/man/man1/fairscan.1"
"$release/fairscan" --generate-completion-script bash >"$root/share/bash-completion/completions/fairscan"
"$release/fairscan" --generate-completion-script zsh >"$root/share/zsh/site-functions/_fairscan"
"$release/fairscan" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/fairscan.fish"
chmod 644 "$root/share/bash-completion/completions/fairscan" "$root/share/zsh/site-functions/_fairscan" \
  "$root/share/fish/vendor_completions.d/fairscan.fish"
echo "fairscan: installed $root/bin/fairscan ($("$root/bin/fairscan" --version | head -1)), fair-emulator, completions and man page" >&2
