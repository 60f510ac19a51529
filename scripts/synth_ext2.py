"""A second --extend module for ../shared/gold/src/synth.py: everything synth_ext.py draws, and more.

    python3 ../shared/gold/src/synth.py --extend scripts/synth_ext2.py --seeds 1-120 --out DIR

synth_ext.py stays as it was (the fixtures in tests/corpus/synth-other/ were drawn with it and a
seed's draw depends on the lengths of the lists); this module loads it, then widens again:

- producers: xhtml2pdf (the HTML Chromium prints, laid out by xhtml2pdf on ReportLab's platypus,
  which ignores collapsed borders and fixed table layout; its fonts, the standard Helvetica and
  Times, not embedded) and pdfLaTeX (longtable with colortbl, Type 1 fonts, rules as filled bars,
  a merged cell written in its first row with no rule under it, as LaTeX users set one). Gnumeric (ssconvert of Calc's workbook)
  was tried and left out: it does not fit the sheet to the page width, so columns fall on later
  pages and rows clip their text, which no council would publish;
- status scales and target-date styles in still other wordings ("Minor delay", "On course",
  "Some concerns", "Sept 2026", "Jan–Mar 2026", "2026-27", "31 Mar 26"); the canonical value of
  each new wording is the one a reader would give it (records.md's scale).

Needs `pip install xhtml2pdf` and Debian's texlive-latex-extra and texlive-fonts-recommended,
with what synth_ext.py needs. Set SYNTH_PRODUCERS=xhtml2pdf (a
comma-separated list) to draw only some producers, for a run that measures them alone.
"""
import calendar
import importlib.util
import os
import shutil
import subprocess

