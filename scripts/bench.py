#!/usr/bin/env python3
"""Whole-process speed and memory of milepost against pdftotext, in one run on the same files.

Prints, as medians of --repeat runs (default 5) on this machine:
  * pages/s of `milepost tables` and `milepost extract` on the 117-page large tracker, and of
    `pdftotext -layout` on the same file, and their ratios;
  * seconds per page of `milepost tables` over the peers cases (tests/corpus/peers) against
    pdftotext on the same pages;
  * the full `milepost run` (records, tables, both report packs) on the bundled inputs and on the
    large tracker alone: wall seconds, the ratio to pdftotext on the same PDFs, peak RSS of
    milepost's own process and peak memory of all its processes (workers and layout helper):
    their proportional set sizes sampled every 2 ms (the sampling takes CPU from the run, and
    a slowed run overlaps its processes more), and, where a memory cgroup can be made (Linux,
    root), the kernel's own high-water mark for them, with nothing sampled;
  * a re-run with nothing changed, with a failing input (the form bomb) beside the inputs, as a
    share of the full run;
  * the gold documents and 20 synth seeds, with packs, held to one core (taskset) and on all
    cores, and with --jobs 1 on all cores;
  * Typst's layout and export time of the 600-row tracker's pack and appendix, template by
    template (examples/render_cost.rs, where built).
Also tablers and pdfplumber when they can be imported (pip install tablers pdfplumber).

  cargo build --release --bins --example render_cost && python3 scripts/bench.py [--bin target/release/milepost] [--repeat 5]

With --bin and --templates, an older build (with its own templates folder) is measured the same
way, for a before -> after.

Timing is wall-clock per process (what a user waits for); peak RSS from /usr/bin/time -f %M.
Not a test: speed is never asserted, only reported (README "Measuring").
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LARGE = os.path.join(ROOT, "tests/corpus/gold/docs/large-tracker-600.pdf")
LARGE_PAGES = 117
BOMB = os.path.join(ROOT, "tests/corpus/hostile/formbomb4x30.pdf")


def timed(cmd, cwd=None):
    """Wall seconds and peak RSS (KB) of one process."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%M"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        try:
            rss = int(open(t.name).read().strip().splitlines()[-1])
        except (ValueError, IndexError):
            rss = 0
    return wall, rss


def group_peak(cmd):
    """Peak memory of a process and every process it starts, as the kernel counts it for a
    memory cgroup (Linux, cgroup v1 memory controller, run as root): the command runs in a
    child group whose high-water mark is reset first, and the group's usage before the start is
    taken off. Private memory of every process plus the page cache they write (the outputs);
    nothing is sampled, so the run is not slowed. None where no such group can be made."""
    group = "/sys/fs/cgroup/memory/milepost-bench"
    try:
        os.makedirs(group, exist_ok=True)
        subprocess.run(["sync"])
        with open(f"{group}/memory.max_usage_in_bytes", "w") as f:
            f.write("0")
        with open(f"{group}/memory.usage_in_bytes") as f:
            before = int(f.read())
        join = lambda: open(f"{group}/cgroup.procs", "w").write(str(os.getpid()))
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=join)
        with open(f"{group}/memory.max_usage_in_bytes") as f:
            return (int(f.read()) - before) // 1024
    except OSError:
        return None


