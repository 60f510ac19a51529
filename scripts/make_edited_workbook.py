#!/usr/bin/env python3
"""Makes tests/corpus/workbooks/northdale-q4-edited.xlsx: the Q3 pack workbook of the Northdale
tracker as an officer would update it for Q4, saved by another program (openpyxl), so that the
read-back test does not only read milepost's own writer.

Run from the repository root after `milepost run` has made outputs/packs/:
    python3 scripts/make_edited_workbook.py outputs/packs/northdale-2024-tracker-q3-2024-25.xlsx \
        tests/corpus/workbooks/northdale-q4-edited.xlsx
The edits (each one the test checks) are listed in EDITS below.
"""
import datetime
import sys

import openpyxl

src, dst = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(src)
summary = wb["Summary"]
for row in summary.iter_rows(min_col=1, max_col=2):
    if row[0].value == "Period":
        row[1].value = "Q4 2024/25"
ws = wb["Tracker"]
head = [c.value for c in ws[1]]
col = {name: i + 1 for i, name in enumerate(head)}

def set_(r, name, v):
    ws.cell(row=r, column=col[name], value=v)

# EDITS (sheet rows; row 1 is the heading row)
set_(2, "Status", "Complete")                       # a status moved by the drop-down
set_(3, "Status", "Off track")                      # another
set_(4, "Status", "Amberish")                       # not on the scale: flagged with its cell
set_(5, "Revised date", datetime.datetime(2025, 9, 30))   # a revised date, as a date cell
set_(6, "Revised date", "Spring-ish")               # a revised date milepost cannot read
set_(7, "Rationale", "Q4 update: contractor appointed in February; works start in May.")
removed = ws.cell(row=8, column=col["Activity"]).value
ws.delete_rows(8)                                   # a row removed
last = ws.max_row + 1
set_(last, "Activity", "Publish the Q4 delivery review")   # a row added
set_(last, "Target date", datetime.datetime(2025, 6, 30))
set_(last, "Status", "On track")
set_(last + 1, "Status", "Behind")                  # a row added with no activity
wb.save(dst)
print("removed:", removed)
