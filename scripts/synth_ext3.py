"""A third --extend module for ../shared/gold/src/synth.py: document families milepost was never tuned on.

    SYNTH_FAMILY=slides python3 ../shared/gold/src/synth.py --extend scripts/synth_ext3.py \
        --seeds 3001-3070 --out /work/gen/slides --jobs 2
    python3 ../shared/gold/src/synth.py --extend scripts/synth_ext3.py --seeds 1-140 --out DIR   # all mixed

SYNTH_FAMILY is a comma-separated list of the families below (default: all of them, dealt to the
seeds from a shuffled deck so that any 7 consecutive seeds see every family). Each seed is
deterministic (its draws come from random.Random of the seed, the attempt and the family). Unlike
synth_ext.py / synth_ext2.py this module does not widen synth_data's lists for everyone: each family
changes only its own dimension, and the rest of the document is drawn as synth.py draws it, so a
score on one family measures that family.

Families (P["family"] in the NNNN.json params):

- slides:   slide decks. A .pptx built with python-pptx (16:9), converted by LibreOffice Impress.
            An optional title slide, then one table per slide under a slide title naming the
            directorate / theme (truth: theme = the title, in title case; a theme runs over 1-3
            slides); banded rows (two alternating fills) with white rules or none; sometimes a bold
            full-width group row right under the header (truth: group, for that slide's rows);
            council column wordings ("What we have committed to | Led by | Timescale | Measure |
            Shared Outcome"); leads as officer abbreviations (DPH, CPH, AD Housing, ...); dates
            "Mar\\n2026", "Jan 25-October 25", "Sept 2024", "1-2 years" (due null), "commenced
            2024" (due null). Decks with a status column are trackers (kind milestone); without one
            they are action plans (kind action, status {text null, value unknown}, as synth.py's
            action plans), theme still the slide title, group the group row. A "Shared Outcome"
            column is the outcome (truth outcome); a "Measure" column goes to truth "extra".
- docx:     Word documents: a python-docx .docx converted by LibreOffice Writer, drawn from
            synth.py's own tracker / action-plan model (title, intro paragraphs, one table per theme
            under a heading paragraph more often than not; Word's Title / Heading styles; cell
            borders and shading as Word writes them; header rows marked to repeat).
- rules:    synth.py trackers with rule styles synth.py never draws: vertical rules only (with or
            without the outer edges), booktabs (a rule under the header and one at the end of the
            table, with or without a top rule; nothing else), and vertical rules only with
            colour-only status cells (every RAG cell a fill with no word; truth as synth.py's
            colour-only cells: text null, value from the fill, flag status_from_colour).
- blind:    synth.py trackers and action plans whose every column heading (and two-level band)
            is replaced by words no heading list holds ("Column 3", "Field C", "Item", "Detail",
            "Information", ...). Content and truth unchanged.
- wordings: synth.py trackers whose status cells use wordings outside templates/status.toml
            (about 60 of them, arrows and symbols included: "In progress \u2013 behind schedule",
            "\u25b2 At risk", "Falling behind", "Will not be achieved", ...); the truth value is
            what a council reader would say (STATUS_WORDINGS below). Some are a listed wording
            followed by a gloss that changes it ("In progress \u2013 behind schedule" is behind,
            not on_track): deliberate.
- extra:    synth.py trackers with 1-3 extra columns no role covers ("Measure", "Budget (\u00a3k)",
            "Direction of travel" with \u2191 \u2193 \u2192, "Funding source", "Spend to date
            (\u00a3k)", "Shared outcome" tags where an outcome column exists, ...) and a lead column
            of officer abbreviations. Truth records carry "extra": {"<heading as printed>": "<cell
            text>"} (the scorer ignores unknown fields).
- small:    small board action logs: 2-6 rows on one page (headings such as "Ref | Source (agenda
            title / item / date / Action Ref) | Action | Lead | Due Date | NEW DATE | Status |
            Proposed to Open/ Close" or "No. | Action | By When / By Whom | Update"). A NEW DATE
            column gives target.revised_due; narrative statuses ("Verbal update to be provided")
            are status.text with value unknown unless the narrative says a status ("Item not due
            yet" not_started, "Proposed for Closure" complete); some logs rate 1-4 with a key table
            or key paragraph on the page (value through the key). kind action, theme / outcome /
            group null; the Source and Open/Close cells go to "extra".

Producers: slides -> "pptx"; docx -> "docx" (both registered here); small -> writer, docx,
reportlab or calc; rules / blind / wordings / extra -> writer, calc or reportlab (chromium too
where it is installed). Truth shape and conventions are synth.py's (../shared/gold/README.md);
source.page is measured after rendering with common.find_start_pages, and synth.py's text check
(verify) runs on every family.

Needs LibreOffice (soffice), poppler-utils, and `pip install reportlab openpyxl python-pptx
python-docx`. Run at most 2 jobs on a 2-core machine (each job runs one soffice at a time).
"""
import os
import random
import re
import shutil

import synth_data as D
from common import T, collapse, norm, soffice_convert

FAMILIES = ["slides", "docx", "rules", "blind", "wordings", "extra", "small"]
_env = [f.strip() for f in os.environ.get("SYNTH_FAMILY", "").split(",") if f.strip()]
for _f in _env:
    if _f not in FAMILIES:
        raise SystemExit(f"SYNTH_FAMILY: unknown family {_f!r} (one of {', '.join(FAMILIES)})")
SELECTED = _env or list(FAMILIES)

BASE_FAMILIES = sorted(D.STATUS_FAMILIES)          # synth.py's own status families (not widened here)
MON = D.MONTHS

# per-process state of the seed being built (make_seed builds and writes in one process)
_CUR = {"P": None, "extra": {}}
_S = {}   # the synth module (run as __main__: never `import synth`, that would load a second copy)

# ====================================================================== word lists

LEAD_ABBR = ["DPH", "CPH", "DDPH", "AD Housing", "Head of Service", "AD Public Health", "DASS", "DCS", "CEX",
             "HoS Housing", "PH Consultant", "Head of Service \u2013 Communities", "CPH / ICB", "DPH / AD Comms",
             "AD Regen", "S151 Officer", "HoS Planning", "CFO", "Dir. Place", "AD Env", "HoS ASC", "AD Children",
             "Head of Service (Leisure)", "Snr Policy Officer", "PH Lead (Healthy Weight)", "AD Economy"]

DIRECTORATES = ["Public Health", "Adult Social Care", "Housing and Homelessness", "Children\u2019s Services",
                "Place and Regeneration", "Environment and Climate", "Communities and Neighbourhoods",
                "Resources and Corporate Services", "Economy and Skills", "Leisure, Culture and Tourism",
                "Health Protection", "Healthy Places", "Best Start in Life", "Living Well", "Ageing Well",
                "Mental Wellbeing", "Tackling Inequalities", "Strategic Housing"]

SLIDE_HEADERS = {
    "activity": ["What we have committed to", "What we said we would do", "Action", "Key actions",
                 "Deliverable", "What we will do", "Commitment"],
    "lead": ["Led by", "Lead", "Owner", "Who", "Responsible"],
    "target": ["Timescale", "When", "By when", "Target date", "Timeframe"],
    "measure": ["Measure", "How we will measure success", "Success measure", "KPI"],
    "outcome": ["Shared Outcome", "Shared outcome(s)", "Outcome"],
    "status": ["Status", "RAG", "Progress", "Rating"],
    "rationale": ["Update", "Progress update", "Commentary", "Comments"],
}

MEASURES = ["% of residents who feel safe after dark", "Number of homes retrofitted", "Households in temporary "
            "accommodation", "Smoking prevalence in adults", "Uptake of NHS Health Checks", "Number of rough "
            "sleepers", "% of children school ready", "Physical activity levels (Active Lives)",
            "Visitor numbers", "Tonnes of CO2 saved", "Number of new affordable homes", "Referrals completed "
            "in 28 days", "Waiting list length", "Number of volunteers", "Bus patronage", "Recycling rate",
            "Staff turnover", "Customer satisfaction score", "Number of businesses supported",
            "Take up of Healthy Start vouchers", "Excess weight in Year 6", "Delayed transfers of care"]

SHARED_TAGS = ["Health and wellbeing", "Economy", "Climate", "Safer communities", "Housing", "Children and "
               "families", "Inclusion", "Place", "Prevention", "Independence"]
