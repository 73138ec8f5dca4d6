#!/usr/bin/env bash
# The Dockerfile passes hadolint (installed by scripts/deps.sh --test; no container runtime is
# needed), and its runtime stage installs the runtime packages the README lists.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "dockerfile-test: FAIL: $*" >&2; exit 1; }
# The pinned hadolint scripts/deps.sh installs with pip (into Python's scripts folder).
hadolint="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/hadolint"
[ -x "$hadolint" ] || fail "hadolint is not installed (bash scripts/deps.sh --test)"
"$hadolint" --failure-threshold info Dockerfile || fail "hadolint found problems in the Dockerfile"
# The README's runtime packages are the ones the image installs.
readme=$(sed -n 's/^Runtime packages (Debian 12): `\(.*\)`\.$/\1/p' README.md)
[ -n "$readme" ] || fail "README.md has no 'Runtime packages (Debian 12): \`…\`.' line"
for package in $readme; do
  grep -v '^#' Dockerfile | grep -qwF -- "$package" || fail "the Dockerfile does not install $package (README)"
done
echo "dockerfile-test: ok ($("$hadolint" --version))" >&2
