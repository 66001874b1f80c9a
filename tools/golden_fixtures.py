#!/usr/bin/env python3
"""Generate golden dossiers for every sheet of an edition, with expected results
computed by an oracle that reads the *reference* Markdown (not the crate's TOML)
and applies the rules of the issue by hand: sums, half-open bands, star marks
binding their rank and above, errata.

Usage: tools/golden_fixtures.py ../shared/reference/26-2026 tests/fixtures/26-2026
       (1048-2019, 781-2020 sheet 26, 148-2023 sheet 01: use tools/golden_fixtures_1048.py; the 1048 branch below
        reads the former seed-data md format and no longer applies)

For 1048-2019 the oracle reads the reference sheets 02–26 with its own small parser (bands are
printed as integer ranges; the oracle places a total up to the next band's lower edge, and the
sheets carry no star marks).

The cases per sheet: every option at its best (100), every leaf at 0, totals on
each band edge (90/89, 70/69, 50/49) with the marks of the band met, and cases
where a missed 4★ or 5★ mark lowers the rank.
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sheet_md_to_toml import ERRATA, parse_sheet  # noqa: E402

BANDS = [(90, 5), (70, 4), (50, 3), (30, 2), (0, 1)]


def parse_1048(path):
    """The 1048 reference sheet as the same tree parse_sheet returns."""
    sheet = {"parts": []}
    part = crit = parent = None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^## ([ABC])\. ", line)
        if m:
            part = {"id": m.group(1), "sections": [{"criteria": []}]}
            sheet["parts"].append(part)
            continue
        m = re.match(r"^#### (\S+) ", line)
        if m and part is not None:
            crit = {"id": m.group(1), "options": [], "children": []}
            part["sections"][0]["criteria"].append(crit)
            parent = crit
            continue
        m = re.match(r"^##### (\S+) ", line)
        if m and parent is not None:
            crit = {"id": m.group(1), "options": []}
            parent["children"].append(crit)
            continue
        m = re.match(r"^\s*- \*\*(\d+)\*\* — ", line)
        if m and crit is not None:
            crit["options"].append({"printed": m.group(1)})
    return sheet


def leaves(sheet, number):
    """(id, [points per option], {stars: points}) for every leaf, printed order."""
    out = []

    def walk(c):
        if c.get("children"):
            for ch in c["children"]:
                walk(ch)
            return
        opts = c["options"]
        if not opts:  # bilingual label: inferred 0 / 1
            pts = [0, 1]
            marks = {}
        else:
            pts = []
            marks = {}
            for n, o in enumerate(opts, 1):
                if o["printed"] is None:
                    p = 0
                elif number is not None and (number, c["id"], n) in ERRATA:
                    p = int(ERRATA[(number, c["id"], n)][0])
                else:
                    p = int(o["printed"])
                pts.append(p)
                if o.get("min_stars"):
                    marks[o["min_stars"]] = p
        out.append((c["id"], pts, marks))

    for p in sheet["parts"]:
        for s in p["sections"]:
            for c in s["criteria"]:
                walk(c)
    return out


def part_of(sheet):
    m = {}
    for p in sheet["parts"]:
        for s in p["sections"]:
            for c in s["criteria"]:
                ids = [c["id"]] + [ch["id"] for ch in c.get("children", [])]
                for i in ids:
                    m[i] = p["id"]
    return m


def floor(marks, rank):
    req = [p for s, p in marks.items() if s <= rank]
    return max(req) if req else 0


def score(sheet, number, answers):
    ls = leaves(sheet, number)
    parts = {"A": 0, "B": 0, "C": 0}
    pmap = part_of(sheet)
    unmet = []
    total = 0
    for cid, pts, marks in ls:
        a = answers[cid]
        p = 0 if a == 0 else pts[a - 1]
        total += p
        parts[pmap[cid]] += p
        for s, req in sorted(marks.items()):
            if p < req:
                unmet.append((cid, s))
    band = next(r for lo, r in BANDS if total >= lo)
    binding = sorted((c, s) for c, s in unmet if s <= band)
    stars = band
    while stars >= 3 and any(s <= stars for _, s in binding):
        stars -= 1
    return {
        "parts": {k: str(v) for k, v in parts.items()},
        "total": str(total),
        "band_stars": band,
        "stars": stars,
        "unmet_marks": [[c, s] for c, s in binding],
    }


def best_answers(ls):
    return {cid: max(range(len(pts)), key=lambda i: (pts[i], i)) + 1 for cid, pts, _ in ls}


def lower_to(ls, answers, target, rank):
    """Lower options, last criteria first, to reach `target` with rank's marks met."""
    answers = dict(answers)
    cur = sum(pts[answers[c] - 1] for c, pts, _ in ls)
    need = cur - target
    for cid, pts, marks in reversed(ls):
        if need == 0:
            break
        now = pts[answers[cid] - 1]
        fl = floor(marks, rank)
        # candidates: each option, and 0 = none applies
        cands = [(p, n) for n, p in enumerate(pts, 1)] + [(0, 0)]
        ok = [(p, n) for p, n in cands if p >= fl and now - p <= need and p <= now]
        if not ok:
            continue
        p, n = min(ok)
        answers[cid] = n
        need -= now - p
    return answers if need == 0 else None