FUNDING = ["General Fund", "HRA", "UKSPF", "Capital programme", "Public Health Grant", "Better Care Fund",
           "External grant", "Reserves", "S106"]
DIRECTIONS = ["\u2191", "\u2193", "\u2192", "\u2191 Improving", "\u2193 Worsening", "\u2192 Stable"]

# extra columns: heading -> kind of value
EXTRA_COLS = ["Measure", "Budget (\u00a3k)", "Direction of travel", "Funding source", "Spend to date (\u00a3k)",
              "Risk score", "Performance indicator", "Baseline"]

# Blind headings: words that no heading list in templates/columns.toml holds (checked below).
BLIND_PHRASES = ["Item", "Detail", "Information", "Field C", "Particulars", "Entry", "Column A", "Section",
                 "Specifics", "Element", "Subject", "Matter", "Heading", "Key", "Details", "Part 2", "Box 4",
                 "Field B", "Column", "Data", "Misc.", "Part A", "Line", "Facts", "Content", "Item 2", "Field E"]
_COLUMN_WORDS = ["theme", "priority", "ambition", "pillar", "strand", "workstream", "outcome", "objective", "aim",
                 "goal", "commitment", "aspiration", "activit", "milestone", "action", "deliverable", "task",
                 "what we", "response", "how we", "project", "initiative", "intervention", "target", "due",
                 "deadline", "timescale", "timeline", "completion", "when", "date", "timeframe", "time",
                 "status", "rag", "rating", "brag", "traffic", "rationale", "comment", "update", "progress",
                 "narrative", "notes", "position", "explanation", "summary", "remark", "ref", "no.", "id",
                 "lead", "owner", "officer", "responsib", "accountable", "portfolio", "cabinet", "sponsor",
                 "directorate"]
BLIND_PHRASES = [w for w in BLIND_PHRASES if not any(k in w.lower() for k in _COLUMN_WORDS)]

# ---------------------------------------------------------------------- status wordings
# (printed wording, canonical value): none of them is a wording of templates/status.toml as it stands
STATUS_WORDINGS = {
    "complete": ["Delivered in full", "Fully delivered", "Work concluded", "Signed off", "Achieved in full",
                 "Now in place", "\u25cf Finished and handed over", "Closed \u2013 delivered", "All done",
                 "Delivered ahead of plan", "Now part of normal service"],
    "on_track": ["Going to plan", "Running to time", "Expected to be met", "Will be delivered on time",
                 "\u25b2 Progressing as planned", "No issues", "Within timescale", "On course for delivery",
                 "Moving forward as planned", "\u2192 Steady progress", "Delivery expected on time",
                 "Good \u2013 no concerns"],
    "behind": ["In progress \u2013 behind schedule", "\u25b2 At risk", "Falling behind", "Work has slipped",
               "Running late", "Delivery under pressure", "Experiencing delays", "\u25bc Slipping",
               "Small delay expected", "Behind but recoverable", "Timescale under review",
               "Some risk to delivery", "Later than planned"],
    "off_track": ["Will not be achieved", "Won\u2019t be delivered this year", "Not going to be met",
                  "Significantly behind", "Target missed", "Unachievable in year", "Critical \u2013 needs "
                  "intervention", "Stalled", "Severely delayed", "\u25bc Failing", "Well behind plan"],
    "not_started": ["Due to start in Q3", "Not yet underway", "Awaiting start", "Scheduled for next year",
                    "Yet to begin", "Starts later in the year", "Not begun \u2013 on hold until April"],
    "cancelled": ["No longer being taken forward", "Removed from plan", "Dropped", "Discontinued",
                  "Replaced by new approach", "Not proceeding"],
}
# "Not begun - on hold until April": not yet started, and will start: not_started


def _ym(y, m):
    return f"{y}-{m:02d}"


# ====================================================================== new date styles (slides, small)


def d_lines_mon_year(rng, y):
    """"Mar" over "2026": month and year on separate lines."""
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    mon = MON[m - 1] if rng.random() < 0.3 else MON[m - 1][:3]
    return T([mon, str(yy)], due=_ym(yy, m))


def d_mixed_range_yy(rng, y):
    """"Jan 25-October 25": two-digit years, one month abbreviated, one not."""
    m1 = rng.randint(1, 8)
    m2 = rng.randint(m1 + 2, 12)
    yy = y + rng.randint(0, 1)
    a = MON[m1 - 1][:3] if rng.random() < 0.6 else MON[m1 - 1]
    b = MON[m2 - 1] if rng.random() < 0.6 else MON[m2 - 1][:3]
    return T(f"{a} {yy % 100:02d}-{b} {yy % 100:02d}", start=_ym(yy, m1), due=_ym(yy, m2))


def d_sept_year(rng, y):
    m, yy = rng.choice([9, 9, 6, 7, 3]), y + rng.randint(0, 1)
    word = {9: "Sept", 6: "June", 7: "July", 3: "March"}[m]
    return T(f"{word} {yy}", due=_ym(yy, m))


def d_years(rng, y):
    return T(rng.choice(["1-2 years", "2-3 years", "12 months", "18 months", "3-5 years", "Within 2 years"]))


def d_commenced(rng, y):
    yy = y - rng.randint(0, 1)
    if rng.random() < 0.6:
        return T(rng.choice(["commenced {y}", "Commenced {y}", "Started {y}"]).format(y=yy))
    m = rng.randint(1, 12)
    return T(f"Commenced {MON[m - 1]} {yy}, ongoing", start=_ym(yy, m), ongoing=True)


def d_slash_date(rng, y):
    import calendar
    m, yy = rng.randint(1, 12), y + rng.randint(0, 1)
    d = calendar.monthrange(yy, m)[1] if rng.random() < 0.6 else rng.choice([1, 12, 15, 20, 28])
    return T(f"{d:02d}/{m:02d}/{yy}", due=f"{yy}-{m:02d}-{d:02d}")


def d_next_meeting(rng, y):
    return T(rng.choice(["Next meeting", "Next Board meeting", "ASAP", "TBC"]))


NEW_DATES = {"lines_mon_year": d_lines_mon_year, "mixed_range_yy": d_mixed_range_yy, "sept_year": d_sept_year,
             "years": d_years, "commenced": d_commenced, "slash_date": d_slash_date, "next_meeting": d_next_meeting}
SLIDE_DATES = ["lines_mon_year", "mixed_range_yy", "sept_year", "years", "commenced", "month_year", "quarter",
               "fin_year", "ongoing", "mon_yyyy"]
SMALL_DATES = ["slash_date", "month_year", "sept_year", "next_meeting", "ongoing", "d_month_y", "mon_yyyy"]

# ====================================================================== drawing parameters


def _rng(tag, seed, attempt):
    return random.Random(f"ext3/{tag}/{seed}/{attempt}")


def family_of(synth, seed):
    if len(SELECTED) == 1:
        return SELECTED[0]
    return synth.dpick("ext3_family", seed, SELECTED)


def base_producers():
    out = ["writer", "calc", "reportlab"]
    if shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome"):
        out.append("chromium")
    return out


