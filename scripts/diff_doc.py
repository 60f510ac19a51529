#!/usr/bin/env python3
"""Show where milepost's records of one synth document differ from the truth (for debugging).
    python3 scripts/diff_doc.py PRED.jsonl TRUTH.jsonl [field ...]"""
import json, sys, difflib, re, unicodedata
pred = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
truth = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
fields = sys.argv[3:] or ["theme", "outcome", "group", "status.value", "target.due", "rationale"]
name = truth[0]["source"]["file"]
pred = [p for p in pred if p["source"]["file"] == name]
def n(s): return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(s or ""))).strip().lower()
def g(r, f):
    for k in f.split("."): r = (r or {}).get(k) if isinstance(r, dict) else None
    return r
used = set()
print(f"truth {len(truth)} pred {len(pred)}")
for t in truth:
    best, bj = 0, None
    for j, p in enumerate(pred):
        if j in used: continue
        r = difflib.SequenceMatcher(None, n(t["activity"]), n(p["activity"])).ratio()
        if r > best: best, bj = r, j
    if best < 0.8:
        print(f"MISSING p{t['source']['page']}: {t['activity'][:90]}")
        continue
    used.add(bj); p = pred[bj]
    bad = [f for f in fields if n(g(t, f)) != n(g(p, f))]
    if bad:
        print(f"p{t['source']['page']} {t['activity'][:50]!r}: " + "; ".join(f"{f}: want {str(g(t,f))[:60]!r} got {str(g(p,f))[:60]!r}" for f in bad))
for j, p in enumerate(pred):
    if j not in used: print(f"EXTRA p{p['source']['page']}: {p['activity'][:90]}")
