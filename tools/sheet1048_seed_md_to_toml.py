#!/usr/bin/env python3
"""Transcribe 781-2020's sheet 26 (community tourism) from the application-seed Markdown into TOML.

Usage:
    python3 tools/sheet1048_seed_md_to_toml.py ../shared/reference/1048-2019/app-seed criteria/781-2020/sheets

This is the former tools/sheet1048_md_to_toml.py (which transcribed all 25 seed-data sheets into
criteria/1048-2019 until the 1048 sheets were rebuilt from the decision's text by
tools/sheet1048_text_to_toml.py). It is now used for one sheet only: REF/26-*.md, the seed data's
community-tourism sheet "Dịch vụ du lịch cộng đồng và điểm du lịch", which the 781-2020 edition
carries in place of the 1048 text's sheet 26 ("Dịch vụ du lịch - truyền thống - lễ hội"). That it is
the sheet in force from 781/QĐ-TTg on is an inference from the product-set name 781 gave and the seed's
date (May 2022), not from 781's text (../shared/reference/1048-2019/app-seed/README.md): the sheet's
`source` and `confidence` say so. Python 3.11, standard library only; byte-identical on re-run.

Nothing is corrected: where the Markdown reports an anomaly, the sheet keeps the stored values and
records a `doubts` entry. Any line or anomaly the parser does not recognise stops the run.
"""

import json
import os
import re
import sys
from decimal import Decimal

DECISION = "1048/QĐ-TTg"
PART_MAX = {"A": 35, "B": 25, "C": 40}

# Short English summaries of the reference's "hint, not a correction" lines for the three sheets
# whose Part C criteria add up to 38 (keyed by sheet number; the script checks the hints exist).
PART_C_HINTS = {
    10: "hint from the reference, not a correction: section 7 'TÍNH ĐỘC ĐÁO' is 3 here but 5 in all 12 consistent "
        "Thực phẩm sheets that have it; criterion 6.4 'Mùi' is 3 here but 5 in 4 of the 8 that have it",
    16: "hint from the reference, not a correction: section 6 'CHỈ TIÊU CẢM QUAN' is 18 here but 20 in 2 of the 3 "
        "consistent Đồ uống sheets; criterion 6.1 'Tạp chất lạ' (3 vs 5) and 6.5 'Vị' (6 vs 8) in 1 of 3 each",
    19: "hint from the reference, not a correction: section 9 'HIỆU QUẢ SỬ DỤNG' is 6 here but 8 in 'Thảo dược khác'; "
        "the consistent Thảo dược sheets have a 'công bố chất lượng' section that this sheet lacks, and this sheet has "
        "sections ('Chất lượng nguyên liệu', 'KIỂM TRA ĐỊNH KỲ') that they lack",
}


def q(s):
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(s, ensure_ascii=False)


def norm(s):
    """Whitespace-normalised text."""
    return " ".join(s.split())


def points(tok):
    """Points as a TOML value: an integer, or a decimal string; never a float."""
    d = Decimal(tok)
    if d == d.to_integral_value():
        return int(d)
    return str(d.normalize())


def fmt_points(v):
    return str(v) if isinstance(v, int) else q(v)


def as_dec(v):
    return Decimal(str(v))


class ParseError(Exception):
    pass


def fail(path, lineno, msg):
    raise ParseError("%s:%d: %s" % (path, lineno, msg))


def new_node(cid, title, mx, lineno):
    return {
        "id": cid, "title": title, "max": mx, "lineno": lineno,
        "notes": [], "doubts": [], "cases": [], "options": [], "children": [],
        "untitled": False, "alternatives": None,
    }


def split_heading(path, lineno, text):
    """'<id> <title> — max <N><suffix>' -> (id, title, N, suffix)."""
    if " — max " not in text:
        fail(path, lineno, "heading without ' — max ': %r" % text)
    head, tail = text.rsplit(" — max ", 1)
    m = re.match(r"^(\d+(?:\.\d+)?)(.*)$", tail)
    if not m:
        fail(path, lineno, "unreadable maximum: %r" % tail)
    cid, _, title = head.partition(" ")
    return cid, norm(title), points(m.group(1)), m.group(2).strip()