def wrap_draw_params(synth):
    original = synth.draw_params

    def base_seed(seed):
        """The seed whose synth.py draw a family starts from: offset per family, so that the
        families do not share their layouts seed for seed."""
        return seed + 500 * FAMILIES.index(family_of(synth, seed))

    def drawn(seed, attempt):
        s = base_seed(seed)
        P = original(s, attempt)
        P["seed"], P["draw_seed"] = seed, s
        return P

    def tracker_params(seed, attempt):
        """synth.py's draw for this seed, as a tracker (a seed dealt an action plan is drawn again
        from another seed number, its own number kept)."""
        for k in range(0, 40):
            s = base_seed(seed) + 1000 * k
            P = original(s, attempt)
            if P["kind"] == "tracker":
                P["seed"], P["draw_seed"] = seed, s
                return P
        raise RuntimeError("no tracker drawn")

    def draw_params(seed, attempt=0):
        fam = family_of(synth, seed)
        r = _rng(fam, seed, attempt)
        if fam == "slides":
            return slides_params(synth, seed, attempt, r)
        if fam == "small":
            return small_params(synth, seed, attempt, r)
        if fam == "docx":
            P = drawn(seed, attempt)
            P["family"] = "docx"
            P["producer"] = "docx"
            if P["kind"] == "tracker":
                P["theme"] = r.choice(["heading_once", "heading_once", "heading_once", "heading_repeat", "column",
                                       "band_filled", "none"])
                if (P["theme"] == "column") != ("theme" in P["columns"]) and P["theme"] in ("column", "none"):
                    P["theme"] = "heading_once"     # a theme column needs the column, and a column its themes
                P["n_rows"] = min(P["n_rows"], r.randint(18, 60))
            P["intro"] = r.random() < 0.75
            return P
        if fam == "blind":
            P = drawn(seed, attempt)
            P["family"] = "blind"
            P["producer"] = synth.dpick("ext3_producer", seed, base_producers())
            style = r.choice(["column_n", "letters", "phrases", "phrases"])
            pool = list(BLIND_PHRASES)
            r.shuffle(pool)
            for j, role in enumerate(P["columns"]):
                P["headers"][role] = {"column_n": f"Column {j + 1}", "letters": f"Field {'ABCDEFGHIJ'[j]}",
                                      "phrases": pool[j]}[style]
            P["blind_style"] = style
            if P.get("two_level"):
                P["two_level"][0] = r.choice(["Part A", "Section 2", "Group 1"])
            if P["kind"] == "tracker":
                P["n_rows"] = min(P["n_rows"], r.randint(20, 60))
            return P
        P = tracker_params(seed, attempt)
        P["family"] = fam
        P["producer"] = synth.dpick("ext3_producer", seed, base_producers())
        P["n_rows"] = min(P["n_rows"], r.randint(20, 60))
        if fam == "rules":
            style = synth.dpick("ext3_rules", seed, ["vrules", "vrules_inner", "booktabs", "booktabs_top",
                                                      "vrules_colour"])
            P["rules_variant"] = style
            if style == "vrules_colour":
                P["rules"] = r.choice(["vrules", "vrules_inner"])
                P["status_style"] = "colour_only"
                P["colour_all"] = True
                P["status_family"] = r.choice(["track", "rag", "target", "completed"])
                P["key"] = r.random() < 0.7
            else:
                P["rules"] = style
        elif fam == "wordings":
            scale = []
            for v, n in (("complete", 1), ("on_track", r.choice([1, 2])), ("behind", r.choice([1, 2])),
                         ("off_track", 1), ("not_started", r.choice([0, 1])), ("cancelled", r.choice([0, 0, 1]))):
                for w in r.sample(STATUS_WORDINGS[v], n):
                    scale.append([w, v])
            P["status_scale"] = scale
            P["status_family"] = "ext3_wordings"
            if P["status_style"] == "colour_only":
                P["status_style"] = r.choice(["word", "fill", "text_colour"])
        elif fam == "extra":
            P["two_level"] = None
            P["landscape"] = True
            P["pt"] = min(P["pt"], 8.5 if len(P["columns"]) >= 6 else 9)
            if "lead" not in P["columns"]:
                i = P["columns"].index("target")
                P["columns"].insert(i, "lead")
                P["headers"]["lead"] = r.choice(D.HEADERS["lead"])
            if "rationale" in P["columns"] and len(P["columns"]) >= 7 and r.random() < 0.5:
                P["columns"].remove("rationale")
                P["headers"].pop("rationale", None)
            pool = list(EXTRA_COLS)
            if "outcome" in P["columns"]:
                pool.append("Shared outcome")
            k = r.choice([1, 1, 2, 2, 3]) if len(P["columns"]) <= 6 else r.choice([1, 2])
            heads = r.sample(pool, k)
            cols = P["columns"]
            spots = sorted({cols.index("activity") + 1, cols.index("lead") + 1, len(cols)}
                           | ({cols.index("rationale")} if "rationale" in cols else set()))
            spots = [s for s in spots if s > cols.index("activity")]
            P["extra_cols"] = [[h, r.choice(spots)] for h in heads]
            P["lead_abbr"] = True
        return P

    synth.draw_params = draw_params


def slides_params(synth, seed, attempt, r):
    P = {"seed": seed, "attempt": attempt, "family": "slides", "producer": "pptx"}
    P["council"] = f"{r.choice(D.COUNCIL_NAMES)} {r.choice(D.COUNCIL_TYPES)}"
    P["year"] = r.randint(2023, 2026)
    P["font"] = r.choice(["Arial", "Arial", "Liberation Sans", "DejaVu Sans"])
    P["pt"] = r.choice([10, 11, 11, 12, 12, 13, 14])
    P["status"] = synth.deck("ext3_slide_status", seed, 2) == 0
    P["kind"] = "tracker" if P["status"] else "action"
    cols = ["activity", "target"]
    if r.random() < 0.85:
        cols.insert(1, "lead")
    if r.random() < 0.4:
        cols.append("measure")
    if P["status"]:
        cols.append("status")
        if r.random() < 0.5:
            cols.append("rationale")
            P["pt"] = min(P["pt"], 12)
    if r.random() < 0.35:
        if r.random() < 0.5:
            cols.insert(0, "outcome")
        else:
            cols.append("outcome")
    P["columns"] = cols
    P["headers"] = {c: r.choice(SLIDE_HEADERS[c]) for c in cols}
    P["rules"] = r.choice(["white", "white", "none"])
    P["header_fill"] = r.choice(["#1F3864", "#2E75B6", "#006666", "#7030A0", "#00594F", "#C00000", "#404040"])
    P["bands"] = r.choice([["#D9E2F3", "#FFFFFF"], ["#E9EBF5", "#CFD5EA"], ["#F2F2F2", "#FFFFFF"],
                           ["#E2EFDA", "#FFFFFF"], ["#DEEBF7", "#F7FBFF"], ["#FCE4D6", "#FFFFFF"]])
    P["title_style"] = r.choice(["bar", "plain", "plain_upper", "underline"])
    P["group"] = r.random() < 0.4
    P["cover"] = r.random() < 0.6
    P["status_style"] = r.choice(["word", "fill"]) if P["status"] else None
    P["status_family"] = r.choice(BASE_FAMILIES)
    P["palette"] = r.randrange(len(D.PALETTES))
    P["date_styles"] = r.sample(SLIDE_DATES, r.randint(3, 6))
    P["n_themes"] = r.randint(2, 5)
    P["outcome_merge"] = r.random() < 0.5
    P["slide_numbers"] = r.random() < 0.7
    P["landscape"] = True
    P["theme"] = "slide_title"
    return P


def small_params(synth, seed, attempt, r):
    P = {"seed": seed, "attempt": attempt, "family": "small", "kind": "action"}
    P["producer"] = synth.dpick("ext3_small_producer", seed, ["writer", "docx", "reportlab", "calc"])
    P["council"] = f"{r.choice(D.COUNCIL_NAMES)} {r.choice(D.COUNCIL_TYPES)}"
    P["year"] = r.randint(2023, 2026)
    P["font"] = r.choice(D.FONTS)
    P["pt"] = r.choice([8.5, 9, 9, 10, 10, 11])
    P["margins_mm"] = [r.randint(12, 22), r.randint(12, 20), r.randint(12, 20), r.randint(12, 20)]
    P["layout"] = synth.dpick("ext3_small_layout", seed, ["board_log", "by_when", "numbered", "board_log_update"])
    P["landscape"] = P["layout"] in ("board_log", "board_log_update") or r.random() < 0.4
    P["n_rows"] = r.randint(2, 6)
    P["rules"] = r.choice(["grid", "grid", "grid", "hrules", "frame"])
    P["border_colour"] = r.choice(D.BORDER_COLOURS)
    P["border_width"] = r.choice([0.5, 0.75, 1.0])
    P["header_fill"] = r.choice(D.HEADER_FILLS)
    P["new_date"] = P["layout"] in ("board_log", "board_log_update", "numbered") and r.random() < 0.6
    P["key_style"] = r.choice(["table", "paragraph"]) if P["layout"] == "numbered" else None
    P["scale"] = r.randrange(len(NUMBER_SCALES))
    P["footer"] = r.choice(D.FOOTERS)
    P["running_header"] = r.random() < 0.3
    P["date_styles"] = r.sample(SMALL_DATES, r.randint(2, 4))
    P["theme"] = P["outcome"] = P["group"] = None
    P["status_style"] = "word"
    return P


# ====================================================================== hooks into synth.py


