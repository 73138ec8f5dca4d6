#!/usr/bin/env bash
# The one release build: every script and make target that needs .build/release/fairscan calls
# this, so they all use the same flags (different flags would rebuild everything) and all run
# the binary `make install` installs. The Swift runtime (the standard library, Foundation,
# Dispatch) is linked statically, so the binary needs no Swift toolchain where it runs, only
# the Debian runtime packages the README lists.
# Usage: scripts/build-release.sh [--product NAME]...   (default: every product)
set -euo pipefail
cd "$(dirname "$0")/.."
# --disable-local-rpath: no $ORIGIN in the binary's library path. The Swift runtime is linked in,
# so nothing is looked up next to the binary, and the loader would probe a dozen folders there
# before the system's for each of the libraries it needs, at every start.
flags=(-c release --static-swift-stdlib --disable-local-rpath)
# Packages already resolved and checked out (a previous build): don't look for updates.
[ -d .build/checkouts ] && [ -f .build/workspace-state.json ] && flags+=(--skip-update)
exec swift build "${flags[@]}" "$@"