def tree_pss(cmd):
    """Peak memory of a process and every process it starts (a run's document workers and
    layout helper), as the sum of their proportional set sizes (shared pages counted once),
    sampled every 2 ms from /proc; 0 where /proc has no smaps_rollup."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while p.poll() is None:
        total, todo, seen = 0, [p.pid], set()
        while todo:
            pid = todo.pop()
            if pid in seen:
                continue
            seen.add(pid)
            try:
                with open(f"/proc/{pid}/smaps_rollup") as f:
                    total += sum(int(l.split()[1]) for l in f if l.startswith("Pss:"))
                for t in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{t}/children") as f:
                        todo += [int(c) for c in f.read().split()]
            except (OSError, ValueError):
                pass
        peak = max(peak, total)
        time.sleep(0.002)
    return peak


def median_of(n, fn):
    runs = [fn() for _ in range(n)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/milepost"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--templates", default=os.path.join(ROOT, "templates"), help="templates folder (an older build needs its own)")
    a = ap.parse_args()
    mp = os.path.abspath(a.bin)
    templates = os.path.abspath(a.templates)
    work = tempfile.mkdtemp(prefix="milepost-bench-")
    n = a.repeat
    try:
        out = os.path.join(work, "t")
        ptt, _ = median_of(n, lambda: timed(["pdftotext", "-layout", LARGE, os.path.join(work, "x.txt")]))
        tab, tab_rss = median_of(n, lambda: (shutil.rmtree(out, ignore_errors=True), timed([mp, "-q", "tables", LARGE, "--out", out]))[1])
        ext, ext_rss = median_of(n, lambda: timed([mp, "-q", "--templates", templates, "extract", LARGE, "-o", os.path.join(work, "r.jsonl")]))
        print(f"large tracker ({LARGE_PAGES} pages), medians of {n}:")
        print(f"  pdftotext -layout   {ptt:6.3f} s  {LARGE_PAGES / ptt:7.0f} pages/s")
        print(f"  milepost tables     {tab:6.3f} s  {LARGE_PAGES / tab:7.0f} pages/s  {ptt / tab:5.2f}x pdftotext  peak {tab_rss / 1024:.0f} MB")
        print(f"  milepost extract    {ext:6.3f} s  {LARGE_PAGES / ext:7.0f} pages/s  {ptt / ext:5.2f}x pdftotext  peak {ext_rss / 1024:.0f} MB")
        for name, code in [("tablers", "import tablers"), ("pdfplumber", "import pdfplumber")]:
            if subprocess.run(["python3", "-c", code], capture_output=True).returncode == 0:
                script = {
                    "tablers": f"import tablers\ndoc=tablers.Document(path={LARGE!r})\nfor p in doc.pages(): tablers.find_tables(p)",
                    "pdfplumber": f"import pdfplumber\nwith pdfplumber.open({LARGE!r}) as pdf:\n    [p.extract_tables() for p in pdf.pages]",
                }[name]
                t, _ = median_of(max(1, n // 2), lambda: timed(["python3", "-c", script]))
                print(f"  {name:<19} {t:6.3f} s  {LARGE_PAGES / t:7.0f} pages/s  {ptt / t:5.2f}x pdftotext")
        # Peers: one page each.
        peers = []
        for dp, _, fs in os.walk(os.path.join(ROOT, "tests/corpus/peers")):
            peers += [os.path.join(dp, f) for f in fs if f.endswith(".pdf")]
        if peers:
            pt, _ = median_of(n, lambda: timed(["pdftotext", "-layout"] + peers[:1] + [os.path.join(work, "p.txt")]))
            # Each file timed with milepost and pdftotext one after the other, so that the
            # machine's drift over the loop weighs on both alike.
            mts, pts = [], []
            for _ in range(n):
                mt = pt = 0.0
                for p in peers:
                    mt += timed([mp, "-q", "tables", p, "--out", os.path.join(work, "pt")])[0]
                    pt += timed(["pdftotext", "-layout", p, os.path.join(work, "p.txt")])[0]
                mts.append(mt)
                pts.append(pt)
            mt_all, pt_all = statistics.median(mts), statistics.median(pts)
            print(f"peers cases ({len(peers)} files, one process each): milepost tables {1000 * mt_all / len(peers):.1f} ms/file, "
                  f"pdftotext {1000 * pt_all / len(peers):.1f} ms/file: {pt_all / mt_all:.2f}x")
        # Full runs.
        def full(inputs, label):
            ind = os.path.join(work, label + "-in")
            shutil.rmtree(ind, ignore_errors=True)
            os.makedirs(ind)
            for f in inputs:
                shutil.copy(f, ind)
            o = os.path.join(work, label + "-out")
            run = lambda: (shutil.rmtree(o, ignore_errors=True), timed([mp, "-q", "--templates", templates, "run", ind, "-o", o]))[1]
            t, rss = median_of(n, run)
            ref = sum(median_of(n, lambda f=f: timed(["pdftotext", "-layout", f, os.path.join(work, "y.txt")]))[0] for f in inputs)
            pss = statistics.median((shutil.rmtree(o, ignore_errors=True), tree_pss([mp, "-q", "--templates", templates, "run", ind, "-o", o]))[1] for _ in range(n))
            groups = [(shutil.rmtree(o, ignore_errors=True), group_peak([mp, "-q", "--templates", templates, "run", ind, "-o", o]))[1] for _ in range(n)]
            group = f", {statistics.median(groups) / 1024:.0f} MB (all its processes, cgroup peak)" if None not in groups else ""
            print(f"full run, {label}: {t:.2f} s = {t / ref:.1f}x pdftotext on the same PDFs, peak {rss / 1024:.0f} MB "
                  f"(milepost's own process), {pss / 1024:.0f} MB (all its processes, PSS sampled every 2 ms){group}")
            return ind, o, t
        inputs = [os.path.join(ROOT, "inputs", f) for f in sorted(os.listdir(os.path.join(ROOT, "inputs"))) if f.endswith(".pdf")]
        full([LARGE], "large tracker with its pack")
        ind, o, t_full = full(inputs, "bundled inputs with packs")
        shutil.copy(BOMB, ind)
        timed([mp, "-q", "--templates", templates, "run", ind, "-o", o])  # records the bomb's refusal
        rerun, _ = median_of(n, lambda: timed([mp, "-q", "--templates", templates, "run", ind, "-o", o]))
        print(f"re-run, nothing changed, a form bomb beside the inputs: {rerun:.2f} s = {100 * rerun / t_full:.0f}% of the full run")
        # One thread against all: the gold documents and the first 20 synth seeds, with packs.
        many = os.path.join(work, "many-in")
        os.makedirs(many)
        gold = os.path.join(ROOT, "tests/corpus/gold/docs")
        synth = os.path.join(ROOT, "tests/corpus/synth")
        for f in sorted(os.listdir(gold)):
            if f.endswith(".pdf"):
                shutil.copy(os.path.join(gold, f), many)
        for f in sorted(f for f in os.listdir(synth) if f.endswith(".pdf"))[:20]:
            shutil.copy(os.path.join(synth, f), many)
        mo = os.path.join(work, "many-out")
        # One thread: the whole process tree held to one core (taskset), as a machine with one
        # core would run it (`--jobs 1` alone reads one document at a time, but its pages and
        # Typst's export still use every core). Then --jobs 1 on all cores, and all cores.
        one_core = ["taskset", "-c", str(min(os.sched_getaffinity(0)))] if shutil.which("taskset") else []
        many_run = lambda pre, jobs: median_of(max(1, n // 2), lambda: (shutil.rmtree(mo, ignore_errors=True), timed(pre + [mp, "-q", "--templates", templates, "run", "--jobs", jobs, many, "-o", mo]))[1])
        (tn, rn) = many_run([], "0")
        (tj, rj) = many_run([], "1")
        if one_core:
            (t1, r1) = many_run(one_core, "1")
            print(f"gold + 20 synth seeds with packs: one core {t1:.2f} s (peak {r1 / 1024:.0f} MB), all {os.cpu_count()} cores {tn:.2f} s (peak {rn / 1024:.0f} MB): {t1 / tn:.2f}x")
        print(f"gold + 20 synth seeds with packs: --jobs 1 (all cores) {tj:.2f} s, --jobs 0 {tn:.2f} s: {tj / tn:.2f}x")
        # What laying out the 600-row tracker's pack and appendix costs, per template (Typst's
        # layout and PDF export, one at a time): `cargo build --release --example render_cost`.
        cost = os.path.join(os.path.dirname(mp), "examples", "render_cost")
        if os.path.exists(cost):
            recs = os.path.join(work, "large.jsonl")
            subprocess.run([mp, "-q", "--templates", templates, "extract", LARGE, "-o", recs], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            r = subprocess.run([cost, recs, templates, str(n)], capture_output=True, text=True)
            print("layout of the 600-row tracker's documents, one at a time (examples/render_cost):")
            for line in r.stdout.splitlines()[1:]:
                print("  " + line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