def wrap_builders(synth):
    orig_tracker, orig_action = synth.build_tracker, synth.build_action

    def build(orig):
        def run(rng, P):
            _CUR["P"], _CUR["extra"], _CUR["done"] = P, {}, set()
            fam = P.get("family")
            if fam == "slides":
                return build_slides(synth, rng, P)
            if fam == "small":
                return build_small(synth, rng, P)
            saved = list(D.LEADS)
            if P.get("lead_abbr"):
                D.LEADS[:] = LEAD_ABBR
            try:
                model, recs = orig(rng, P)
            finally:
                D.LEADS[:] = saved
            if P.get("colour_all"):
                colour_all(model, recs, P)
            return model, recs
        return run
    synth.build_tracker = build(orig_tracker)
    synth.build_action = build(orig_action)

    orig_words = synth.status_word_list

    def status_word_list(P):
        if P.get("status_scale"):
            return [tuple(x) for x in P["status_scale"]]
        return orig_words(P)
    synth.status_word_list = status_word_list

    orig_rules = synth.apply_rules

    def apply_rules(tb, style, line, zebra_bg):
        P = _CUR["P"] or {}
        if P.get("extra_cols") and not tb.get("key") and not tb.get("_extra_done"):
            add_extra_columns(tb, P)
        if style in ("vrules", "vrules_inner", "booktabs", "booktabs_top"):
            return new_rules(tb, style, line)
        return orig_rules(tb, style, line, zebra_bg)
    synth.apply_rules = apply_rules

    orig_write = synth.write_jsonl

    def write_jsonl(path, recs):
        ex = _CUR["extra"]
        for r in recs:
            e = ex.get(collapse(r["activity"]))
            if e:
                r["extra"] = e
        return orig_write(path, recs)
    synth.write_jsonl = write_jsonl


def colour_all(model, recs, P):
    """Every RAG cell a fill with no word (the vrules_colour variant of the rules family)."""
    rows = [row for b in model["blocks"] if b["t"] == "table" and not b.get("key")
            for row in b["head"] + b["body"] if row["role"] == "data"]
    if len(rows) != len(recs):
        raise RuntimeError("data rows and records differ")
    j = P["columns"].index("status")
    for row, rec in zip(rows, recs):
        c = row["cells"][j]
        st = rec["status"]
        if c is None or st["value"] not in ("complete", "on_track", "behind", "off_track") or st["text"] == "n/a":
            continue
        c["lines"] = []
        st["text"] = None
        rec["flags"] = ["status_from_colour"]


def new_rules(tb, style, line):
    rows = tb["head"] + tb["body"]
    ncol = len(tb["widths"])
    nrows = len(rows)
    heads = [i for i, r in enumerate(rows) if r["role"] == "colhead"]
    for i, row in enumerate(rows):
        j = 0
        for c in row["cells"]:
            if c is None:
                j += 1
                continue
            B = {}
            last = i + c["rs"] - 1 >= nrows - 1
            role = row["role"]
            if style.startswith("vrules"):
                if role != "theme_head":
                    if j > 0 or style == "vrules":
                        B["l"] = line
                    if j + c["cs"] < ncol or style == "vrules":
                        B["r"] = line
            else:
                if heads and i == heads[-1]:
                    B["b"] = line
                if style == "booktabs_top" and heads and i == heads[0]:
                    B["t"] = (line[0] * 1.5, line[1])
                if last:
                    B["b"] = (line[0] * 1.5, line[1]) if style == "booktabs_top" else line
            c["B"] = B
            j += 1
    return tb


def _extra_value(r, head, act):
    if head == "Measure" or head == "Performance indicator":
        return r.choice(MEASURES)
    if head == "Budget (\u00a3k)":
        return r.choice(["250", "1,200", "45.5", "80", "3,400", "15", "600", "0", "120"])
    if head == "Spend to date (\u00a3k)":
        return r.choice(["12", "140.2", "0", "980", "56", "1,020", "7.5"])
    if head == "Direction of travel":
        return r.choice(DIRECTIONS)
    if head == "Funding source":
        return r.choice(FUNDING)
    if head == "Risk score":
        return str(r.choice([2, 3, 4, 6, 8, 9, 12, 16, 20]))
    if head == "Baseline":
        return r.choice(["2023/24: 64%", "412 (Mar 2024)", "18.2%", "None set", "1,140", "72 days"])
    if head == "Shared outcome":
        return r.choice(SHARED_TAGS)
    return ""


def add_extra_columns(tb, P):
    """Insert P["extra_cols"] ([heading, position in the drawn columns]) into a main table; the
    values of the data rows are remembered per activity for the truth's "extra"."""
    C = _S["m"].C
    tb["_extra_done"] = True
    r = _rng("extra-values", P["seed"], f"{P['attempt']}/{len(_CUR['extra'])}")
    hdr_cells = [c for row in tb["head"] + tb["body"] if row["role"] == "colhead" for c in row["cells"] if c]
    hdr_bg = hdr_cells[0]["bg"] if hdr_cells else None
    hdr_fg = hdr_cells[0]["fg"] if hdr_cells else None
    rows = tb["head"] + tb["body"]
    vals = {}
    for row in rows:
        if row["role"] == "data":
            act = next(c for c in row["cells"] if c is not None and c.get("act") is not None)
            vals[id(row)] = (collapse(" ".join(act["lines"])),
                             {h: _extra_value(r, h, act) for h, _ in P["extra_cols"]})
    # insert from the rightmost position; columns inserted at the same position keep their order
    order = sorted(range(len(P["extra_cols"])), key=lambda k: (-P["extra_cols"][k][1], -k))
    for k in order:
        head, p = P["extra_cols"][k]
        w = {"Measure": 0.12, "Performance indicator": 0.12, "Direction of travel": 0.07, "Funding source": 0.08,
             "Baseline": 0.08}.get(head, 0.06)
        ws = list(tb["widths"])          # the list may be shared with the other theme tables
        ncol = len(ws)
        ws.insert(p, w * sum(ws))
        tb["widths"] = [x / sum(ws) for x in ws]
        for row in rows:
            cells = row["cells"]
            if (id(cells), k) in _CUR["done"]:      # header rows are shared between theme tables
                continue
            _CUR["done"].add((id(cells), k))
            cover = None
            j = 0
            for c in cells:
                if c is not None:
                    if j < p <= j + c["cs"] - 1 or (c["cs"] > 1 and p == ncol and j + c["cs"] == ncol):
                        cover = c
                j += 1
            if cover is not None:
                cover["cs"] += 1
                cells.insert(p, None)
            elif row["role"] == "colhead":
                cells.insert(p, C(head, bold=True, bg=hdr_bg, fg=hdr_fg))
            elif row["role"] == "data":
                cells.insert(p, C(vals[id(row)][1][head]))
            else:
                cells.insert(p, C(None))
    for key, (act, ex) in vals.items():
        # printed order of the headings
        order = [h for h, _ in sorted(P["extra_cols"], key=lambda x: x[1])]
        _CUR["extra"][act] = {h: ex[h] for h in order}
    return tb


# ====================================================================== slides: model and pptx renderer


def _measure_font(font):
    rl_font = _S["m"].rl_font
    fam = {"Arial": "Liberation Sans", "Liberation Sans": "Liberation Sans", "DejaVu Sans": "DejaVu Sans"}[font]
    return fam