def cases_for(sheet, number):
    ls = leaves(sheet, number)
    best = best_answers(ls)
    top = sum(max(pts) for _, pts, _ in ls)
    cases = [("best", "every criterion at its best option: %d points, 5★" % top, best)]
    cases.append(("zero", "no option applies anywhere (answers 0): 0 points, 1★", {c: 0 for c, _, _ in ls}))
    for target, rank, clause in [
        (90, 5, "band edge: 90 is 5★ (từ 90 đến 100)"),
        (89, 4, "band edge: 89 is 4★ (từ 70 đến dưới 90)"),
        (70, 4, "band edge: 70 is 4★"),
        (69, 3, "band edge: 69 is 3★ (từ 50 đến dưới 70)"),
        (50, 3, "band edge: 50 is 3★"),
        (49, 2, "band edge: 49 is 2★ (từ 30 đến dưới 50)"),
    ]:
        a = lower_to(ls, best, target, rank)
        if a is None:
            raise SystemExit("sheet %d: cannot reach %d with %d★ marks met" % (number, target, rank))
        cases.append(("edge-%d" % target, clause + ", with the marks of that rank met", a))
    # A missed 4★ mark on a 5★-band product, and a missed 5★ mark.
    for stars in (4, 5, 3):
        for cid, pts, marks in ls:
            if stars in marks:
                lower = [n for n, p in enumerate(pts, 1) if p < marks[stars] and p >= floor(marks, stars - 1)]
                if lower:
                    a = dict(best)
                    a[cid] = max(lower, key=lambda n: pts[n - 1])
                    cases.append((
                        "mark-%d-missed" % stars,
                        "criterion %s below its %d★ mark: the band rank is lowered (our reading of the star marks)" % (cid, stars),
                        a,
                    ))
                    break
    return cases


def main():
    ref, out = sys.argv[1], sys.argv[2]
    edition = os.path.basename(os.path.normpath(ref))
    os.makedirs(out, exist_ok=True)
    sheets_dir = os.path.join(ref, "sheets")
    for name in sorted(os.listdir(sheets_dir)):
        m = re.match(r"^(\d\d)-(.*)\.md$", name)
        if not m:
            continue
        number, key = int(m.group(1)), m.group(2)
        if edition == "1048-2019":
            if number == 1:  # a second source for sheet 02, not a sheet
                continue
            key = re.search(r"\*\*Sheet key:\*\* `([^`]+)`", open(os.path.join(sheets_dir, name), encoding="utf-8").read()).group(1)
            sheet = parse_1048(os.path.join(sheets_dir, name))
            cases = []
            for label, clause, answers in cases_for(sheet, None):
                cases.append({
                    "case": label,
                    "clause": clause,
                    "dossier": {"edition": edition, "sheet": key, "answers": answers},
                    "expect": score(sheet, None, answers),
                })
            path = os.path.join(out, "%02d-%s.json" % (number, key))
            with open(path, "w", encoding="utf-8") as f:
                f.write("// generated by tools/golden_fixtures.py from ../shared/reference; expected values by its oracle\n")
                json.dump(cases, f, ensure_ascii=False, indent=1)
                f.write("\n")
            continue
        sheet = parse_sheet(os.path.join(sheets_dir, name))
        cases = []
        for label, clause, answers in cases_for(sheet, number):
            cases.append({
                "case": label,
                "clause": clause,
                "dossier": {"edition": "26-2026", "sheet": key, "answers": answers},
                "expect": score(sheet, number, answers),
            })
        path = os.path.join(out, "%02d-%s.json" % (number, key))
        with open(path, "w", encoding="utf-8") as f:
            f.write("// generated by tools/golden_fixtures.py from ../shared/reference; expected values by its oracle\n")
            json.dump(cases, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
