"""An --extend module for ../shared/gold/src/synth.py: other producers and other wordings.

    python3 ../shared/gold/src/synth.py --extend scripts/synth_ext.py --seeds 1-120 --out DIR

milepost's rules were shaped on the four producers and the wordings synth.py draws by default.
This module widens both, so that a run of it measures how milepost reads layouts made by tools and
worded in ways its rules never saw (the generator's own truth, exact as ever):

- producers: WeasyPrint (its own PDF writer, from the same HTML Chromium prints) and wkhtmltopdf
  (Qt WebKit, which ignores CSS page rules: page size and footers come from its options);
- recommendation headings of action plans ("Area for improvement 2:", "Rec 3 –", "4. …");
- header wordings, two-level bands, status scales (single letters, capitals, "In progress",
  compound "Green – on track") and target-date styles (ISO, dotted, "31st March 2026", "By …")
  that the default lists do not have.

Needs `pip install weasyprint` and Debian's wkhtmltopdf. The truth conventions are the
generator's (../shared/gold/README.md); the canonical value of each new status wording is the one
a reader would give it (records.md's scale).
"""
import calendar
import os
import re
import shutil
import subprocess

import synth_data as D
from common import T

D.PRODUCERS += ["weasyprint", "wkhtml"]

D.HEADERS["ref"] += ["#", "Item", "Ref #", "Action no.", "Milestone ref"]
D.HEADERS["theme"] += ["Pillar", "Strategic priority", "Focus area", "Mission", "Priority area"]
D.HEADERS["outcome"] += ["Priority outcome", "Key objective", "Our goal", "Intended outcome",
                         "Objective / outcome", "Outcome sought"]
D.HEADERS["activity"] += ["Key deliverables", "Milestone description", "Action / task", "Description",
                          "Project / activity", "Key activities"]
D.HEADERS["lead"] += ["Responsible lead", "Lead directorate", "Head of service", "Cabinet portfolio",
                      "Accountable lead", "Service lead"]
D.HEADERS["target"] += ["Expected completion", "Planned completion", "Due by", "Milestone date", "End date",
                        "Target completion date", "Date due"]
D.HEADERS["status"] += ["RAG rating", "Delivery status", "BRAG", "Current RAG", "Status (RAG)", "RAG / status",
                        "Q2 status"]
D.HEADERS["rationale"] += ["Comment", "Progress notes", "Position statement", "Explanation",
                           "Update on progress", "Supporting commentary", "Officer comment"]
D.BANDS += [("Current position", "status", "rationale"), ("Delivery timescale", "target", "status"),
            ("Ownership", "lead", "target")]
D.ACTION_HEADERS["activity"] += ["Agreed actions", "Action to be taken", "Response / action"]
D.ACTION_HEADERS["target"] += ["Target completion", "Due", "Date"]
D.ACTION_HEADERS["lead"] += ["Lead officer(s)", "Accountable"]
D.ACTION_HEADERS["status"] += ["RAG", "Update"]

D.STATUS_FAMILIES.update({
    "letters": [("B", "complete"), ("G", "on_track"), ("A", "behind"), ("R", "off_track")],
    "capitals": [("COMPLETE", "complete"), ("ON TRACK", "on_track"), ("AT RISK", "behind"),
                 ("OFF TRACK", "off_track")],
    "in_progress": [("Complete", "complete"), ("In progress", "on_track"), ("Delayed", "behind"),
                    ("Overdue", "off_track"), ("Not started", "not_started")],
    "achieved": [("Achieved", "complete"), ("On target", "on_track"), ("Partially achieved", "behind"),
                 ("Not achieved", "off_track"), ("Not yet due", "not_started")],
    "compound": [("Blue \u2013 complete", "complete"), ("Green \u2013 on track", "on_track"),
                 ("Amber \u2013 some risk", "behind"), ("Red \u2013 off track", "off_track")],
})

MON = D.MONTHS


def _ym(y, m):
    return f"{y}-{m:02d}"


def _ordinal(d):
    return f"{d}{'th' if 11 <= d % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"


def _day(rng, yy, m):
    return calendar.monthrange(yy, m)[1] if rng.random() < 0.7 else rng.choice([1, 14, 15, 28])


def d_iso(rng, y):
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    d = _day(rng, yy, m)
    return T(f"{yy}-{m:02d}-{d:02d}", due=f"{yy}-{m:02d}-{d:02d}")


def d_dotted(rng, y):
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    d = _day(rng, yy, m)
    return T(f"{d:02d}.{m:02d}.{yy}", due=f"{yy}-{m:02d}-{d:02d}")


def d_dmy_short(rng, y):
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    d = _day(rng, yy, m)
    return T(f"{d:02d}/{m:02d}/{yy % 100:02d}", due=f"{yy}-{m:02d}-{d:02d}")


def d_ordinal(rng, y):
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    d = _day(rng, yy, m)
    return T(f"{_ordinal(d)} {MON[m - 1]} {yy}", due=f"{yy}-{m:02d}-{d:02d}")


