#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --test
# Tests that build git repositories need an identity-free, config-free git.
export GIT_CONFIG_NOSYSTEM=1
# The whole suite (no arguments) also checks the formatting (swift-format: scripts/format.sh) and
# the packaging: the Dockerfile (hadolint), and `scripts/install.sh` into a temporary PREFIX, whose
# binary must run without the Swift toolchain (the release build it makes is the one `make run`
# and `make install` reuse).
if [ $# -eq 0 ]; then
  bash scripts/format.sh --check
  bash Tests/Packaging/dockerfile-test.sh
  bash Tests/Packaging/install-test.sh
  # The tests that run fairscan as a user does run that release build (install-test made it from
  # these sources): the debug build takes 5 times as long to start, a thousand times over in the
  # differential test. Its real path: an installed hook names the binary that installed it. A run
  # with arguments uses the debug build (Tests/FairScanTestSupport).
  export FAIRSCAN_TEST_BINARY="$(readlink -f .build/release/fairscan)"
fi
# XCTest (most suites) and Swift Testing (the FAIR client's unit tests) both run.
swift test "$@"