def parse_header(path, lines):
    meta = {}
    text = "\n".join(lines)
    m = re.search(r"^# (\d\d) — (.+) \(1048-era scoring sheet, secondary source\)$", text, re.M)
    if not m:
        fail(path, 1, "no H1 heading")
    meta["h1_number"], meta["stored_title"] = int(m.group(1)), norm(m.group(2))
    m = re.search(r"^- \*\*Sheet key:\*\* `([a-z0-9-]+)`", text, re.M)
    if not m:
        fail(path, 1, "no sheet key")
    meta["key"] = m.group(1)
    m = re.search(r"ngành \*\*(.+?)\*\* › nhóm \*\*(.+?)\*\* › bộ sản phẩm \*\*(.+?)\*\*", text)
    if not m:
        fail(path, 1, "no product set line")
    meta["group"], meta["subgroup"], meta["product_set"] = (norm(x) for x in m.groups())
    m = re.search(
        r"^- \*\*Source:\*\* GitHub `([^`]+)`, commit `([0-9a-f]{40})`, file `([^`]+)` "
        r"\(MySQL dump;.*?`product_types\.id` = (\d+);", text, re.M)
    if not m:
        fail(path, 1, "no source line")
    meta["repo"], meta["commit"], meta["file"], meta["product_type"] = m.groups()
    if "⚠ **Secondary source: app seed data, not the official text.**" not in text:
        fail(path, 1, "the secondary-source warning is missing")
    # Anomaly bullets: top-level ("- ...") and nested hints ("  - ...").
    meta["anomalies"] = []
    inside = False
    for n, line in enumerate(lines, 1):
        if line.startswith("## "):
            inside = line.startswith("## Anomalies")
            continue
        if inside and line.strip():
            meta["anomalies"].append((n, line))
    return meta


def parse_body(path, lines, start):
    """Parse parts, sections, criteria, sub-criteria, notes, cases and options."""
    parts = []
    part = section = crit = child = case = None
    for n in range(start, len(lines)):
        lineno = n + 1
        line = lines[n]
        if line.strip() == "":
            continue
        if line == "---":
            break
        m = re.match(r"^## ([ABC])\. (.+) — max (\d+) \((✓|✗ sections sum to \d+)\)$", line)
        if m:
            part = {"id": m.group(1), "title": norm(m.group(2)), "max": points(m.group(3)),
                    "mark": m.group(4), "sections": [], "doubts": []}
            parts.append(part)
            section = crit = child = case = None
            continue
        m = re.match(r"^### (\d+)\. (.+) — max (\d+) \(derived: ([\d + ]+)\)$", line)
        if m:
            if part is None:
                fail(path, lineno, "section outside a part")
            section = new_node(m.group(1), norm(m.group(2)), points(m.group(3)), lineno)
            section["criteria"] = section.pop("children")
            section["derived"] = [points(x) for x in m.group(4).split(" + ")]
            part["sections"].append(section)
            crit = child = case = None
            continue
        m = re.match(r"^(#{4,5}) (.+)$", line)
        if m:
            cid, title, mx, suffix = split_heading(path, lineno, m.group(2))
            node = new_node(cid, title, mx, lineno)
            node["suffix"] = suffix
            if len(m.group(1)) == 4:
                if section is None:
                    fail(path, lineno, "criterion outside a section")
                if not (cid == section["id"] or cid.startswith(section["id"] + ".")):
                    fail(path, lineno, "criterion %s outside section %s" % (cid, section["id"]))
                crit, child = node, None
                section["criteria"].append(node)
            else:
                if crit is None:
                    fail(path, lineno, "sub-criterion outside a criterion")
                child = node
                crit["children"].append(node)
            case = None
            continue
        node = child or crit or section
        if line == ">":
            continue
        m = re.match(r"^> (.+)$", line)
        if m:
            if node is None:
                fail(path, lineno, "note outside a section")
            if node["options"] or node["cases"]:
                fail(path, lineno, "note after the options")
            node["notes"].append(norm(m.group(1)))
            continue
        if line == "_criterion untitled in the source; the section heading is its title_":
            if crit is None or child is not None or crit["id"] != section["id"]:
                fail(path, lineno, "untitled marker outside a section-level criterion")
            crit["untitled"] = True
            continue
        m = re.match(r"^Alternatives — (.+)$", line)
        if m:
            if node is None or node is section:
                fail(path, lineno, "alternatives outside a criterion")
            node["alternatives"] = norm(m.group(1))
            continue
        m = re.match(r"^- Case (\d+) \(max (\d+)\) — (.+) \(inferred\):$", line)
        if m:
            if node is None or node is section or node["alternatives"] is None:
                fail(path, lineno, "case outside an alternatives block")
            if node["options"] and not node["cases"]:
                fail(path, lineno, "case after plain options")
            number = int(m.group(1))
            if number != len(node["cases"]) + 1:
                fail(path, lineno, "cases out of order")
            case = {"id": "abcdefghij"[number - 1], "number": number,
                    "max": points(m.group(2)), "desc": norm(m.group(3))}
            node["cases"].append(case)
            continue
        m = re.match(r"^(  )?- \*\*(\d+(?:\.\d+)?)\*\* — (.*)$", line)
        if m:
            if node is None or node is section:
                fail(path, lineno, "option outside a criterion")
            if node["children"]:
                fail(path, lineno, "option on a criterion with sub-criteria")
            in_case = m.group(1) is not None
            if in_case != bool(node["cases"]) or (in_case and case is None):
                fail(path, lineno, "option does not match the case structure")
            text = norm(m.group(3))
            if not text:
                fail(path, lineno, "empty option text")
            node["options"].append({"points": points(m.group(2)), "case": case["id"] if in_case else None,
                                    "text": text})
            continue
        fail(path, lineno, "unrecognised line: %r" % line)
    return parts