def build_slides(synth, rng, P):
    Text = _S["m"].Text
    rl_font = _S["m"].rl_font
    pick_status = _S["m"].pick_status
    DATE_FUNCS = _S["m"].DATE_FUNCS
    from reportlab.pdfbase.pdfmetrics import stringWidth
    tx = Text(rng)
    fam_name = _measure_font(P["font"])
    f_reg, f_bold = rl_font(fam_name), rl_font(fam_name, True)
    pt = P["pt"]
    SW, SH = 960.0, 540.0
    left, right = 30.0, 30.0
    table_top = 92.0 if P["title_style"] != "bar" else 100.0
    table_bottom = 500.0
    TW = SW - left - right
    roles = P["columns"]
    weights = {"activity": 0.36, "lead": 0.11, "target": 0.12, "measure": 0.17, "outcome": 0.18, "status": 0.1,
               "rationale": 0.3}
    fam = list(D.STATUS_FAMILIES[P["status_family"]])
    palette = D.PALETTES[P["palette"]]
    y = P["year"]
    plan = rng.choice(["Health and Wellbeing Strategy", "Public Health Delivery Plan", "Council Plan",
                       "Corporate Delivery Plan", "Directorate Plan", "Housing Strategy Action Plan",
                       "Annual Delivery Plan"])
    P["plan"] = plan
    fy = f"{y}/{(y + 1) % 100:02d}"
    themes = rng.sample(DIRECTORATES + D.THEMES, P["n_themes"])
    recs, slides = [], []
    if P["cover"]:
        slides.append({"t": "cover", "lines": [P["council"], f"{plan} {fy}",
                                               rng.choice(["Progress update", "Quarter 2 update", "Year end review",
                                                           "Delivery progress report"]),
                                               f"{rng.choice(MON)} {y + 1}"]})
    # the rows of every theme
    per_theme = []
    for theme in themes:
        items = []
        outcome, orun = None, 0
        for i in range(rng.randint(3, 11)):
            act = tx.activity(long_p=0.1)
            if rng.random() < 0.3:
                act = "We will " + act[0].lower() + act[1:]
            tgt = DATE_FUNCS[rng.choice(P["date_styles"])](rng, y)
            if orun == 0:
                outcome = rng.choice(D.OUTCOMES)
                orun = rng.randint(1, 3) if P["outcome_merge"] else 1
            orun -= 1
            row = {"activity": act, "lead": rng.choice(LEAD_ABBR), "target": tgt, "outcome": outcome,
                   "measure": rng.choice(MEASURES)}
            if P["status"]:
                row["status"] = pick_status(rng, fam)
                row["rationale"] = tx.rationale(rng.choice([1, 1, 2])) if "rationale" in roles else None
            items.append(row)
        per_theme.append((theme, items))
    # column widths: at least the widest word (a date line whole) of each column
    mins = []
    for j, r in enumerate(roles):
        m = max(stringWidth(t, f_bold, pt) for t in P["headers"][r].split()) * 1.06 + 16
        for theme, items in per_theme:
            for it in items:
                for ln in _slide_cells(it, roles)[j]:
                    for t in ([ln] if r == "target" else ln.split()):
                        m = max(m, stringWidth(t, f_bold if r == "status" else f_reg, pt) * 1.08 + 16)
        mins.append(m)
    w = [weights[r] * TW / sum(weights[x] for x in roles) for r in roles]
    for _ in range(10):
        short = [j for j in range(len(w)) if w[j] < mins[j]]
        if not short:
            break
        need = sum(mins[j] - w[j] for j in short)
        for j in short:
            w[j] = mins[j]
        spare = [j for j in range(len(w)) if j not in short]
        room = sum(w[j] - mins[j] for j in spare)
        if room <= need:
            raise RuntimeError("slide columns do not fit")
        for j in spare:
            w[j] -= need * (w[j] - mins[j]) / room
    # slides: a theme over as many slides as its rows need
    gk = 0
    avail = table_bottom - table_top
    for theme, items in per_theme:
        printed = theme.upper() if P["title_style"] == "plain_upper" else theme
        k = 0
        while k < len(items):
            group = None
            if P["group"]:
                gk += 1
                group = tx.group(gk)
            h = _row_h([[P["headers"][r]] for r in roles], w, f_bold, pt)
            if group:
                h += _row_h([[group]], [sum(w)], f_bold, pt)
            cap = rng.choice([4, 5, 6, 8])
            page_rows = []
            while k < len(items) and len(page_rows) < cap:
                rh = _row_h(_slide_cells(items[k], roles), w, f_reg, pt)
                if h + rh > avail:
                    if not page_rows:
                        raise RuntimeError("a slide row does not fit")
                    break
                page_rows.append(items[k])
                h += rh
                k += 1
            slides.append({"t": "table", "title": printed, "theme": theme, "group": group, "rows": page_rows})
            for it in page_rows:
                st = {"text": None, "value": "unknown", "colour": None}
                if P["status"]:
                    word, value = it["status"]
                    st = {"text": word, "value": value,
                          "colour": palette[value] if P["status_style"] == "fill" else None}
                recs.append({"kind": "milestone" if P["status"] else "action", "theme": theme,
                             "outcome": it["outcome"] if "outcome" in roles else None, "group": group,
                             "activity": it["activity"], "target": synth.target_record(it["target"]),
                             "status": st, "rationale": it.get("rationale"), "flags": []})
                if "measure" in roles:
                    _CUR["extra"][collapse(it["activity"])] = {P["headers"]["measure"]: it["measure"]}
    model = {"slides": slides, "P": P, "widths": w, "left": left, "top": table_top, "SW": SW, "SH": SH,
             "palette": palette}
    return model, recs


def _slide_cells(it, roles):
    out = []
    for r in roles:
        if r == "target":
            out.append(list(it["target"]["lines"]))
        elif r == "status":
            out.append([it["status"][0]])
        else:
            out.append([it.get(r) or ""])
    return out


def _row_h(cells, w, font, pt):
    """Estimated height of a table row on a slide (Impress grows rows to fit their text)."""
    from reportlab.lib.utils import simpleSplit
    n = 1
    for j, lines in enumerate(cells):
        k = sum(len(simpleSplit(ln, font, pt, max(w[j] - 16, 10)) or [""]) for ln in lines)
        n = max(n, k)
    return n * pt * 1.2 + 9


