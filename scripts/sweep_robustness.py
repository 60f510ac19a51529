#!/usr/bin/env python3
"""Robustness sweep: run `milepost tables` over hostile and odd PDFs, one file at a time.

What it measures, per file (every file in its own process):

* exit code, wall seconds and peak RSS (``/usr/bin/time -f '%M %e'``), under a wall-clock
  limit (``timeout -s KILL 60``) and a virtual-memory cap (``ulimit -v 3000000``, about 3 GB);
* whether the run was killed by the time limit, went over 500 MiB of peak RSS, died of a
  signal (a crash), aborted on the memory cap ("memory allocation of N bytes failed"), or
  panicked (milepost's "internal error" line, or exit 101);
* the diagnosis milepost gave, parsed from its ``error:`` line on standard error (``tables``
  prints no JSON summary even with ``--json``): ok, no_tables, scanned (no text layer),
  damaged, encrypted, not_pdf, empty, too_large, too_many_pages, io, internal;
* how much it wrote: the number of table files and the non-space characters in their cells
  (``tables`` reports no other count of the text it read).

It then compares the diagnosis with poppler (``poppler-reference.tsv`` in the robustness
folder; for files not listed there, pdftotext/pdfimages are run live when installed):

* scanned-misdiagnosed: milepost says "scanned" but poppler finds no image or finds text;
* readable-refused: poppler extracts text but milepost refuses the file as damaged,
  encrypted/password-protected, empty or not a PDF;
* likely-no-ToUnicode: poppler extracts > 100 characters but milepost called the file
  scanned, or wrote tables whose cells hold no text at all.

Inputs: every file under /work/shared/robustness/ (except README.md and *.tsv) and
/work/shared/gold/hostile/*.pdf.  Output: a TSV with one row per file (--out) and a summary
on standard output.  Standard library only.

Usage:
    python3 scripts/sweep_robustness.py --bin PATH [--out results.tsv] [--jobs N]
                                        [--limit N] [--only SUBSTRING]
    python3 scripts/sweep_robustness.py --summarise results.tsv   # summary again, no runs
"""

import argparse
import concurrent.futures
import csv
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROBUSTNESS = "/work/shared/robustness"
HOSTILE = "/work/shared/gold/hostile"
TIMEOUT_S = 60
POPPLER_TIMEOUT_S = 20  # live poppler runs, for files not in poppler-reference.tsv
VMEM_KB = 3000000
RSS_LIMIT_KB = 500 * 1024
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Substrings of milepost's error sentences (src/error.rs), most specific first.
KINDS = [
    ("internal error", "internal"),
    ("no text layer", "scanned"),
    ("password-protected", "encrypted"),
    ("is damaged", "damaged"),
    ("not a PDF file", "not_pdf"),
    ("the file is empty", "empty"),
    ("MB, over the limit", "too_large"),
    ("pages, over the limit", "too_many_pages"),
    ("could not be read (", "io"),
    ("holds any text", "no_text"),
    ("holds text milepost can read", "no_text"),
    ("built to overload readers", "too_complex"),
    ("longer than the limit of", "timed_out"),
]
REFUSALS = {"damaged", "encrypted", "not_pdf", "empty"}

COLUMNS = [
    "file", "kind", "rc", "signal", "wall_s", "rss_kb", "timeout", "over_500mb", "mem_cap",
    "crash", "panic", "tables", "table_chars", "bad_chars", "message", "panic_detail",
    "poppler_text_chars", "poppler_images", "encrypted", "pages", "poppler_source",
]


def list_files():
    files = []
    for root, dirs, names in os.walk(ROBUSTNESS):
        dirs.sort()
        for n in sorted(names):
            if n == "README.md" or n.endswith(".tsv"):
                continue
            files.append(os.path.join(root, n))
    if os.path.isdir(HOSTILE):
        files += sorted(os.path.join(HOSTILE, n) for n in os.listdir(HOSTILE) if n.lower().endswith(".pdf"))
    return files


