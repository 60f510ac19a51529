#!/usr/bin/env python3
"""Per-document row F1 / fields change between two score_synth.py --out folders."""
import json, sys
a = json.load(open(sys.argv[1] + "/score.json"))["documents"]
b = json.load(open(sys.argv[2] + "/score.json"))["documents"]
for k in sorted(a):
    da, db = a[k], b.get(k)
    if db and (abs(da["f1"] - db["f1"]) > 0.01 or abs(da["field_mean"] - db["field_mean"]) > 0.02):
        print(f"{k}: F1 {da['f1']:.3f} -> {db['f1']:.3f}  fields {da['field_mean']:.3f} -> {db['field_mean']:.3f}")
