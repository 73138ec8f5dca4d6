#!/usr/bin/env python3
"""Builds the benchmark repository reproducibly with git fast-import, then repacks it.

20,000+ commits and over 1 GiB of blob content across versions: 2,000 source-like
files, each commit rewriting a few of them, on two branches plus tags, with a few
planted secrets. Same seed, same repository (same commit ids).
Usage: make_repo.py DEST [--commits N] [--files N]
"""
import argparse, os, random, subprocess, sys

WORDS = ("config client server request response handler buffer value index result "
         "parser token stream reader writer account session cache record table field "
         "user name path file line offset length status error retry timeout method").split()
TEMPLATES = [
    "    let {a}_{b} = {c}({d}, {n})",
    "    if {a}.{b} > {n} {{ return {c}_{d} }}",
    "func {a}{B}(_ {c}: {D}) -> {D} {{",
    "    // {a} {b} {c} {d}: keep {n} entries",
    "    {a}.{b}[\"{c}\"] = \"{d}-{n}\"",
    "}}",
    "    url = \"https://example.com/{a}/{b}?{c}={n}\"",
    "    log.debug(\"{a} {b} took {n} ms\")",
    "    api_key = os.environ[\"{A}_API_KEY\"]",
    "    password = config.get(\"{a}_password\")",
    "    {a}_token = load_token(\"{b}\")",
    "import {a}.{b}",
]
PLANTED = [
    (1500, "config/prod.env", "FAIR_API_KEY=Q2xlYW5Ub2tlbkZvckJlbmNobWFya1BsYW50ZWQxMjM0\n"),
    (7000, "deploy/aws.txt", "aws_access_key_id = AKIAZ7QKEXAMPLE4X9PL\n"),
    (12000, "scripts/gh.sh", "export GH=ghp_Zq8Lm2Nx7Wv4Rt6Yp1Ks9Jd3Hf5Gb0Ca2Ee7\n"),
]

def line(rng):
    t = rng.choice(TEMPLATES)
    a, b, c, d = (rng.choice(WORDS) for _ in range(4))
    return t.format(a=a, b=b, c=c, d=d, A=a.upper(), B=b.capitalize(), D=d.capitalize(), n=rng.randrange(100000))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dest")
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--lines", type=int, default=700, help="average lines per file")
    args = ap.parse_args()
    rng = random.Random(20261129)
    os.makedirs(args.dest, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", args.dest], check=True)
    fi = subprocess.Popen(["git", "-C", args.dest, "fast-import", "--quiet", "--depth=50"], stdin=subprocess.PIPE)
    out = fi.stdin
    files = {}
    names = [f"src/{rng.choice(WORDS)}/{rng.choice(WORDS)}_{i}.swift" for i in range(args.files)]
    for name in names:
        files[name] = [line(rng) for _ in range(rng.randrange(args.lines // 2, args.lines * 3 // 2))]
    total = 0
    mark = 0
    t0 = 1600000000
    planted = {c: (p, text) for c, p, text in PLANTED}
    for n in range(args.commits):
        branch = "feature" if n > 0 and n % 10 == 0 else "main"
        changed = []
        if n == 0:
            changed = names
        else:
            for _ in range(rng.randrange(1, 4)):
                name = rng.choice(names)
                body = files[name]
                for _ in range(rng.randrange(1, 12)):
                    body[rng.randrange(len(body))] = line(rng)
                changed.append(name)
        if n in planted:
            p, text = planted[n]
            files[p] = [text.rstrip("\n")]
            changed.append(p)
        when = t0 + n * 600
        msg = f"change {n}: update {len(changed)} files\n".encode()
        out.write(f"commit refs/heads/{branch}\n".encode())
        out.write(f"author Bench <bench@example.com> {when} +0000\ncommitter Bench <bench@example.com> {when} +0000\n".encode())
        out.write(f"data {len(msg)}\n".encode() + msg)
        if n == 10:
            out.write(b"from refs/heads/main\n")  # the feature branch starts from main
        for name in changed:
            data = ("\n".join(files[name]) + "\n").encode()
            total += len(data)
            out.write(f"M 100644 inline {name}\ndata {len(data)}\n".encode() + data + b"\n")
        if n % 2000 == 1999:
            out.write(f"reset refs/tags/v{n // 2000}\nfrom refs/heads/main\n\n".encode())
        if n % 1000 == 0:
            sys.stderr.write(f"\r{n}/{args.commits} commits, {total / 2**30:.2f} GiB")
    out.close()
    if fi.wait() != 0:
        sys.exit("fast-import failed")
    subprocess.run(["git", "-C", args.dest, "checkout", "-q", "main"], check=True)
    # Repack as `git gc` would (fast-import's own pack has unusually long delta chains),
    # so the benchmark measures the kind of pack real repositories have.
    sys.stderr.write("repacking (git repack -adf --depth=50 --window=10), a few minutes...\n")
    subprocess.run(["git", "-C", args.dest, "repack", "-adf", "-q", "--depth=50", "--window=10"], check=True)
    sys.stderr.write(f"\rdone: {args.commits} commits, {total / 2**30:.2f} GiB of blob content across versions\n")

if __name__ == "__main__":
    main()