import synth_data as D
from common import T

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("synth_ext_base", os.path.join(_here, "synth_ext.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

D.PRODUCERS += ["xhtml2pdf", "latex"]
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



_TEX_ESC = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(s):
    return "".join(_TEX_ESC.get(ch, ch) for ch in s)


def _hex(c):
    return c.lstrip("#").upper()


def latex_doc(model):
    pg, run = model["page"], model["running"]
    mt, mr, mb, ml = pg["margins"]
    if run["left"]:
        mt = max(mt, 16)
    if run["footer"] != "none":
        mb = max(mb, 14)
    p = pg["pt"]
    font = pg["font"]
    fontpkg = r"\usepackage{mathptmx}" if "Serif" in font else r"\usepackage[scaled=0.92]{helvet}\renewcommand{\familydefault}{\sfdefault}"
    pw = 297 if pg["landscape"] else 210
    text_mm = pw - ml - mr
    out = [r"\documentclass{article}", r"\usepackage[T1]{fontenc}", r"\usepackage[utf8]{inputenc}", fontpkg,
           rf"\usepackage[a4paper,{'landscape,' if pg['landscape'] else ''}top={mt}mm,bottom={mb}mm,left={ml}mm,right={mr}mm,headsep=3mm,footskip=7mm]{{geometry}}",
           r"\usepackage[table]{xcolor}", r"\usepackage{longtable,array,fancyhdr,lastpage}",
           r"\hyphenpenalty=10000 \exhyphenpenalty=10000 \sloppy",
           r"\setlength{\parindent}{0pt}\setlength{\tabcolsep}{3pt}\setlength{\LTpre}{0pt}\setlength{\LTpost}{4mm}",
           r"\setlength{\arrayrulewidth}{0.5pt}\renewcommand{\arraystretch}{1.15}\setlength{\extrarowheight}{1.5pt}",
           r"\pagestyle{fancy}\fancyhf{}\renewcommand{\headrulewidth}{0pt}"]
    if run["left"]:
        out.append(rf"\fancyhead[L]{{\fontsize{{{p - 1}}}{{{(p - 1) * 1.2:.1f}}}\selectfont {_tex(run['left'])}}}")
        out.append(rf"\fancyhead[R]{{\fontsize{{{p - 1}}}{{{(p - 1) * 1.2:.1f}}}\selectfont\bfseries {_tex(run['right'] or '')}}}")
    fo = run["footer"]
    if fo != "none":
        txt = {"page": r"Page \thepage", "page_of": r"Page \thepage\ of \pageref{LastPage}",
               "text_page": _tex(run["footer_text"]) + r" \textendash{} Page \thepage"}[fo]
        out.append(rf"\fancyfoot[C]{{\fontsize{{{p - 1}}}{{{(p - 1) * 1.2:.1f}}}\selectfont {txt}}}")
    out.append(r"\begin{document}")
    out.append(rf"\fontsize{{{p}}}{{{p * 1.2:.1f}}}\selectfont")
    sizes = {"cover_big": 12, "cover_title": 8, "cover": 3, "title": 5, "h1": 4, "h2": 2, "body": 0.5}
    for b in model["blocks"]:
        if b["break"]:
            out.append(r"\clearpage")
        if b["t"] == "para":
            sz = p + sizes[b["style"]]
            bold = b["style"] in ("cover_big", "cover_title", "title", "h1", "h2")
            space = {"cover_big": "25mm", "h1": "3mm", "h2": "2mm"}.get(b["style"])
            if space:
                out.append(rf"\vspace*{{{space}}}")
            weight = r"\bfseries" if bold else ""
            out.append(rf"{{\fontsize{{{sz}}}{{{sz * 1.25:.1f}}}\selectfont{weight} {_tex(b['text'])}\par}}\vspace{{2mm}}")
            continue
        out.append(latex_table(b, text_mm * (0.6 if b.get("key") else 1.0), p))
        out.append(rf"\fontsize{{{p}}}{{{p * 1.2:.1f}}}\selectfont")
    out.append(r"\end{document}")
    return "\n".join(out)


def latex_table(b, width_mm, p):
    n = len(b["widths"])
    inner = [max(5.0, f * width_mm - 2 * 3 * 25.4 / 72) for f in b["widths"]]  # less the padding

    def rows_of(rows):
        """Each row's cells as (col, cell, is_continuation) and which columns have a rule below."""
        owner = {}
        for ri, r in enumerate(rows):
            ci = 0
            for ci, c in enumerate(r["cells"]):
                if c is None:
                    continue
                for dr in range(c["rs"]):
                    for dc in range(c["cs"]):
                        owner[(ri + dr, ci + dc)] = (ri, ci, c)
        return owner

    def emit(rows):
        owner = rows_of(rows)
        lines = []
        # a rule above the first row: any cell of it with a top border
        first = [owner.get((0, c)) for c in range(n)]
        tops = [bool(o and o[2]["B"].get("t")) for o in first]
        lines.append(rules_line(tops))
        for ri, r in enumerate(rows):
            cells = []
            c = 0
            while c < n:
                o = owner.get((ri, c))
                if o is None:
                    cells.append(r"\multicolumn{1}{p{%.1fmm}}{}" % inner[c])
                    c += 1
                    continue
                r0, c0, cell = o
                if c0 != c:       # inside a column span: skipped by the multicolumn
                    c += 1
                    continue
                cs = cell["cs"]
                w = sum(inner[c:c + cs]) + (cs - 1) * 2 * 3 * 25.4 / 72
                B = cell["B"]
                left = "|" if (c == 0 and B.get("l")) or (c > 0 and B.get("l")) else ""
                right = "|" if B.get("r") else ""
                if c > 0 and left:
                    # the cell to the left already drew its right rule there
                    prev = owner.get((ri, c - 1))
                    if prev and prev[2]["B"].get("r"):
                        left = ""
                align = {"center": r"\centering", "right": r"\raggedleft"}.get(cell["align"], r"\raggedright")
                body = ""
                if r0 == ri:
                    txt = r"\newline ".join(_tex(x) for x in cell["lines"])
                    if cell["bold"]:
                        txt = r"\textbf{" + txt + "}"
                    if cell["italic"]:
                        txt = r"\textit{" + txt + "}"
                    if cell["dsize"]:
                        sz = p + cell["dsize"]
                        txt = rf"{{\fontsize{{{sz}}}{{{sz * 1.2:.1f}}}\selectfont " + txt + "}"
                    if cell["fg"]:
                        txt = rf"\textcolor[HTML]{{{_hex(cell['fg'])}}}{{" + txt + "}"
                    body = txt
                bg = rf"\cellcolor[HTML]{{{_hex(cell['bg'])}}}" if cell["bg"] else ""
                cells.append(r"\multicolumn{%d}{%s>{%s\arraybackslash}p{%.1fmm}%s}{%s%s}" % (cs, left, align, w, right, bg, body))
                c += cs
            lines.append(" & ".join(cells) + r" \\")
            # rules below this row: the cell owning each column ends here and has a bottom border,
            # or the next row's cell starts there with a top border
            below = []
            for c in range(n):
                o = owner.get((ri, c))
                ends = o is not None and o[0] + o[2]["rs"] - 1 == ri
                nb = owner.get((ri + 1, c))
                starts = nb is not None and nb[0] == ri + 1
                below.append(bool((ends and o[2]["B"].get("b")) or (starts and nb[2]["B"].get("t"))))
            lines.append(rules_line(below))
        return lines

    def rules_line(flags):
        if all(flags):
            return r"\hline"
        out, c = [], 0
        while c < n:
            if flags[c]:
                d = c
                while d + 1 < n and flags[d + 1]:
                    d += 1
                out.append(r"\cline{%d-%d}" % (c + 1, d + 1))
                c = d + 1
            else:
                c += 1
        return "".join(out)

    spec = "".join(r"p{%.1fmm}" % w for w in inner)
    t = [r"\begin{longtable}{@{}%s@{}}" % spec]
    if b["head"]:
        head = emit(b["head"])
        t += head + [r"\endhead"]
    t += emit(b["body"])
    t.append(r"\end{longtable}")
    return "\n".join(t)


def render_latex(model, pdf, work):
    exe = shutil.which("pdflatex")
    if exe is None:
        raise RuntimeError("pdflatex not found (Debian: apt-get install texlive-latex-extra texlive-fonts-recommended)")
    stem = os.path.splitext(os.path.basename(pdf))[0]
    src = os.path.join(work, stem + ".tex")
    with open(src, "w", encoding="utf-8") as f:
        f.write(latex_doc(model))
    ok = True
    for _ in range(3):      # longtable widths and LastPage settle over runs
        r = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error", stem + ".tex"], cwd=work,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        ok = r.returncode == 0
        if not ok:
            break
    built = os.path.join(work, stem + ".pdf")
    if ok and os.path.exists(built):
        if os.path.abspath(built) != os.path.abspath(pdf):
            shutil.move(built, pdf)
    else:
        # see render_xhtml2pdf: a PDF without the rows makes synth.py draw the seed again
        from reportlab.pdfgen import canvas
        c = canvas.Canvas(pdf)
        c.drawString(72, 720, "pdflatex could not typeset this document")
        c.save()
    return True

def extend(synth):
    base.extend(synth)
    synth.DATE_FUNCS.update(NEW_DATES)
    synth.PRODUCERS["xhtml2pdf"] = render_xhtml2pdf(synth)
    synth.PRODUCERS["latex"] = render_latex