def render_pptx(model, pdf, work):
    from pptx import Presentation
    from pptx.util import Pt, Emu
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn
    from lxml import etree
    P = model["P"]
    E = 12700   # EMU per point
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(int(model["SW"] * E)), Emu(int(model["SH"] * E))
    blank = prs.slide_layouts[6]
    font = P["font"]
    pt = P["pt"]
    roles = P["columns"]
    hfill = P["header_fill"]
    accent = hfill

    def rgb(h):
        return RGBColor.from_string(h.lstrip("#").upper())

    def textbox(slide, x, y, w, h, lines, size, bold=False, colour="#000000", align=None):
        tb = slide.shapes.add_textbox(Emu(int(x * E)), Emu(int(y * E)), Emu(int(w * E)), Emu(int(h * E)))
        tf = tb.text_frame
        tf.word_wrap = True
        for i, ln in enumerate(lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            if align:
                p.alignment = align
            run = p.add_run()
            run.text = ln
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = font
            run.font.color.rgb = rgb(colour)
        return tb

    def set_cell(cell, lines, size, bold=False, colour="#000000", fill=None, borders=None):
        tf = cell.text_frame
        tf.word_wrap = True
        for i, ln in enumerate(lines or [""]):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = p.add_run()
            run.text = ln
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = font
            run.font.color.rgb = rgb(colour)
        cell.margin_left = cell.margin_right = Emu(int(7 * E))
        cell.margin_top = cell.margin_bottom = Emu(int(3.5 * E))
        tcPr = cell._tc.get_or_add_tcPr()
        for child in list(tcPr):
            tcPr.remove(child)
        for side in ("lnL", "lnR", "lnT", "lnB"):
            ln = etree.SubElement(tcPr, qn(f"a:{side}"))
            if borders:
                ln.set("w", str(int(1.5 * E)))
                sf = etree.SubElement(ln, qn("a:solidFill"))
                etree.SubElement(sf, qn("a:srgbClr")).set("val", "FFFFFF")
            else:
                ln.set("w", "0")
                etree.SubElement(ln, qn("a:noFill"))
        if fill:
            sf = etree.SubElement(tcPr, qn("a:solidFill"))
            etree.SubElement(sf, qn("a:srgbClr")).set("val", fill.lstrip("#").upper())
        else:
            etree.SubElement(tcPr, qn("a:noFill"))

    nslide = 0
    for s in model["slides"]:
        slide = prs.slides.add_slide(blank)
        nslide += 1
        if s["t"] == "cover":
            band = slide.shapes.add_shape(1, 0, Emu(int(300 * E)), prs.slide_width, Emu(int(240 * E)))
            band.fill.solid()
            band.fill.fore_color.rgb = rgb(accent)
            band.line.fill.background()
            textbox(slide, 40, 120, 880, 40, [s["lines"][0]], 20, True, "#404040")
            textbox(slide, 40, 330, 880, 120, [s["lines"][1], s["lines"][2]], 30, True, "#FFFFFF")
            textbox(slide, 40, 460, 880, 30, [s["lines"][3]], 16, False, "#FFFFFF")
            continue
        ts = P["title_style"]
        if ts == "bar":
            bar = slide.shapes.add_shape(1, 0, 0, prs.slide_width, Emu(int(70 * E)))
            bar.fill.solid()
            bar.fill.fore_color.rgb = rgb(accent)
            bar.line.fill.background()
            textbox(slide, 30, 16, 900, 44, [s["title"]], 26, True, "#FFFFFF")
        else:
            textbox(slide, 30, 20, 900, 44, [s["title"]], 28, True, accent if ts != "plain_upper" else "#000000")
            if ts == "underline":
                ln = slide.shapes.add_shape(1, Emu(int(30 * E)), Emu(int(70 * E)), Emu(int(900 * E)),
                                            Emu(int(3 * E)))
                ln.fill.solid()
                ln.fill.fore_color.rgb = rgb(accent)
                ln.line.fill.background()
        rows = s["rows"]
        nr = 1 + (1 if s["group"] else 0) + len(rows)
        nc = len(roles)
        W = sum(model["widths"])
        gf = slide.shapes.add_table(nr, nc, Emu(int(model["left"] * E)), Emu(int(model["top"] * E)),
                                    Emu(int(W * E)), Emu(int(nr * 20 * E)))
        tbl = gf.table
        tblPr = tbl._tbl.tblPr
        for child in list(tblPr):
            if child.tag == qn("a:tableStyleId"):
                tblPr.remove(child)
        tbl.first_row = False
        tbl.horz_banding = False
        for j, wj in enumerate(model["widths"]):
            tbl.columns[j].width = Emu(int(wj * E))
        for i in range(nr):
            tbl.rows[i].height = Emu(int((pt * 1.2 + 9) * E))
        borders = P["rules"] == "white"
        for j, r in enumerate(roles):
            set_cell(tbl.cell(0, j), [P["headers"][r]], pt, True, "#FFFFFF", hfill, borders)
        ri = 1
        if s["group"]:
            c0 = tbl.cell(1, 0)
            c0.merge(tbl.cell(1, nc - 1))
            set_cell(c0, [s["group"]], pt, True, "#000000", P["bands"][0], borders)
            ri = 2
        # outcome cells merged over the rows that share them (within the slide)
        oj = roles.index("outcome") if "outcome" in roles else None
        k = 0
        band = 0
        while k < len(rows):
            it = rows[k]
            fill = P["bands"][band % 2]
            cells = _slide_cells(it, roles)
            for j, r in enumerate(roles):
                if r == "outcome":
                    continue
                if r == "status" and P["status_style"] == "fill":
                    v = it["status"][1]
                    col = model["palette"][v]
                    dark = _S["m"].dark
                    set_cell(tbl.cell(ri + k, j), cells[j], pt, True, "#FFFFFF" if dark(col) else "#000000", col,
                             borders)
                else:
                    set_cell(tbl.cell(ri + k, j), cells[j], pt, False, "#000000", fill, borders)
            band += 1
            k += 1
        if oj is not None:
            k = 0
            while k < len(rows):
                m = k
                while m + 1 < len(rows) and rows[m + 1]["outcome"] == rows[k]["outcome"] and P["outcome_merge"]:
                    m += 1
                c = tbl.cell(ri + k, oj)
                if m > k:
                    c.merge(tbl.cell(ri + m, oj))
                set_cell(c, [rows[k]["outcome"]], pt, False, "#000000", P["bands"][k % 2], borders)
                k = m + 1
        if P["slide_numbers"]:
            textbox(slide, 880, 512, 60, 20, [str(nslide)], 10, False, "#595959", PP_ALIGN.RIGHT)
    stem = os.path.splitext(os.path.basename(pdf))[0]
    src = os.path.join(work, stem + ".pptx")
    prs.save(src)
    soffice_convert([src], work)
    shutil.move(os.path.join(work, stem + ".pdf"), pdf)
    return True


# ====================================================================== docx renderer (synth.py's model)


def render_docx(synth):
    def render(model, pdf, work):
        from docx import Document
        from docx.shared import Pt, Mm, RGBColor
        from docx.enum.section import WD_ORIENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        pg, run = model["page"], model["running"]
        font = pg["font"]
        p = pg["pt"]
        doc = Document()
        sec = doc.sections[0]
        if pg["landscape"]:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Mm(297), Mm(210)
        else:
            sec.page_width, sec.page_height = Mm(210), Mm(297)
        mt, mr, mb, ml = pg["margins"]
        if run["left"]:
            mt = max(mt, 18)
        if run["footer"] != "none":
            mb = max(mb, 16)
        sec.top_margin, sec.right_margin, sec.bottom_margin, sec.left_margin = Mm(mt), Mm(mr), Mm(mb), Mm(ml)
        sec.header_distance, sec.footer_distance = Mm(8), Mm(8)
        st = doc.styles["Normal"]
        st.font.name = font
        st.font.size = Pt(p)
        st.element.rPr.rFonts.set(qn("w:eastAsia"), font)
        st.paragraph_format.space_after = Pt(0)
        sizes = {"cover_big": 12, "cover_title": 8, "cover": 3, "title": 5, "h1": 4, "h2": 2, "body": 0.5}
        pstyle = {"title": "Title", "h1": "Heading 1", "h2": "Heading 2"}
        for name in ("Title", "Heading 1", "Heading 2"):
            s = doc.styles[name]
            s.font.name = font
            rpr = s.element.get_or_add_rPr()
            rf = rpr.find(qn("w:rFonts"))
            if rf is not None:
                for a in list(rf.attrib):
                    del rf.attrib[a]
                rf.set(qn("w:ascii"), font)
                rf.set(qn("w:hAnsi"), font)
        if run["left"]:
            hp = sec.header.paragraphs[0]
            hp.text = run["left"]
            hp.runs[0].font.size = Pt(p - 1)
            h2 = sec.header.add_paragraph()
            h2.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            r2 = h2.add_run(run["right"] or "")
            r2.font.size = Pt(p - 1)
            r2.font.bold = True
        fo = run["footer"]
        if fo != "none":
            fp = sec.footer.paragraphs[0]
            fp.alignment = WD_ALIGN_PARAGRAPH.CENTER

            def fld(par, instr):
                f = OxmlElement("w:fldSimple")
                f.set(qn("w:instr"), instr)
                rr = OxmlElement("w:r")
                t = OxmlElement("w:t")
                t.text = "1"
                rr.append(t)
                f.append(rr)
                par._p.append(f)
            pre = {"page": "Page ", "page_of": "Page ", "text_page": f"{run['footer_text']} \u2013 Page "}[fo]
            fp.add_run(pre).font.size = Pt(p - 1)
            fld(fp, "PAGE")
            if fo == "page_of":
                fp.add_run(" of ").font.size = Pt(p - 1)
                fld(fp, "NUMPAGES")
        W = (297 if pg["landscape"] else 210) - ml - mr
        first = True
        for b in model["blocks"]:
            if b["t"] == "para":
                sty = b["style"]
                if sty in pstyle:
                    par = doc.add_paragraph(style=pstyle[sty])
                else:
                    par = doc.add_paragraph()
                rr = par.add_run(b["text"])
                rr.font.size = Pt(p + sizes[sty])
                rr.font.name = font
                if sty in ("cover_big", "cover_title"):
                    rr.font.bold = True
                par.paragraph_format.space_after = Pt(4 if sty in ("body", "cover") else 6)
                if sty == "cover_big":
                    par.paragraph_format.space_before = Pt(60)
                if b["break"] and not first:
                    par.paragraph_format.page_break_before = True
                first = False
                continue
            if b["break"] and not first:
                par = doc.add_paragraph()
                par.paragraph_format.page_break_before = True
                par.paragraph_format.space_after = Pt(0)
                rr = par.add_run("")
            first = False
            docx_table(doc, b, W * (0.6 if b.get("key") else 1.0), p, font, synth)
            sp = doc.add_paragraph()
            sp.paragraph_format.space_after = Pt(2)
        stem = os.path.splitext(os.path.basename(pdf))[0]
        src = os.path.join(work, stem + ".docx")
        doc.save(src)
        soffice_convert([src], work)
        shutil.move(os.path.join(work, stem + ".pdf"), pdf)
        return True
    return render


def docx_table(doc, b, width_mm, p, font, synth):
    from docx.shared import Pt, Mm, RGBColor
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    rows = b["head"] + b["body"]
    n = len(b["widths"])
    t = doc.add_table(rows=len(rows), cols=n)
    t.autofit = False
    tblPr = t._tbl.tblPr
    lay = OxmlElement("w:tblLayout")
    lay.set(qn("w:type"), "fixed")
    tblPr.append(lay)
    widths = [Mm(f * width_mm) for f in b["widths"]]
    for j, wd in enumerate(widths):
        t.columns[j].width = wd
    for row in t.rows:
        for j, c in enumerate(row.cells):
            c.width = widths[j]
    for i in range(len(b["head"])):
        trPr = t.rows[i]._tr.get_or_add_trPr()
        h = OxmlElement("w:tblHeader")
        h.set(qn("w:val"), "true")
        trPr.append(h)
    if not b["split"]:
        for i in range(len(rows)):
            trPr = t.rows[i]._tr.get_or_add_trPr()
            trPr.append(OxmlElement("w:cantSplit"))
    # merges first, then the text
    todo = []
    for i, row in enumerate(rows):
        for j, c in enumerate(row["cells"]):
            if c is None:
                continue
            cell = t.cell(i, j)
            if c["cs"] > 1 or c["rs"] > 1:
                cell = cell.merge(t.cell(i + c["rs"] - 1, j + c["cs"] - 1))
            todo.append((i, j, c, cell))

    def bspec(s):
        e = {}
        if not s:
            return {"val": "nil"}
        return {"val": "single", "sz": str(max(2, int(round(s[0] * 8)))), "color": s[1].lstrip("#").upper(),
                "space": "0"}

    def tcs(i, j, c):
        """The w:tc elements of the merged region, row by row."""
        out = []
        for ii in range(i, i + c["rs"]):
            tr = t.rows[ii]._tr
            col = 0
            for tc in tr.tc_lst:
                if col == j:
                    out.append(tc)
                    break
                col += tc.grid_span
        return out

    for i, j, c, cell in todo:
        for par in list(cell.paragraphs)[1:]:
            par._p.getparent().remove(par._p)
        lines = synth.lo_lines(c["lines"]) or [""]
        for k, ln in enumerate(lines):
            par = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
            for rr in list(par.runs):
                rr._r.getparent().remove(rr._r)
            par.paragraph_format.space_after = Pt(0)
            par.paragraph_format.space_before = Pt(0)
            par.paragraph_format.line_spacing = 1.0
            if c["align"] == "center":
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            rr = par.add_run(ln)
            rr.font.size = Pt(p + c["dsize"])
            rr.font.name = font
            rr.font.bold = c["bold"] or None
            rr.font.italic = c["italic"] or None
            if c["fg"]:
                rr.font.color.rgb = RGBColor.from_string(c["fg"].lstrip("#").upper())
        elems = tcs(i, j, c)
        for k, tc in enumerate(elems):
            tcPr = tc.get_or_add_tcPr()
            bd = OxmlElement("w:tcBorders")
            for side, key in (("top", "t"), ("left", "l"), ("bottom", "b"), ("right", "r")):
                if side == "top" and k > 0:
                    spec = {"val": "nil"}
                elif side == "bottom" and k < len(elems) - 1:
                    spec = {"val": "nil"}
                else:
                    spec = bspec(c["B"].get(key))
                e = OxmlElement(f"w:{side}")
                for a, v in spec.items():
                    e.set(qn(f"w:{a}"), v)
                bd.append(e)
            tcPr.append(bd)
            if c["bg"]:
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), c["bg"].lstrip("#").upper())
                tcPr.append(shd)
    return t


