"""A second --extend module for ../shared/gold/src/synth.py: everything synth_ext.py draws, and more.

    python3 ../shared/gold/src/synth.py --extend scripts/synth_ext2.py --seeds 1-120 --out DIR

synth_ext.py stays as it was (the fixtures in tests/corpus/synth-other/ were drawn with it and a
seed's draw depends on the lengths of the lists); this module loads it, then widens again:

- a producer: xhtml2pdf (the HTML Chromium prints, laid out by xhtml2pdf on ReportLab's platypus,
  which ignores collapsed borders and fixed table layout). Gnumeric (ssconvert of Calc's workbook)
  was tried and left out: it does not fit the sheet to the page width, so columns fall on later
  pages and rows clip their text, which no council would publish;
- status scales and target-date styles in still other wordings ("Minor delay", "On course",
  "Some concerns", "Sept 2026", "Jan–Mar 2026", "2026-27", "31 Mar 26"); the canonical value of
  each new wording is the one a reader would give it (records.md's scale).

Needs `pip install xhtml2pdf`, with what synth_ext.py needs. Set SYNTH_PRODUCERS=xhtml2pdf (a
comma-separated list) to draw only some producers, for a run that measures them alone.
"""
import calendar
import importlib.util
import os

import synth_data as D
from common import T

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("synth_ext_base", os.path.join(_here, "synth_ext.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

D.PRODUCERS += ["xhtml2pdf"]
if os.environ.get("SYNTH_PRODUCERS"):
    D.PRODUCERS[:] = [p.strip() for p in os.environ["SYNTH_PRODUCERS"].split(",") if p.strip()]

D.HEADERS["activity"] += ["Milestone / action", "Deliverable", "What we will do"]
D.HEADERS["target"] += ["Timescale", "Completion date", "When"]
D.HEADERS["status"] += ["Progress status", "Overall status", "Status at Q3"]
D.HEADERS["rationale"] += ["Progress to date", "Commentary / mitigation", "Narrative"]
D.HEADERS["lead"] += ["Owner", "Responsible officer"]

D.STATUS_FAMILIES.update({
    "minor_major": [("Completed", "complete"), ("Progressing well", "on_track"), ("Minor delay", "behind"),
                    ("Major delay", "off_track"), ("Not yet started", "not_started")],
    "concerns": [("Done", "complete"), ("On course", "on_track"), ("Some concerns", "behind"),
                 ("Significant concerns", "off_track"), ("Future milestone", "not_started")],
})

MON = D.MONTHS


def _ym(y, m):
    return f"{y}-{m:02d}"


def d_sept(rng, y):
    """Four-letter month abbreviations as offices write them ("Sept 2026", "June 2026")."""
    m, yy = rng.choice([6, 7, 9]), y + rng.randint(0, 1)
    return T(f"{ {6: 'June', 7: 'July', 9: 'Sept'}[m]} {yy}", due=_ym(yy, m))


def d_mon_range(rng, y):
    m1 = rng.randint(1, 9)
    m2 = rng.randint(m1 + 1, 12)
    yy = y + rng.randint(0, 1)
    return T(f"{MON[m1 - 1][:3]}\u2013{MON[m2 - 1][:3]} {yy}", start=_ym(yy, m1), due=_ym(yy, m2))


def d_fin_year_hyphen(rng, y):
    fy = y + rng.randint(0, 1)
    return T(f"{fy}-{(fy + 1) % 100:02d}", due=_ym(fy + 1, 3))


def d_day_mon_yy(rng, y):
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    d = calendar.monthrange(yy, m)[1]
    return T(f"{d} {MON[m - 1][:3]} {yy % 100:02d}", due=f"{yy}-{m:02d}-{d:02d}")


NEW_DATES = {"sept": d_sept, "mon_range": d_mon_range, "fin_year_hyphen": d_fin_year_hyphen,
             "day_mon_yy": d_day_mon_yy}
D.DATE_STYLES += list(NEW_DATES)


def render_xhtml2pdf(synth):
    def render(model, pdf, work):
        from xhtml2pdf import pisa
        src = base._html_for(synth, model, pdf, work)
        html = open(src, encoding="utf-8").read()
        try:
            with open(pdf, "wb") as f:
                res = pisa.CreatePDF(html, dest=f, encoding="utf-8")
            ok = not res.err
        except Exception:                   # e.g. a merged cell taller than a page: platypus gives up
            ok = False
        if not ok:
            # synth.py redraws a seed whose text check fails, not one whose renderer raises: leave
            # a PDF without the rows, so that the check fails and the seed is drawn again.
            from reportlab.pdfgen import canvas
            c = canvas.Canvas(pdf)
            c.drawString(72, 720, "xhtml2pdf could not lay this document out")
            c.save()
        return True
    return render


def extend(synth):
    base.extend(synth)
    synth.DATE_FUNCS.update(NEW_DATES)
    synth.PRODUCERS["xhtml2pdf"] = render_xhtml2pdf(synth)
