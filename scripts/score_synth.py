#!/usr/bin/env python3
"""Score milepost on a folder of generated trackers (synth.py output: NNNN.pdf + .jsonl truth + .json params).

    python3 scripts/score_synth.py [--dir ../shared/gold/synth] [--bin target/release/milepost] [--worst 25]

Runs `milepost extract` on every PDF, scores with the gold scorer, and prints: pooled and mean row
F1 / fields, documents below 0.90, and per layout dimension the mean F1 of each value (lowest first).
Also the self-check: how many documents below 0.90 carry milepost's "read badly" warning, and how
many read well (F1 >= 0.98) carry it anyway. Not a test; a measuring script.
"""
import argparse, json, os, subprocess, sys, tempfile, collections

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--dir", default=os.path.join(here, "..", "..", "shared", "gold", "synth"))
ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "milepost"))
ap.add_argument("--scorer", default=os.path.join(here, "..", "..", "shared", "gold", "score.py"))
ap.add_argument("--worst", type=int, default=25)
ap.add_argument("--out", default=None, help="keep predictions here")
a = ap.parse_args()

pdfs = sorted(f for f in os.listdir(a.dir) if f.endswith(".pdf"))
out = a.out or tempfile.mkdtemp()
os.makedirs(out, exist_ok=True)
pred = os.path.join(out, "pred.jsonl")
r = subprocess.run([a.bin, "extract", *[os.path.join(a.dir, p) for p in pdfs], "-o", pred],
                   capture_output=True, text=True)
stderr = r.stderr
open(os.path.join(out, "stderr.txt"), "w").write(stderr)
res_path = os.path.join(out, "score.json")
subprocess.run([sys.executable, a.scorer, "--truth", a.dir, "--pred", pred, "--json", res_path],
               capture_output=True, text=True)
res = json.load(open(res_path))
docs = res["documents"]
warned = set()
for line in stderr.splitlines():
    if line.startswith("warning:") and ("read this document badly" in line):
        name = line.split(":", 2)[1].strip().split(",")[0]
        warned.add(name)
f1s = {n: d["f1"] for n, d in docs.items()}
fields = {n: d["field_mean"] for n, d in docs.items()}
o = res["overall"]
n = len(docs)
print(f"pooled: rows F1 {o['f1']:.3f} fields {o['field_mean']:.3f} docs {n}")
print(f"mean:   rows F1 {sum(f1s.values())/n:.3f} fields {sum(fields.values())/n:.3f}")
print(f"no rows: {sum(1 for d in docs.values() if d['rows_pred']==0)}; below 0.90: {sum(1 for v in f1s.values() if v<0.9)}; fields below 0.90: {sum(1 for v in fields.values() if v<0.9)}")
print("field accuracy:", ", ".join(f"{k} {v:.3f}" for k, v in o["field_accuracy"].items()))
bad = [k for k, v in f1s.items() if v < 0.9]
good = [k for k, v in f1s.items() if v >= 0.98]
pdfname = lambda k: k
print(f"self-check: warned {sum(1 for k in bad if k in warned)}/{len(bad)} below 0.90; warned {sum(1 for k in good if k in warned)}/{len(good)} at >= 0.98")
print("  below 0.90, not warned:", ", ".join(f"{k} ({f1s[k]:.3f})" for k in sorted(bad) if k not in warned) or "none")
print("  at >= 0.98, warned:", ", ".join(sorted(k for k in good if k in warned)) or "none")
params = {}
for k in docs:
    p = os.path.join(a.dir, k.replace(".pdf", ".json"))
    if os.path.exists(p):
        params[k] = json.load(open(p))
dims = ["kind", "producer", "rules", "theme", "outcome", "group", "status_style", "header_repeat", "two_level", "status_family", "row_split", "cover", "intro", "key", "running_header", "footer", "landscape", "font"]
print("\nper dimension (mean row F1 / mean fields, n), lowest first:")
for dim in dims:
    agg = collections.defaultdict(list)
    for k, p in params.items():
        v = p.get(dim)
        if isinstance(v, (list, dict)):
            v = "yes" if v else "no"
        agg[str(v)].append(k)
    items = sorted(agg.items(), key=lambda kv: sum(f1s[x] for x in kv[1]) / len(kv[1]))
    print(f"  {dim:15} " + "; ".join(f"{v} {sum(f1s[x] for x in ks)/len(ks):.3f}/{sum(fields[x] for x in ks)/len(ks):.3f} ({len(ks)})" for v, ks in items))
print("\nworst documents:")
for k in sorted(docs, key=lambda k: (f1s[k], fields[k]))[: a.worst]:
    p = params.get(k, {})
    d = docs[k]
    fa = d["field_accuracy"]
    low = ", ".join(f"{f} {v:.2f}" for f, v in fa.items() if v < 0.95)
    print(f"  {k} F1 {f1s[k]:.3f} fields {fields[k]:.3f} t/p/m {d['rows_truth']}/{d['rows_pred']}/{d['matched']} "
          f"[{p.get('kind')} {p.get('producer')} rules={p.get('rules')} theme={p.get('theme')} outc={p.get('outcome')} grp={p.get('group')} st={p.get('status_style')} 2lv={bool(p.get('two_level'))}] {low}")