# ====================================================================== small board action logs

BOARDS = ["Health and Wellbeing Board", "Corporate Parenting Board", "Safer Communities Partnership Board",
          "Audit and Governance Committee", "Place Board", "Housing Board", "Children\u2019s Partnership Board",
          "Climate Emergency Board", "Improvement Board", "Economic Growth Board"]

SMALL_ACTIONS = ["{who} to circulate the {doc} to board members", "{who} to bring a report on {topic} to a future meeting",
                 "{who} to arrange a workshop on {topic} for members", "{who} to confirm the timetable for {topic}",
                 "{who} to share the data on {topic} broken down by ward", "{who} to write to {partner} about {topic}",
                 "{who} to include {topic} in the forward plan", "{who} to provide a briefing note on {topic}",
                 "{who} to review the terms of reference in the light of {topic}",
                 "{who} to update the risk register to reflect {topic}",
                 "{who} to set up a task and finish group on {topic}",
                 "{who} to report back on the consultation responses on {topic}"]
SMALL_WHO = ["Director of Public Health", "DPH", "Head of Service", "Board manager", "Chair", "AD Housing", "CPH",
             "Democratic Services", "Strategic Lead", "Officers", "ICB representative", "Head of Performance"]
SMALL_DOCS = ["JSNA summary", "draft strategy", "annual report", "performance dashboard", "minutes of the workshop",
              "pharmaceutical needs assessment", "delivery plan", "funding bid", "terms of reference"]
SMALL_TOPICS = ["childhood obesity", "the winter plan", "vaping in schools", "the drug and alcohol strategy",
                "social prescribing", "the Better Care Fund", "air quality", "fuel poverty", "suicide prevention",
                "the cost of living", "smoking in pregnancy", "health inequalities", "hospital discharge",
                "the homelessness review", "the family hubs programme", "the healthy weight pathway"]

NARRATIVES = [("Verbal update to be provided", "unknown"),
              ("{month} \u2013 Proposed new metrics being agreed with the ICB; report to come to the {month2} meeting",
               "unknown"),
              ("Item not due yet", "not_started"),
              ("Proposed for Closure", "complete"),
              ("Complete \u2013 briefing circulated to members on {d} {month}", "complete"),
              ("Action completed. Report presented at the {month} meeting", "complete"),
              ("On the agenda for the next meeting", "unknown"),
              ("Awaiting response from {partner}", "unknown"),
              ("Delayed \u2013 data not yet available from NHS England; now expected in {month2}", "behind"),
              ("Work under way and on schedule for completion by {month2}", "on_track"),
              ("Workshop held in {month}; proposals to follow", "unknown"),
              ("Not started \u2013 dependent on the outcome of the funding bid", "not_started"),
              ("No longer required following the restructure \u2013 propose to remove", "cancelled"),
              ("See agenda item {n}", "unknown"),
              ("Superseded by the new partnership strategy", "cancelled"),
              ("Date of workshop to be confirmed", "unknown"),
              ("Closed", "complete")]
SHORT_STATUS = [("Open", "unknown"), ("Closed", "complete"), ("Proposed for Closure", "complete"),
                ("Item not due yet", "not_started"), ("In progress", "on_track"), ("Ongoing", "unknown")]

NUMBER_SCALES = [
    [("1", "Complete", "complete"), ("2", "On track", "on_track"), ("3", "Some delay / at risk", "behind"),
     ("4", "Significantly delayed / will not be met", "off_track")],
    [("1", "Not started", "not_started"), ("2", "Started \u2013 behind schedule", "behind"),
     ("3", "Progressing to plan", "on_track"), ("4", "Completed", "complete")],
    [("1", "Action complete", "complete"), ("2", "Action in progress and on target", "on_track"),
     ("3", "Action in progress but behind target", "behind"), ("4", "Action not yet due", "not_started")],
]

OPEN_CLOSE = ["Open", "Close", "Propose to close", "Open", "Closed"]