def crit_checks(path, node, problems):
    """Each criterion's best option = its max; sub-criteria add up to their parent."""
    if node["children"]:
        total = sum(as_dec(c["max"]) for c in node["children"])
        if total != as_dec(node["max"]):
            problems.append("%s: %s sub-criteria add up to %s, not %s" % (path, node["id"], total, node["max"]))
        for c in node["children"]:
            crit_checks(path, c, problems)
        return
    if not node["options"]:
        problems.append("%s: %s has no options" % (path, node["id"]))
        return
    best = max(as_dec(o["points"]) for o in node["options"])
    if best != as_dec(node["max"]):
        problems.append("%s: %s best option %s, max %s" % (path, node["id"], best, node["max"]))
    for c in node["cases"]:
        cbest = max(as_dec(o["points"]) for o in node["options"] if o["case"] == c["id"])
        if cbest != as_dec(c["max"]):
            problems.append("%s: %s case %d best %s, printed %s" % (path, node["id"], c["number"], cbest, c["max"]))


def build(path, number):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    start = next((i for i, l in enumerate(lines) if l.startswith("## A. ")), None)
    if start is None:
        fail(path, 1, "no part A")
    meta = parse_header(path, lines[:start])
    if meta["h1_number"] != number:
        fail(path, 1, "H1 number %d differs from the file number %d" % (meta["h1_number"], number))
    parts = parse_body(path, lines, start)
    if [p["id"] for p in parts] != ["A", "B", "C"]:
        fail(path, start + 1, "parts are not A, B, C")

    problems = []   # consistency problems other than the known Part C gap: stop the run
    gaps = []       # (part id, sum of sections, part max)
    for p in parts:
        if p["max"] != PART_MAX[p["id"]]:
            problems.append("%s: part %s max %s, expected %s" % (path, p["id"], p["max"], PART_MAX[p["id"]]))
        ssum = sum(as_dec(s["max"]) for s in p["sections"])
        if ssum != as_dec(p["max"]):
            gaps.append((p["id"], ssum, p["max"]))
            if p["mark"] != "✗ sections sum to %s" % ssum:
                problems.append("%s: part %s sums to %s but is not marked" % (path, p["id"], ssum))
        elif p["mark"] != "✓":
            problems.append("%s: part %s marked %r but sums correctly" % (path, p["id"], p["mark"]))
        for s in p["sections"]:
            csum = sum(as_dec(c["max"]) for c in s["criteria"])
            if csum != as_dec(s["max"]) or [as_dec(c["max"]) for c in s["criteria"]] != [as_dec(x) for x in s["derived"]]:
                problems.append("%s: section %s criteria %s, max %s" % (path, s["id"], csum, s["max"]))
            for c in s["criteria"]:
                crit_checks(path, c, problems)

    # Headings: suffixes, cases, sub-criteria, untitled (directly scored) sections.
    for p in parts:
        for s in p["sections"]:
            for c in s["criteria"]:
                suffix = c.pop("suffix")
                if c["cases"]:
                    if suffix != "(best case; choose ONE case)":
                        fail(path, c["lineno"], "criterion with cases lacks the best-case suffix")
                elif c["children"]:
                    want = "= %s (sum of sub-criteria)" % " + ".join(str(ch["max"]) for ch in c["children"])
                    if suffix != want:
                        fail(path, c["lineno"], "sub-criteria suffix %r, expected %r" % (suffix, want))
                elif suffix:
                    fail(path, c["lineno"], "unexpected heading suffix %r" % suffix)
                for ch in c["children"]:
                    sfx = ch.pop("suffix")
                    m = re.match(r"^\(printed as (\d+(?:\.\d+)+)\)$", sfx)
                    if m:
                        ch["doubts"].append("printed as %s in the source, which repeats a sibling's number; "
                                            "renumbered by position" % m.group(1))
                    elif sfx:
                        fail(path, ch["lineno"], "unexpected sub-criterion suffix %r" % sfx)
                    if ch["cases"] or ch["children"]:
                        fail(path, ch["lineno"], "unsupported structure under a sub-criterion")
                if c["cases"] and c["alternatives"] is None:
                    fail(path, c["lineno"], "cases without an alternatives line")
            direct = [c for c in s["criteria"] if c["untitled"]]
            if direct:
                c = direct[0]
                if len(s["criteria"]) != 1 or c["title"] != s["title"] or c["max"] != s["max"] or c["children"]:
                    fail(path, c["lineno"], "untitled criterion is not the section's only criterion")
                s["direct"] = c
            elif any(c["id"] == s["id"] for c in s["criteria"]):
                fail(path, s["lineno"], "criterion with the section's id but not untitled")

    # Cases: notes stay as printed; titles and doubts say the boundaries are inferred.
    def finish_cases(node):
        if not node["cases"]:
            return
        for c in node["cases"]:
            c["title"] = "Trường hợp %d (%s, inferred)" % (c["number"], c["desc"])
        alt = node["alternatives"]
        boundary = "Case boundaries are inferred from where the points restart; the source stores no case labels."
        if not alt.endswith(boundary):
            fail(path, node["lineno"], "unexpected alternatives text %r" % alt)
        if alt.startswith("stated by the note."):
            if not node["notes"]:
                fail(path, node["lineno"], "alternatives 'stated by the note' without a note")
            node["doubts"].append("alternative cases stated by the note, but the case boundaries and titles are "
                                  "inferred from where the points restart; the source stores no case labels")
        else:
            m = re.match(r"^\*\*inferred\*\* \(no note in the source; the points restart: (\[[\d, ]+\])\)\.", alt)
            if not m:
                fail(path, node["lineno"], "unexpected alternatives text %r" % alt)
            node["doubts"].append("alternative cases inferred: the source has no note, but the points restart "
                                  "(%s); case boundaries and titles are inferred" % m.group(1))

    for p in parts:
        for s in p["sections"]:
            for c in s["criteria"]:
                finish_cases(c)

    # Anomalies listed in the Markdown header.
    index = {}
    for p in parts:
        for s in p["sections"]:
            index[s["id"]] = s
            for c in s["criteria"]:
                index.setdefault(c["id"], c)
                for ch in c["children"]:
                    index[ch["id"]] = ch
    part_c = parts[2]
    hints = []
    for lineno, line in meta["anomalies"]:
        body = line[2:] if line.startswith("- ") else None
        if line.startswith("  - hint, not a correction:"):
            hints.append(line)
            continue
        if body is None:
            fail(path, lineno, "unrecognised anomaly line %r" % line)
        if body == "No check violation.":
            if gaps:
                fail(path, lineno, "'No check violation' on a sheet with a gap")
            continue
        if body.startswith("no 0-point option") or body.startswith("Criteria with alternative cases:"):
            continue  # report only / handled by the case structure
        if re.match(r"^\d+ question rows \(ids .*\) are exact copies of earlier rows", body):
            continue  # processing of the dump by the reference; nothing left in the sheet
        if re.match(r"^❌ Part C \(Chất lượng sản phẩm\), sections [\d, ]+: stored/derived \*\*38\*\*, implied \*\*40\*\*", body):
            if [(g[0], g[1], g[2]) for g in gaps] != [("C", 38, 40)]:
                fail(path, lineno, "Part C gap reported but not found")
            continue
        if body.startswith("❌ sheet (sum of all derived section maxima): stored/derived **98**, implied **100**"):
            continue  # a consequence of the Part C gap
        m = re.match(r"^section numbering jumps from (\d+) to (\d+) \('(.+)'\); no criteria are stored for a section (\d+)$", body)
        if m:
            owner = next(p for p in parts if any(s["id"] == m.group(2) for s in p["sections"]))
            owner["doubts"].append("section numbers jump from %s to %s as stored: there is no section %s"
                                   % (m.group(1), m.group(2), m.group(4)))
            continue
        m = re.match(r"^criteria under (\d+) are numbered ([\d., ]+) \(expected 1\.\.(\d+)\); ids kept as stored$", body)
        if m:
            ids = [x.strip() for x in m.group(2).split(",")]
            top = max(int(x.rsplit(".", 1)[1]) for x in ids)
            missing = ["%s.%d" % (m.group(1), k) for k in range(1, top) if "%s.%d" % (m.group(1), k) not in ids]
            if not missing:
                fail(path, lineno, "no gap in %r" % body)
            index[m.group(1)]["doubts"].append("criteria are numbered %s as stored, with no %s; ids kept as stored"
                                               % (", ".join(ids), " or ".join(missing)))
            continue
        m = re.match(r"^criterion ([\d.]+): options '(.+)' and '(.+)' both score (\d+) \(ladder (\[[\d, ]+\])\); "
                     r"probably a typo for a strictly rising ladder, but the maximum is unaffected$", body)
        if m:
            index[m.group(1)]["doubts"].append("options '%s' and '%s' both score %s (ladder %s); probably a typo "
                                               "for a rising ladder; the maximum is unaffected"
                                               % (m.group(2), m.group(3), m.group(4), m.group(5)))
            continue
        if re.match(r"^sub-criteria under [\d.]+ repeat the printed number [\d.]+; the sibling group was renumbered", body):
            if not any("printed as" in d for c in index.values() for d in c["doubts"]):
                fail(path, lineno, "renumbering reported but no '(printed as …)' heading found")
            continue
        fail(path, lineno, "unrecognised anomaly %r" % body)

    for pid, ssum, pmax in gaps:
        if pid != "C" or number not in PART_C_HINTS or not hints:
            fail(path, start + 1, "unexpected gap in part %s" % pid)
        part_c["doubts"].append("the stored criteria add up to %s, not %s: the part maximum %s is from the decision "
                                "body; nothing has been corrected" % (ssum, pmax, pmax))
        part_c["doubts"].append(PART_C_HINTS[number])
    if hints and not gaps:
        fail(path, 1, "hints without a gap")

    if problems:
        raise ParseError("\n".join(problems))
    return meta, parts