def rel(path):
    for base, tag in ((ROBUSTNESS, ""), (HOSTILE, "hostile/")):
        if path.startswith(base + "/"):
            return tag + path[len(base) + 1:]
    return path


def load_reference():
    ref = {}
    p = os.path.join(ROBUSTNESS, "poppler-reference.tsv")
    if os.path.exists(p):
        with open(p, newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                ref[row["file"]] = row
    return ref


def wrapped(cmd, timefile, limit=TIMEOUT_S):
    """A bash line running cmd under the memory cap, the time limit and /usr/bin/time.

    timeout runs with --foreground so that it kills only the command and then reaps it: the
    peak RSS that /usr/bin/time reports then still covers a run killed at the limit (without
    it timeout kills its own process group, itself included, and the figure is lost).
    """
    q = " ".join(shlex.quote(c) for c in cmd)
    return ["bash", "-c", "ulimit -v %d; exec /usr/bin/time -o %s -f '%%M %%e' timeout --foreground -s KILL %d %s"
            % (VMEM_KB, shlex.quote(timefile), limit, q)]


def live_poppler(path, work):
    """poppler_text_chars / poppler_images / pages for a file not in the reference."""
    if not shutil.which("pdftotext"):
        return None
    out = {"poppler_text_chars": "?", "poppler_images": "?", "encrypted": "?", "pages": "?", "poppler_source": "live"}
    tf = os.path.join(work, "poppler.time")
    try:
        r = subprocess.run(wrapped(["pdftotext", "-q", path, "-"], tf, POPPLER_TIMEOUT_S), capture_output=True, timeout=TIMEOUT_S + 30)
        if r.returncode == 0:
            out["poppler_text_chars"] = str(sum(1 for c in r.stdout.decode("utf-8", "replace") if not c.isspace()))
        else:
            out["poppler_text_chars"] = "0"
        r = subprocess.run(wrapped(["pdfimages", "-q", "-list", path], tf, POPPLER_TIMEOUT_S), capture_output=True, timeout=TIMEOUT_S + 30)
        if r.returncode == 0:
            lines = r.stdout.decode("utf-8", "replace").splitlines()
            out["poppler_images"] = str(max(0, len(lines) - 2))
        else:
            out["poppler_images"] = "0"
        r = subprocess.run(wrapped(["pdfinfo", path], tf, POPPLER_TIMEOUT_S), capture_output=True, timeout=TIMEOUT_S + 30)
        for line in r.stdout.decode("utf-8", "replace").splitlines():
            if line.startswith("Encrypted:"):
                out["encrypted"] = "yes" if "yes" in line else "no"
            elif line.startswith("Pages:"):
                out["pages"] = line.split(":", 1)[1].strip()
    except (subprocess.TimeoutExpired, OSError):
        pass
    return out


def parse_time(timefile):
    """(rss_kb, wall_s, signal) from /usr/bin/time's -o file."""
    rss, wall, sig = 0, 0.0, 0
    try:
        with open(timefile) as fh:
            lines = [l.strip() for l in fh if l.strip()]
    except OSError:
        return rss, wall, sig
    for l in lines:
        m = re.match(r"Command terminated by signal (\d+)", l)
        if m:
            sig = int(m.group(1))
        m = re.match(r"^(\d+) ([\d.]+)$", l)
        if m:
            rss, wall = int(m.group(1)), float(m.group(2))
    return rss, wall, sig


def count_tables(outdir):
    n = chars = bad = 0
    if not os.path.isdir(outdir):
        return 0, 0, 0
    for name in os.listdir(outdir):
        n += 1
        try:
            with open(os.path.join(outdir, name), encoding="utf-8", errors="replace", newline="") as fh:
                for row in csv.reader(fh):
                    for cell in row:
                        for c in cell:
                            if c.isspace():
                                continue
                            chars += 1
                            o = ord(c)
                            # U+FFFD, C0/C1 controls and the private-use area: text that was
                            # not mapped to Unicode.
                            if o == 0xFFFD or o < 0x20 or 0x7F <= o < 0xA0 or 0xE000 <= o <= 0xF8FF:
                                bad += 1
        except (OSError, csv.Error):
            pass
    return n, chars, bad


def crash_text(stderr):
    """The first line of a crash's output and the innermost milepost frame of its backtrace."""
    lines = [ANSI.sub("", l).strip() for l in stderr.splitlines() if l.strip()]
    if not lines:
        return "(no output)"
    frame = next((l.split(":", 1)[1].strip() for l in lines if re.match(r"\d+: milepost::", l)), "")
    hayro = next((l.split(":", 1)[1].strip() for l in lines if re.match(r"\d+: (hayro|pdf|lopdf)", l)), "")
    return "; ".join(x for x in (lines[0], hayro, ("at " + frame) if frame else "") if x)[:300]


def classify(stderr, rc):
    kind, message = None, ""
    for line in stderr.splitlines():
        line = ANSI.sub("", line).strip()
        if not line.startswith("error:"):
            continue
        body = line[len("error:"):].strip()
        for needle, k in KINDS:
            if needle in body:
                kind, message = k, body
                break
        if kind is None:
            kind, message = "other_error", body
        break
    return kind, message


def run_one(binary, path, ref, keep_going_tmp):
    work = tempfile.mkdtemp(prefix="sweep-", dir=keep_going_tmp)
    outdir = os.path.join(work, "out")
    timefile = os.path.join(work, "time")
    cmd = [binary, "--json", "tables", path, "--out", outdir]
    t0 = time.monotonic()
    try:
        r = subprocess.run(wrapped(cmd, timefile), capture_output=True, cwd=work, timeout=TIMEOUT_S + 60)
        rc, so, se = r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        rc, so, se = -9, e.stdout or b"", e.stderr or b""
    elapsed = time.monotonic() - t0
    stdout = so.decode("utf-8", "replace")
    stderr = se.decode("utf-8", "replace")
    rss, wall, sig = parse_time(timefile)
    if not wall:
        wall = round(elapsed, 2)
    if rc > 128 and not sig:
        sig = rc - 128
    ntab, chars, bad = count_tables(outdir)

    kind, message = classify(stderr, rc)
    timed_out = (sig == 9 or rc == 137) and max(wall, elapsed) >= TIMEOUT_S - 1
    mem_cap = "memory allocation of" in stderr or "out of memory" in stderr.lower()
    panic = kind == "internal" or rc == 101 or "panicked" in stderr
    crash = bool(sig) and not timed_out and not mem_cap
    if timed_out:
        kind = "timeout"
    elif mem_cap:
        kind = "mem_cap"
    elif crash:
        kind = "signal_%d" % sig
    elif rc == 101:
        kind = "panic_exit"
    elif kind is None:
        if rc == 0:
            kind = "ok" if ntab else "no_tables"
        else:
            kind = "rc_%d" % rc
            message = ANSI.sub("", stderr).strip().replace("\n", " | ")[:300]
    if not message and (mem_cap or crash or rc == 101):
        message = crash_text(stderr)
    if stdout.strip() and not message:
        message = "stdout: " + stdout.strip().replace("\n", " | ")[:200]

    # A panic's location is only printed with -v: run it again once to get it.
    detail = ""
    if panic:
        tf2 = os.path.join(work, "time2")
        shutil.rmtree(outdir, ignore_errors=True)
        try:
            r2 = subprocess.run(wrapped([binary, "-v", "tables", path, "--out", outdir], tf2),
                                capture_output=True, cwd=work, timeout=TIMEOUT_S + 60)
            lines = [l for l in r2.stderr.decode("utf-8", "replace").splitlines() if "panic" in l]
            detail = " | ".join(lines)[:300]
        except subprocess.TimeoutExpired:
            detail = "(rerun timed out)"

    key = rel(path)
    pref = ref.get(key)
    if pref is not None:
        pop = {k: pref.get(k, "?") for k in ("poppler_text_chars", "poppler_images", "encrypted", "pages")}
        pop["poppler_source"] = "reference"
    else:
        pop = live_poppler(path, work) or {"poppler_text_chars": "?", "poppler_images": "?", "encrypted": "?",
                                           "pages": "?", "poppler_source": "none"}
    shutil.rmtree(work, ignore_errors=True)
    row = {
        "file": key, "kind": kind, "rc": rc, "signal": sig, "wall_s": "%.2f" % wall, "rss_kb": rss,
        "timeout": int(timed_out), "over_500mb": int(rss > RSS_LIMIT_KB), "mem_cap": int(mem_cap),
        "crash": int(crash or mem_cap), "panic": int(panic), "tables": ntab, "table_chars": chars,
        "bad_chars": bad, "message": message.replace("\t", " "), "panic_detail": detail.replace("\t", " "),
    }
    row.update(pop)
    return row


def as_int(s):
    try:
        return int(s)
    except (TypeError, ValueError):
        return None


def summarise(rows, out):
    w = out.write
    n = len(rows)
    kinds = {}
    for r in rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    scanned_bad, refused, no_unicode = [], [], []
    for r in rows:
        txt, img = as_int(r["poppler_text_chars"]), as_int(r["poppler_images"])
        if r["kind"] == "scanned" and ((img is not None and img == 0) or (txt is not None and txt > 0)):
            scanned_bad.append(r)
        if r["kind"] in REFUSALS and txt is not None and txt > 0:
            refused.append(r)
        if txt is not None and txt > 100 and (r["kind"] == "scanned" or (r["kind"] == "ok" and r["table_chars"] == 0)):
            no_unicode.append(r)

    w("milepost robustness sweep: %d files, each alone (limit %d s, %d KB virtual memory)\n\n" % (n, TIMEOUT_S, VMEM_KB))
    w("%-34s %6s\n" % ("figure", "count"))
    figures = [
        ("files", n),
        ("panics (internal error / exit 101)", sum(r["panic"] for r in rows)),
        ("over %d s (killed)" % TIMEOUT_S, sum(r["timeout"] for r in rows)),
        ("over 500 MiB peak RSS", sum(r["over_500mb"] for r in rows)),
        ("crashes (signal or memory cap)", sum(r["crash"] for r in rows)),
        ("  of which hit the memory cap", sum(r["mem_cap"] for r in rows)),
        ("scanned-misdiagnosed", len(scanned_bad)),
        ("  of which poppler reads text", sum(1 for r in scanned_bad if (as_int(r["poppler_text_chars"]) or 0) > 0)),
        ("  of which no text and no image", sum(1 for r in scanned_bad if as_int(r["poppler_text_chars"]) == 0)),
        ("readable-refused", len(refused)),
        ("likely no ToUnicode (text>100)", len(no_unicode)),
        ("files with unmapped chars in cells", sum(1 for r in rows if r["bad_chars"])),
    ]
    for name, v in figures:
        w("%-34s %6d\n" % (name, v))
    w("\ndiagnoses:\n")
    for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]):
        w("  %-16s %5d\n" % (k, v))

    def listing(title, items, extra):
        w("\n%s (%d):\n" % (title, len(items)))
        for r in items:
            w("  %s  [%s]  %s\n" % (r["file"], extra(r), r["message"][:160]))

    scanned_bad.sort(key=lambda r: -(as_int(r["poppler_text_chars"]) or 0))
    listing("scanned-misdiagnosed (poppler: no image, or text; those with text first)", scanned_bad,
            lambda r: "text=%s img=%s" % (r["poppler_text_chars"], r["poppler_images"]))
    listing("readable-refused (poppler extracts text)", refused,
            lambda r: "%s text=%s enc=%s" % (r["kind"], r["poppler_text_chars"], r["encrypted"]))
    listing("likely fonts without ToUnicode (poppler text > 100, milepost scanned or empty tables)", no_unicode,
            lambda r: "%s text=%s tables=%s chars=%s" % (r["kind"], r["poppler_text_chars"], r["tables"], r["table_chars"]))
    panics = [r for r in rows if r["panic"] or r["crash"] or r["timeout"]]
    listing("panics, crashes and timeouts", panics,
            lambda r: "%s rc=%s sig=%s %ss %dKB %s" % (r["kind"], r["rc"], r["signal"], r["wall_s"], r["rss_kb"], r["panic_detail"][:120]))
    wnt = [r for r in rows if as_int(r["poppler_text_chars"]) and as_int(r["poppler_text_chars"]) > 100 and r["kind"] == "no_tables"]
    w("\n(no_tables with poppler text > 100: %d; see the TSV)\n" % len(wnt))

    w("\ntop 10 slowest:\n")
    for r in sorted(rows, key=lambda r: -float(r["wall_s"]))[:10]:
        w("  %7ss %8d KB  %-12s %s\n" % (r["wall_s"], r["rss_kb"], r["kind"], r["file"]))
    w("\ntop 10 by peak RSS:\n")
    for r in sorted(rows, key=lambda r: -int(r["rss_kb"]))[:10]:
        w("  %8d KB %7ss  %-12s %s\n" % (r["rss_kb"], r["wall_s"], r["kind"], r["file"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", help="the milepost binary (required unless --summarise)")
    ap.add_argument("--out", default="results.tsv", help="TSV, one row per file")
    ap.add_argument("--jobs", type=int, default=1, help="files run at once (default 1)")
    ap.add_argument("--limit", type=int, help="only the first N files")
    ap.add_argument("--only", help="only files whose path contains this")
    ap.add_argument("--summarise", metavar="TSV", help="print the summary of an earlier run's TSV; run nothing")
    a = ap.parse_args()
    if a.summarise:
        with open(a.summarise, newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t"))
        for r in rows:
            for k in ("rc", "signal", "rss_kb", "timeout", "over_500mb", "mem_cap", "crash", "panic", "tables",
                      "table_chars", "bad_chars"):
                r[k] = int(r[k])
        summarise(rows, sys.stdout)
        return
    if not a.bin:
        ap.error("--bin is required")
    for tool in ("/usr/bin/time", "timeout", "bash"):
        if not shutil.which(tool):
            sys.exit("%s is missing: apt-get install -y --no-install-recommends time coreutils" % tool)
    if not shutil.which("pdftotext"):
        print("note: pdftotext missing; files not in poppler-reference.tsv get no poppler figures", file=sys.stderr)
    binary = os.path.abspath(a.bin)
    files = list_files()
    if a.only:
        files = [f for f in files if a.only in f]
    if a.limit:
        files = files[:a.limit]
    ref = load_reference()
    tmp = tempfile.mkdtemp(prefix="sweep-robustness-")
    rows = []
    t0 = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            futs = [ex.submit(run_one, binary, f, ref, tmp) for f in files]
            for i, fu in enumerate(futs, 1):
                r = fu.result()
                rows.append(r)
                if r["kind"] not in ("ok", "no_tables") or i % 100 == 0:
                    print("[%d/%d %.0fs] %s: %s %ss %dKB" % (i, len(files), time.monotonic() - t0, r["file"], r["kind"],
                                                          r["wall_s"], r["rss_kb"]), file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(a.out, "w", newline="") as fh:
        wr = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
        wr.writeheader()
        wr.writerows(rows)
    summarise(rows, sys.stdout)
    print("\nper-file results: %s (%.0f s in all)" % (a.out, time.monotonic() - t0))


if __name__ == "__main__":
    main()