def d_d_mon_yyyy(rng, y):
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    d = _day(rng, yy, m)
    return T(f"{d} {MON[m - 1][:3]} {yy}", due=f"{yy}-{m:02d}-{d:02d}")


def d_by_month(rng, y):
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    return T(f"By {MON[m - 1]} {yy}", due=_ym(yy, m))


def d_quarter_words(rng, y):
    q, fy = rng.randint(1, 4), y + rng.randint(0, 1)
    due = {1: _ym(fy, 6), 2: _ym(fy, 9), 3: _ym(fy, 12), 4: _ym(fy + 1, 3)}[q]
    return T(f"Quarter {q} {fy}/{(fy + 1) % 100:02d}", due=due)


NEW_DATES = {"iso": d_iso, "dotted": d_dotted, "dmy_short": d_dmy_short, "ordinal": d_ordinal,
             "d_mon_yyyy": d_d_mon_yyyy, "by_month": d_by_month, "quarter_words": d_quarter_words}
D.DATE_STYLES += list(NEW_DATES)


def _html_for(synth, model, pdf, work):
    stem = os.path.splitext(os.path.basename(pdf))[0]
    src = os.path.join(work, stem + ".html")
    with open(src, "w", encoding="utf-8") as f:
        f.write(synth.html_doc(model))
    return src


def render_weasyprint(synth):
    def render(model, pdf, work):
        import weasyprint
        src = _html_for(synth, model, pdf, work)
        weasyprint.HTML(filename=src).write_pdf(pdf)
        return True
    return render


def render_wkhtml(synth):
    def render(model, pdf, work):
        exe = shutil.which("wkhtmltopdf")
        if exe is None:
            raise RuntimeError("wkhtmltopdf not found (Debian: apt-get install wkhtmltopdf)")
        src = _html_for(synth, model, pdf, work)
        html = open(src, encoding="utf-8").read()
        # Qt WebKit knows the CSS 2 page-break properties, not the CSS 3 ones; @page it ignores.
        html = html.replace("break-before: page", "page-break-before: always")
        html = html.replace("break-inside: avoid", "page-break-inside: avoid")
        with open(src, "w", encoding="utf-8") as f:
            f.write(html)
        pg, run = model["page"], model["running"]
        mt, mr, mb, ml = pg["margins"]
        cmd = [exe, "--quiet", "--enable-local-file-access", "-s", "A4",
               "-O", "Landscape" if pg["landscape"] else "Portrait",
               "-T", f"{max(mt, 16)}mm", "-R", f"{mr}mm", "-B", f"{max(mb, 14)}mm", "-L", f"{ml}mm"]
        fs = str(int(pg["pt"]))
        if run["left"]:
            cmd += ["--header-left", run["left"], "--header-right", run["right"] or "", "--header-font-size", fs,
                    "--header-font-name", pg["font"], "--header-spacing", "3"]
        fo = run["footer"]
        if fo != "none":
            txt = {"page": "Page [page]", "page_of": "Page [page] of [topage]",
                   "text_page": f"{run['footer_text']} \u2013 Page [page]"}[fo]
            cmd += ["--footer-center", txt, "--footer-font-size", fs, "--footer-font-name", pg["font"]]
        cmd += [src, pdf]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        return True
    return render


# Recommendation headings of action plans, beyond "Recommendation 1:", "R1." and "Priority 1 –".
NEW_AP_HEADINGS = {
    "area": "Area for improvement {k}: {rt}",
    "rec_short": "Rec {k} \u2013 {rt}",
    "key_rec": "Key recommendation {k}: {rt}",
    "numbered": "{k}. {rt}",
}
D.ACTION_HEADINGS += list(NEW_AP_HEADINGS)


def wrap_build_action(synth):
    """synth.build_action words its headings itself: draw as "Recommendation k: …", then reword
    the heading paragraphs and the truth's groups alike."""
    original = synth.build_action

    def build_action(rng, P):
        style = P["ap_heading"]
        if style not in NEW_AP_HEADINGS:
            return original(rng, P)
        P["ap_heading"] = "recommendation"
        try:
            model, recs = original(rng, P)
        finally:
            P["ap_heading"] = style
        pat = re.compile(r"^Recommendation (\d+): (.*)$", re.S)

        def reword(h):
            m = pat.match(h or "")
            return NEW_AP_HEADINGS[style].format(k=m.group(1), rt=m.group(2)) if m else h
        for b in model["blocks"]:
            if b["t"] == "para" and b.get("style") == "h2":
                b["text"] = reword(b["text"])
        for r in recs:
            r["group"] = reword(r["group"])
        return model, recs
    synth.build_action = build_action


def extend(synth):
    wrap_build_action(synth)
    synth.DATE_FUNCS.update(NEW_DATES)
    synth.PRODUCERS["weasyprint"] = render_weasyprint(synth)
    synth.PRODUCERS["wkhtml"] = render_wkhtml(synth)