def emit(number, name, meta, parts):
    out = []
    w = out.append
    w("# GENERATED by tools/sheet1048_seed_md_to_toml.py from ../shared/reference/1048-2019/app-seed/%s;" % name)
    w("# do not edit by hand. Edition 781-2020, sheet %02d: replaces the 1048 text's sheet %02d (same number)." % (number, number))
    w("# Secondary source: application seed data (May 2022), not the official text; wording, numbering and points")
    w("# are unverified against any decision, and that 781/QĐ-TTg brought in this sheet is inferred from its")
    w("# product-set name and the seed's date (app-seed/README.md). Maxima are derived from the option points.")
    w("")
    w("number = %d" % number)
    w("key = %s" % q(meta["key"]))
    w("title = %s" % q(meta["product_set"]))
    w("group = %s" % q(meta["group"]))
    w("subgroup = %s" % q(meta["subgroup"]))
    w("cite = %s" % q("QĐ %s, Phụ lục III as amended by QĐ 781/QĐ-TTg (inferred; reconstructed from application seed data: "
                      "GitHub %s, commit %s, %s, product_types.id %s)" % (DECISION, meta["repo"], meta["commit"], meta["file"],
                                                meta["product_type"])))
    w("source = %s" % q("seed data of a council-scoring application (GitHub %s, commit %s, %s, product_types.id %s), "
                        "not the official Phụ lục III" % (meta["repo"], meta["commit"][:7], meta["file"],
                                                          meta["product_type"])))
    w("confidence = %s" % q("secondary and inferred: wording, numbering and points unverified against any decision; "
                            "its being the 781/2020 sheet for \"Dịch vụ du lịch cộng đồng và điểm du lịch\" is inferred from the "
                            "name 781 gave the product set and the seed's date (May 2022), not read in 781's text"))

    def lists(node):
        for k in ("notes", "doubts"):
            if node[k]:
                w("%s = [%s]" % (k, ", ".join(q(x) for x in node[k])))

    def opts(node):
        if node["cases"]:
            w("cases = [%s]" % ", ".join("{ id = %s, title = %s }" % (q(c["id"]), q(c["title"]))
                                         for c in node["cases"]))
        if node["options"]:
            w("options = [")
            for o in node["options"]:
                fields = ["points = %s" % fmt_points(o["points"])]
                if o["case"]:
                    fields.append("case = %s" % q(o["case"]))
                fields.append("text = %s" % q(o["text"]))
                w("  { %s }," % ", ".join(fields))
            w("]")

    def emit_crit(c, table):
        w("")
        w("[[%s]]" % table)
        w("id = %s" % q(c["id"]))
        w("title = %s" % q(c["title"]))
        w("max = %s" % fmt_points(c["max"]))
        lists(c)
        opts(c)
        for ch in c["children"]:
            emit_crit(ch, table + ".children")

    for p in parts:
        w("")
        w("[[parts]]")
        w("id = %s" % q(p["id"]))
        w("title = %s" % q(p["title"]))
        w("max = %s" % fmt_points(p["max"]))
        if p["doubts"]:
            w("doubts = [%s]" % ", ".join(q(x) for x in p["doubts"]))
        for s in p["sections"]:
            w("")
            w("[[parts.sections]]")
            w("id = %s" % q(s["id"]))
            w("title = %s" % q(s["title"]))
            w("max = %s" % fmt_points(s["max"]))
            d = s.get("direct")
            if d:
                # Scored directly: the section's one (untitled) criterion has the section's id.
                merged = {"notes": s["notes"] + d["notes"], "doubts": s["doubts"] + d["doubts"]}
                lists(merged)
                opts(d)
                continue
            lists(s)
            for c in s["criteria"]:
                emit_crit(c, "parts.sections.criteria")
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: %s REFERENCE_DIR OUTPUT_DIR\n" % argv[0])
        return 2
    ref, outdir = argv[1], argv[2]
    sheets_dir = ref
    names = sorted(n for n in os.listdir(sheets_dir) if re.match(r"^26-.+\.md$", n))
    todo = [(int(n[:2]), n) for n in names]
    if [no for no, _ in todo] != [26]:
        sys.stderr.write("expected sheet file 26-*.md, found %s\n" % [n for _, n in todo])
        return 1
    os.makedirs(outdir, exist_ok=True)
    results = []
    try:
        for no, name in todo:
            meta, parts = build(os.path.join(sheets_dir, name), no)
            results.append((no, name, meta, parts))
    except ParseError as e:
        sys.stderr.write("error: %s\n" % e)
        return 1
    keys = [meta["key"] for _, _, meta, _ in results]
    if len(set(keys)) != len(keys):
        sys.stderr.write("error: duplicate sheet keys\n")
        return 1
    for no, name, meta, parts in results:
        text = emit(no, name, meta, parts)
        target = os.path.join(outdir, "%02d-%s.toml" % (no, meta["key"]))
        with open(target, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
