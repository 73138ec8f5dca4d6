#!/usr/bin/env python3
"""Check every rule in rules/*.yml against the real PCRE2 library (libpcre2-8).

A stand-in for `fairscan rules check` while the Swift engine is not in this
package: same semantics as the scanner is meant to have (byte mode, no UTF;
keyword pre-filter; secret = named group `secret` else whole match; min_entropy
on the secret; allow stopwords and regexes on secret|match|line).
Usage: scripts/check-rules-pcre2.py [RULES_DIR]
"""
import ctypes, ctypes.util, glob, math, os, sys, collections
import yaml

lib = ctypes.CDLL("libpcre2-8.so.0")
lib.pcre2_compile_8.restype = ctypes.c_void_p
lib.pcre2_compile_8.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32,
                                ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_size_t), ctypes.c_void_p]
lib.pcre2_match_data_create_from_pattern_8.restype = ctypes.c_void_p
lib.pcre2_match_data_create_from_pattern_8.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
lib.pcre2_match_8.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t,
                              ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p]
lib.pcre2_get_ovector_pointer_8.restype = ctypes.POINTER(ctypes.c_size_t)
lib.pcre2_get_ovector_pointer_8.argtypes = [ctypes.c_void_p]
lib.pcre2_substring_number_from_name_8.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
lib.pcre2_get_error_message_8.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
UNSET = ctypes.c_size_t(-1).value

class Pattern:
    def __init__(self, src):
        b = src.encode()
        err, off = ctypes.c_int(), ctypes.c_size_t()
        self.code = lib.pcre2_compile_8(b, len(b), 0, ctypes.byref(err), ctypes.byref(off), None)
        if not self.code:
            buf = ctypes.create_string_buffer(256)
            lib.pcre2_get_error_message_8(err.value, buf, 256)
            raise ValueError(f"does not compile at byte {off.value}: {buf.value.decode()}")
        n = lib.pcre2_substring_number_from_name_8(self.code, b"secret")
        self.secret = n if n > 0 else 0
        self.md = lib.pcre2_match_data_create_from_pattern_8(self.code, None)

    def finditer(self, data):
        start = 0
        while start <= len(data):
            rc = lib.pcre2_match_8(self.code, data, len(data), start, 0, self.md, None)
            if rc < 0:
                return
            ov = lib.pcre2_get_ovector_pointer_8(self.md)
            m = (ov[0], ov[1])
            g = self.secret
            s = (ov[2 * g], ov[2 * g + 1]) if g < rc and ov[2 * g] != UNSET else m
            yield m, s
            start = m[1] if m[1] > m[0] else m[1] + 1

    def search(self, data):
        return next(self.finditer(data), None) is not None

def entropy(b):
    if not b: return 0.0
    c = collections.Counter(b); n = len(b)
    return -sum(v / n * math.log2(v / n) for v in c.values())

def findings(rule, pat, allows, data):
    low = data.lower()
    if rule.get("keywords") and not any(k.encode() in low for k in rule["keywords"]):
        return []
    out = []
    for m, s in pat.finditer(data):
        secret = data[s[0]:s[1]]
        if rule.get("min_entropy") is not None and entropy(secret) < rule["min_entropy"]:
            continue
        ls = data.rfind(b"\n", 0, m[0]) + 1
        le = data.find(b"\n", m[1]); le = len(data) if le < 0 else le
        targets = {"secret": secret, "match": data[m[0]:m[1]], "line": data[ls:le]}
        vetoed = False
        for a in allows:
            if isinstance(a, str):
                vetoed |= a.lower().encode() in secret.lower()
            else:
                vetoed |= a[0].search(targets[a[1]])
        if not vetoed:
            out.append(secret)
    return out

def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "rules"
    failures = 0; checked = 0
    for path in sorted(glob.glob(os.path.join(folder, "*.y*ml"))):
        for rule in yaml.safe_load(open(path, encoding="utf-8"))["rules"]:
            rid = rule["id"]
            try:
                pat = Pattern(rule["pattern"])
                allows = [a if isinstance(a, str) else (Pattern(a["regex"]), a.get("target", "secret"))
                          for a in rule.get("allow", [])]
            except ValueError as e:
                print(f"{path}: {rid}: {e}"); failures += 1; continue
            for ex in rule.get("examples", []):
                checked += 1
                i, j = ex.index("⟦"), ex.index("⟧")
                want = ex[i + 1:j].encode()
                text = (ex[:i] + ex[i + 1:j] + ex[j + 1:]).encode()
                got = findings(rule, pat, allows, text)
                if want not in got:
                    print(f"{path}: {rid}: example did not yield {want!r} (got {got!r}):\n  {ex!r}"); failures += 1
            for ex in rule.get("negative_examples", []):
                checked += 1
                got = findings(rule, pat, allows, ex.encode())
                if got:
                    print(f"{path}: {rid}: negative example matched {got!r}:\n  {ex!r}"); failures += 1
    print(f"{checked} examples checked, {failures} failures")
    sys.exit(1 if failures else 0)

main()