def build_small(synth, rng, P):
    C = _S["m"].C
    para = _S["m"].para
    apply_rules = _S["m"].apply_rules
    fit_widths = _S["m"].fit_widths
    dark = _S["m"].dark
    tx = synth.Text(rng)
    y = P["year"]
    board = rng.choice(BOARDS)
    mdate = f"{rng.randint(2, 28)} {rng.choice(MON)} {y}"
    lay = P["layout"]
    hdr_bg = P["header_fill"]
    hdr_fg = "#FFFFFF" if dark(hdr_bg) else None
    title = rng.choice(["{b} \u2013 Action Log", "{b}: Action Tracker", "Actions Arising \u2013 {b}",
                        "{b} Action Log (updated {d})"]).format(b=board, d=mdate)
    P["title"] = title
    P["plan"] = board
    blocks = [para("title", title)]
    if rng.random() < 0.6:
        blocks.append(para("body", rng.choice([f"Meeting date: {mdate}", f"Actions from the meeting held on {mdate}",
                                               f"Updated following the meeting on {mdate}"])))
    if lay in ("board_log", "board_log_update"):
        roles = ["ref", "source", "activity", "lead", "target"] + (["newdate"] if P["new_date"] else []) + ["status"]
        if lay == "board_log_update":
            roles.append("rationale")
        if rng.random() < 0.6:
            roles.append("openclose")
        heads = {"ref": rng.choice(["Ref", "Action Ref", "No."]),
                 "source": rng.choice(["Source (agenda title / item / date / Action Ref)", "Source",
                                       "Meeting / item"]),
                 "activity": "Action", "lead": rng.choice(["Lead", "Lead Officer", "Owner"]),
                 "target": rng.choice(["Due Date", "Due date", "Deadline"]),
                 "newdate": rng.choice(["NEW DATE", "Revised date", "New Date"]),
                 "status": rng.choice(["Status", "Status / update", "Progress"]),
                 "rationale": rng.choice(["Update", "Comments", "Latest update"]),
                 "openclose": rng.choice(["Proposed to Open/ Close", "Open / Closed", "Propose to close?"])}
    elif lay == "by_when":
        roles = ["ref", "activity", "bywhen", "status"]
        heads = {"ref": rng.choice(["No.", "Item", "#"]), "activity": "Action",
                 "bywhen": rng.choice(["By When / By Whom", "By whom / by when", "Who / When"]),
                 "status": rng.choice(["Update", "Progress update", "Status update"])}
    else:   # numbered
        roles = ["ref", "activity", "lead", "target"] + (["newdate"] if P["new_date"] else []) + ["status"]
        heads = {"ref": rng.choice(["Action No.", "Ref", "No."]), "activity": rng.choice(["Action", "Action agreed"]),
                 "lead": rng.choice(["Owner", "Lead"]), "target": rng.choice(["Deadline", "Due Date", "Target date"]),
                 "newdate": rng.choice(["Revised deadline", "NEW DATE"]),
                 "status": rng.choice(["Status (1-4)", "Status", "Rating"])}
    P["columns"] = roles
    P["headers"] = {r: heads[r] for r in roles}
    scale = NUMBER_SCALES[P["scale"]]
    if lay == "numbered":
        if P["key_style"] == "table":
            krows = [{"role": "colhead", "cells": [C("Status", bold=True, bg=hdr_bg, fg=hdr_fg),
                                                   C("Meaning", bold=True, bg=hdr_bg, fg=hdr_fg)]}]
            for num, words, v in scale:
                krows.append({"role": "key", "cells": [C(num, bold=True, align="center"), C(words)]})
            kb = {"t": "table", "widths": [0.2, 0.8], "head": [], "body": krows, "break": False, "split": False,
                  "key": True, "rules": "grid"}
        else:
            kb = para("body", "Status key: " + "; ".join(f"{num} = {words}" for num, words, v in scale) + ".")
        key_first = rng.random() < 0.5
        if key_first:
            blocks.append(kb)
    rows = [{"role": "colhead", "cells": [C(heads[r], bold=True, bg=hdr_bg, fg=hdr_fg) for r in roles]}]
    recs = []
    base = rng.randint(1, 40)
    prefix = rng.choice(["", "HWB", "A", f"{y % 100}/"])
    for i in range(P["n_rows"]):
        for _ in range(50):
            act = rng.choice(SMALL_ACTIONS).format(who=rng.choice(SMALL_WHO), doc=rng.choice(SMALL_DOCS),
                                                   topic=rng.choice(SMALL_TOPICS), partner=rng.choice(D.PARTNERS))
            act = act + "."
            if tx.exact(act):
                break
        else:
            raise RuntimeError("no unique action")
        tgt = synth.DATE_FUNCS[rng.choice(P["date_styles"])](rng, y)
        rev_txt = None
        if "newdate" in roles and tgt["due"] and rng.random() < 0.5:
            m = int(tgt["due"][5:7])
            yy = int(tgt["due"][:4])
            m2 = m + rng.randint(1, 6)
            yy2, m2 = yy + (m2 - 1) // 12, (m2 - 1) % 12 + 1
            if rng.random() < 0.5:
                import calendar
                d = calendar.monthrange(yy2, m2)[1]
                rev_txt, rev = f"{d:02d}/{m2:02d}/{yy2}", f"{yy2}-{m2:02d}-{d:02d}"
            else:
                rev_txt, rev = f"{MON[m2 - 1]} {yy2}", _ym(yy2, m2)
            tgt = dict(tgt, revised_due=rev)
        month, month2 = rng.sample(MON, 2)
        rationale = None
        if lay == "numbered":
            num, words, value = rng.choice(scale)
            stext = num
        elif lay == "board_log_update":
            stext, value = rng.choice(SHORT_STATUS)
            rationale, _ = rng.choice(NARRATIVES)
            rationale = rationale.format(month=month, month2=month2, d=rng.randint(2, 28),
                                         partner=rng.choice(D.PARTNERS), n=rng.randint(4, 12))
        else:
            stext, value = rng.choice(NARRATIVES)
            stext = stext.format(month=month, month2=month2, d=rng.randint(2, 28), partner=rng.choice(D.PARTNERS),
                                 n=rng.randint(4, 12))
        ref = f"{prefix}{base + i}" if prefix != "A" else f"A{base + i:02d}"
        lead = rng.choice(LEAD_ABBR)
        src = f"{board} / Item {rng.randint(3, 12)} / {rng.randint(1, 28)}.{rng.randint(1, 12):02d}.{y % 100:02d} / {ref}"
        oc = rng.choice(OPEN_CLOSE)
        vals = {"ref": C(ref), "source": C(src), "activity": C(act, act=i), "lead": C(lead),
                "target": C(tgt["lines"]), "newdate": C(rev_txt), "status": C(stext, align="center" if lay == "numbered" else "left"),
                "rationale": C(rationale), "openclose": C(oc),
                "bywhen": C(list(tgt["lines"]) + [lead] if rng.random() < 0.5 else [" / ".join(tgt["lines"] + [lead])])}
        if lay == "by_when":
            # the date is printed with the lead: the target text is the date part
            pass
        rows.append({"role": "data", "cells": [vals[r] for r in roles], "blk": True})
        rec = {"kind": "action", "theme": None, "outcome": None, "group": None, "activity": act,
               "target": synth.target_record(tgt), "status": {"text": stext, "value": value, "colour": None},
               "rationale": rationale, "flags": []}
        ex = {}
        if "source" in roles:
            ex[heads["source"]] = src
        if "openclose" in roles:
            ex[heads["openclose"]] = oc
        if ex:
            _CUR["extra"][collapse(act)] = ex
        recs.append(rec)
    weights = {"ref": 0.06, "source": 0.16, "activity": 0.3, "lead": 0.09, "target": 0.1, "newdate": 0.09,
               "status": 0.22 if lay != "numbered" else 0.08, "rationale": 0.22, "openclose": 0.08, "bywhen": 0.14}
    w = [weights[r] for r in roles]
    tb = {"t": "table", "widths": [x / sum(w) for x in w], "head": [], "body": rows, "break": False, "split": True}
    blocks.append(tb)
    if lay == "numbered" and not key_first:
        blocks.append(kb)
    if rng.random() < 0.3:
        blocks.append(para("body", rng.choice(["Actions marked for closure will be removed from the log once agreed "
                                               "by the Board.", "Please send updates to the board manager a week "
                                               "before the meeting."])))
    for b in blocks:
        if b["t"] == "table":
            apply_rules(b, b.get("rules") or P["rules"], (P["border_width"], P["border_colour"]), None)
    run = {"left": None, "right": None, "footer": P["footer"], "footer_text": P["council"]}
    if P["running_header"]:
        run["left"], run["right"] = P["council"], rng.choice(D.MARKINGS)
    model = {"page": {"landscape": P["landscape"], "margins": P["margins_mm"], "font": P["font"], "pt": P["pt"]},
             "running": run, "blocks": blocks}
    for b in blocks:
        if b["t"] == "table":
            fit_widths(b, model["page"])
    return model, recs


# ====================================================================== registration


def extend(synth):
    _S["m"] = synth
    synth.DATE_FUNCS.update(NEW_DATES)
    synth.PRODUCERS["pptx"] = render_pptx
    synth.PRODUCERS["docx"] = render_docx(synth)
    wrap_draw_params(synth)
    wrap_builders(synth)
