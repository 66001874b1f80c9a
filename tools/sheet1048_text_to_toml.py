#!/usr/bin/env python3
"""Convert the 26 sheets of Phụ lục III, QĐ 1048/QĐ-TTg (transcribed from the decision's text)
into criteria/1048-2019/sheets/NN-<key>.toml.

Input:  ../shared/reference/1048-2019/sheets/NN-<key>.md (one per sheet, generated from an
        independent parse of the decision's text; `(L1234)` = line of
        ../shared/reference/1048-2019/source/qd-1048-2019-QD-TTg.txt).
        The source text itself is read only for the sheet heading, the group line and the
        "Bị loại khi" line (their line numbers and printed text), which the md does not carry.
Output: criteria/1048-2019/sheets/NN-<key>.toml (the old files are removed first).

Policy (see criteria/README.md):
- option points exactly as printed; no option is ever added or changed;
- where a criterion's printed maximum differs from its best option, `max` is the best option
  (what the option ladder can score), `printed_max` keeps the printed header and `doubts` says why;
  the explanation of each known anomaly is in ANOMALIES below and the script fails if the text
  shows an anomaly not listed there (or a listed one is not found);
- printed section maxima that differ from the sum of their criteria go to `printed_max`;
- parts keep the printed maximum; a part whose sections do not add up is reported (it must be
  listed in edition.toml's known_gaps);
- sheet 26 Part C sections are cumulative (L7988) and become `scoring = "cumulative"`.

Usage: python3 tools/sheet1048_text_to_toml.py [--ref DIR] [--out DIR]
"""

import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_REF = os.path.normpath(os.path.join(ROOT, "..", "shared", "reference", "1048-2019"))
DEFAULT_OUT = os.path.join(ROOT, "criteria", "1048-2019", "sheets")
TOOL = "tools/sheet1048_text_to_toml.py"

# Known printed anomalies where a criterion's header disagrees with its best option.
# (sheet, id) -> explanation appended to the generic doubt.
ANOMALIES = {
    (4, "9.1"): "Part C adds up to its printed 40 Điểm only with 9.1 counted at its best option 2 (with the printed 3 it would be 41), so the header is taken as the misprint.",
    (13, "6.3"): "Part C adds up to its printed 40 Điểm only with 6.3 counted at its best option 3 (with the printed 2 it would be 39), so the header is taken as the misprint.",
    (17, "6.1"): "Part C adds up to its printed 40 Điểm only with 6.1 counted at its best option 3 (with the printed 5 it would be 42), so the header is taken as the misprint.",
    (25, "6.5"): "Part C adds up to its printed 40 Điểm only with 6.5 counted at its best option 5 (with the printed 3 it would be 38), so the header is taken as the misprint.",
    (7, "3.1"): "Here the options are the irregular side: every other sheet prints 3.1 with options 1/2/3 (the 3-point option is 'HTX … hoặc công ty cổ phần có vốn góp của cộng đồng địa phương ≥ 51%'), and Part A reaches its printed 35 Điểm only with 3 points here. No 3-point option is printed, so none is added: a product can score at most 2 here and Part A adds up to 34 (known gap in edition.toml).",
    (19, "10"): "Here the options are the irregular side: Part C reaches its printed 40 Điểm only with 5 points here; an option is missing or misnumbered. None is added: a product can score at most 3 here and Part C adds up to 38 (known gap in edition.toml).",
}
EXPECTED_GAPS = {(7, "A"): 34, (19, "C"): 38, (26, "A"): 34}
GAP_NOTES = {
    (7, "A"): "criterion 3.1 is printed with maximum 3 (L3080) but its options are printed 1 and 2 only (L3081, L3083); no option was added, so Part A adds up to 34 and a product on this sheet can reach 99",
    (19, "C"): "section 10 is printed with maximum 5 (L6553) but its options are printed 0, 1 and 3 (L6555-L6557); no option was added, so Part C adds up to 38 and a product on this sheet can reach 98",
    (26, "A"): "the sections of Part A are printed 19 + 6 + 9 = 34 (L7889-L7940) under a heading of 35 Điểm (L7888); every criterion's best option equals its header, so the missing point cannot be placed; a product on this sheet can reach 99",
}


def q(s):
    return json.dumps(s, ensure_ascii=False)


def num(tok):
    tok = tok.strip()
    if re.fullmatch(r"\d+", tok):
        return int(tok)
    return tok  # decimal string


def pts(v):
    return str(v) if isinstance(v, int) else q(v)


def fnum(v):
    return float(v) if isinstance(v, str) else v


RE_PART = re.compile(r"^## Phần ([ABC]): (.*) — max (\d+) \(L(\d+)\)$")
RE_SEC = re.compile(r"^### (\d+)\. (.*) — max (\d+)( \(sum of its criteria; no section maximum printed\))? \(L(\d+)\)$")
RE_CRIT = re.compile(r"^(####|#####) (\d+\.\d+(?:\.\d+)?)\. (.*) — max (\d+) \(L(\d+)\)$")
RE_OPT = re.compile(r"^(  )?- ([0-9.]+) pts?: (.*) \(L(\d+)\)$")
RE_NOTE = re.compile(r"^- _(.*)_$")
RE_CASE = re.compile(r"^- \*([a-z])\.? (Trường hợp.*)\*$")
RE_IRR = re.compile(r"^- L(\d+): (.*)$")


def parse_md(path):
    sheet = {"parts": [], "foot": None, "foot_line": None, "irregularities": [], "anomaly_lines": []}
    cur_part = cur_sec = cur_crit = None
    mode = "body"
    case = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for raw in lines:
        line = raw.rstrip()
        if not line:
            continue
        m = re.match(r"^# (\d+)\. (.*)$", line)
        if m:
            sheet["number"] = int(m.group(1))
            continue
        m = re.match(r"^\| (.*?) \| (.*) \|$", line)
        if m and mode == "body" and not sheet["parts"]:
            k, v = m.group(1), m.group(2)
            if k.startswith("Product set"):
                sheet["title"] = v
            elif k == "Key":
                sheet["key"] = v.strip("`")
            elif k.startswith("Group"):
                sheet["group"] = v
            elif k.startswith("Subgroup"):
                sheet["subgroup"] = v
            elif k.startswith("Dossier rejected"):
                sheet["disqualified_when"] = None if v.startswith("—") else v
            continue
        if line.startswith("## Printed at the foot"):
            mode = "foot"
            sheet["foot"] = []
            sheet["foot_line"] = int(re.search(r"\(L(\d+)\)", line).group(1))
            continue
        if line.startswith("## Anomalies recorded"):
            mode = "anomalies"
            continue
        if line.startswith("## Other irregularities"):
            mode = "irr"
            continue
        if mode == "foot":
            if line.startswith(">"):
                sheet["foot"].append(line[1:].strip())
                continue
        if mode == "anomalies":
            m = RE_IRR.match(line)
            if m:
                sheet["anomaly_lines"].append((int(m.group(1)), m.group(2)))
            continue
        if mode == "irr":
            m = RE_IRR.match(line)
            if m:
                sheet["irregularities"].append((int(m.group(1)), m.group(2)))
            continue
        m = RE_PART.match(line)
        if m:
            mode = "body"
            heading_rest = m.group(2)
            title = re.sub(r"\s*\(\d+ Điểm\)$", "", heading_rest)
            cur_part = {"id": m.group(1), "title": title, "heading": f"Phần {m.group(1)}: {heading_rest}",
                        "max": int(m.group(3)), "line": int(m.group(4)), "notes": [], "sections": []}
            sheet["parts"].append(cur_part)
            cur_sec = cur_crit = None
            continue
        m = RE_SEC.match(line)
        if m:
            cur_sec = {"id": m.group(1), "title": m.group(2), "printed": int(m.group(3)),
                       "max_is_sum": bool(m.group(4)), "line": int(m.group(5)), "notes": [],
                       "criteria": [], "options": [], "cases": [], "direct": False, "cumulative": False}
            cur_part["sections"].append(cur_sec)
            cur_crit = None
            case = None
            continue
        m = RE_CRIT.match(line)
        if m:
            depth = 1 if m.group(1) == "####" else 2
            c = {"id": m.group(2), "title": m.group(3), "printed": int(m.group(4)),
                 "line": int(m.group(5)), "notes": [], "options": [], "cases": [], "children": []}
            if depth == 1:
                cur_sec["criteria"].append(c)
                cur_parent = c
            else:
                cur_parent["children"].append(c)
            cur_crit = c
            case = None
            continue
        if line.startswith("*Scored directly"):
            cur_sec["direct"] = True
            continue
        if line.startswith("*Cumulative"):
            cur_sec["cumulative"] = True
            continue
        target = cur_crit if cur_crit is not None else (cur_sec if cur_sec is not None else cur_part)
        m = RE_OPT.match(line)
        if m:
            opt = {"points": num(m.group(2)), "text": m.group(3), "line": int(m.group(4))}
            if m.group(1):
                assert case, f"{path}: indented option outside a case: {line}"
                opt["case"] = case
            elif target.get("cases"):
                raise SystemExit(f"{path}: option after cases without a case: {line}")
            target["options"].append(opt)
            continue
        m = RE_CASE.match(line)
        if m:
            case = m.group(1)
            target["cases"].append({"id": case, "title": m.group(2)})
            continue
        m = RE_NOTE.match(line)
        if m:
            target["notes"].append(m.group(1))
            continue
        if line.startswith("- ⚠"):
            continue  # our own doubts are written instead
        if line.startswith("Scoring sheet") or line.startswith("How to read") or line.startswith("|"):
            continue
        raise SystemExit(f"{path}: unrecognised line: {line}")
    return sheet


def source_lines(ref):
    with open(os.path.join(ref, "source", "qd-1048-2019-QD-TTg.txt"), encoding="utf-8") as f:
        return f.read().split("\n")


def locate(src, number, first_part_line):
    """Heading, group line and 'Bị loại khi' line of sheet `number` in the source text (1-based)."""
    heading = None
    for i, l in enumerate(src):
        if re.match(rf"^{number}\. Bộ sản phẩm:", l):
            heading = i + 1
            break
    assert heading, number
    group_line = group = None
    for j in range(heading, first_part_line):
        if src[j].strip():
            group_line, group = j + 1, src[j].strip()
            break
    assert group.startswith("(Ngành"), (number, group)
    dq_line = None
    for j in range(heading, first_part_line):
        if src[j].startswith("Bị loại khi"):
            dq_line = j + 1
    return heading, group_line, group, dq_line


def best(opts):
    return max(opts, key=lambda o: fnum(o["points"]))["points"]


def total(opts):
    s = sum(fnum(o["points"]) for o in opts)
    return int(s) if float(s).is_integer() else s


def build(sheet, src, log):
    n = sheet["number"]
    found_anomalies = set()
    gaps = {}

    def leaf(node, is_section):
        """Set max/printed_max/doubts of a leaf (criterion or directly scored section)."""
        opts = node["options"]
        cumulative = is_section and node.get("cumulative")
        reach = total(opts) if cumulative else best(opts)
        node["max"] = node["printed"]
        node.setdefault("doubts", [])
        if fnum(reach) != fnum(node["printed"]):
            key = (n, node["id"])
            if key not in ANOMALIES:
                raise SystemExit(f"sheet {n} {node['id']}: printed max {node['printed']} but options reach {reach}: not in ANOMALIES")
            found_anomalies.add(key)
            node["max"] = reach
            node["printed_max"] = node["printed"]
            side = "more" if fnum(reach) > fnum(node["printed"]) else "less"
            node["doubts"].append(
                f"printed maximum {node['printed']} Điểm (L{node['line']}) but the best printed option is worth {reach} "
                f"({side} than the header); `max` = {reach}, the value the printed options can score, and `printed_max` keeps the printed {node['printed']}. "
                + ANOMALIES[key])
        if not cumulative:
            values = [fnum(o["points"]) for o in opts]
            dups = sorted({v for v in values if values.count(v) > 1})
            if dups and n == 6 and node["id"] == "6.2":
                node["doubts"].append(
                    "two options are printed with the same 3 points: 'Tương đối đồng đều' (L2909) and 'Đồng đều' (L2910); "
                    "the ladder 0/1/3/3 is kept as printed (the first is probably meant as 2), so ticking either gives 3")
            elif dups and node.get("cases"):
                pass  # one ladder per case: equal points across cases are expected
            elif dups:
                raise SystemExit(f"sheet {n} {node['id']}: options with equal points {dups}: not expected")
        return node["max"]

    def crit(c):
        c.setdefault("doubts", [])
        if c["children"]:
            # renumber duplicate sub-criterion ids (sheet 14 prints 6.1.3 twice)
            seen = set()
            renumber = False
            for i, ch in enumerate(c["children"]):
                if ch["id"] in seen:
                    renumber = True
                seen.add(ch["id"])
                if renumber:
                    new = f"{c['id']}.{i + 1}"
                    if new != ch["id"]:
                        ch["printed_id"] = ch["id"]
                        ch.setdefault("doubts", []).append(
                            f"printed as {ch['id']} (L{ch['line']}): the sheet prints 6.1.3 twice (L5117 Màu sắc, L5121 Mùi), so this and the "
                            f"following sub-criteria are numbered on in printed order; `id` {new} is ours, `printed_id` keeps the print")
                        ch["id"] = new
            s = sum(crit(ch) for ch in c["children"])
            c["max"] = c["printed"]
            if s != c["printed"]:
                raise SystemExit(f"sheet {n} {c['id']}: children add up to {s}, printed {c['printed']}")
            return c["max"]
        return leaf(c, False)

    for part in sheet["parts"]:
        part.setdefault("doubts", [])
        s = 0
        for sec in part["sections"]:
            sec.setdefault("doubts", [])
            if sec["direct"]:
                assert not sec["criteria"]
                s += leaf(sec, True)
                if sec.get("cumulative"):
                    sec["doubts"].append(
                        f"cumulative (L7988 \"(Được cộng tổng điểm các nội dung ghi Có)\"): every box that applies is ticked and the "
                        f"points add up; the printed boxes add up to the printed maximum {sec['printed']}")
            else:
                cs = sum(crit(c) for c in sec["criteria"])
                sec["max"] = cs
                if not sec["max_is_sum"] and cs != sec["printed"]:
                    sec["printed_max"] = sec["printed"]
                    sec["doubts"].append(f"printed section maximum {sec['printed']} (L{sec['line']}) but its criteria add up to {cs}; `max` is the sum")
                    log.append(f"sheet {n} section {sec['id']}: printed {sec['printed']}, criteria add up to {cs}")
                s += cs
        if s != part["max"]:
            gaps[(n, part["id"])] = s
            if (n, part["id"]) in GAP_NOTES:
                part["doubts"].append(f"sections add up to {s}, not the printed {part['max']} Điểm: " + GAP_NOTES[(n, part["id"])]
                                      + " (listed in edition.toml's known_gaps, so every assessment on this sheet carries a warning)")
    missing = {k for k in ANOMALIES if k[0] == n} - found_anomalies
    if missing:
        raise SystemExit(f"sheet {n}: anomalies listed but not found: {missing}")
    exp = {k: v for k, v in EXPECTED_GAPS.items() if k[0] == n}
    if gaps != exp:
        raise SystemExit(f"sheet {n}: part gaps {gaps}, expected {exp}")

    # attach the md's per-sheet irregularities (numbering, text) as doubts of the node they name
    nodes = []
    for part in sheet["parts"]:
        nodes.append((part["line"], part))
        for sec in part["sections"]:
            nodes.append((sec["line"], sec))
            for c in sec["criteria"]:
                nodes.append((c["line"], c))
                for ch in c["children"]:
                    nodes.append((ch["line"], ch))
    for line, text in sheet["irregularities"]:
        exact = [nd for l, nd in nodes if l == line]
        before = [nd for l, nd in nodes if l <= line]
        if exact:
            target, prefix = exact[-1], ""
        elif before:
            target, prefix = before[-1], ""
        else:
            target, prefix = sheet["parts"][0], "sheet heading: "
        target.setdefault("doubts", []).append(f"{prefix}L{line}: {text}")
    return gaps


def emit(sheet, src, md_name):
    n = sheet["number"]
    first_part_line = sheet["parts"][0]["line"]
    heading, group_line, group_text, dq_line = locate(src, n, first_part_line)
    out = []
    w = out.append
    w(f"# GENERATED by {TOOL} from ../shared/reference/1048-2019/sheets/{md_name}; do not edit by hand.")
    w(f"# Phụ lục III, Decision 1048/QĐ-TTg (21 Aug 2019): sheet {n:02d}, from the decision's text as transcribed by")
    w("# Thư viện pháp luật. `line` = line of ../shared/reference/1048-2019/source/qd-1048-2019-QD-TTg.txt.")
    w("# Option points exactly as printed; where a printed maximum breaks the arithmetic `printed_max` keeps it")
    w("# and `doubts` says what was done (see criteria/README.md).")
    w("")
    w(f"number = {n}")
    w(f"key = {q(sheet['key'])}")
    w(f"title = {q(sheet['title'])}")
    w(f"group = {q(sheet['group'])}")
    if sheet.get("subgroup"):
        w(f"subgroup = {q(sheet['subgroup'])}")
    w(f"printed_group = {q(group_text)}")
    if sheet.get("disqualified_when"):
        assert dq_line, n
        w(f"disqualified_when = {q(sheet['disqualified_when'])}")
        w(f"disqualified_line = {dq_line}")
    else:
        assert dq_line is None, n
    w(f"cite = {q(f'QĐ 1048/QĐ-TTg, Phụ lục III, phiếu {n:02d}')}")
    w(f"line = {heading}")

    def arr(name, items):
        if items:
            w(f"{name} = [" + ", ".join(q(x) for x in items) + "]")

    def options(opts):
        w("options = [")
        for o in opts:
            extra = f", case = {q(o['case'])}" if o.get("case") else ""
            w(f"  {{ points = {pts(o['points'])}{extra}, text = {q(o['text'])} }},")
        w("]")

    def cases(cs):
        if cs:
            w("cases = [")
            for c in cs:
                w(f"  {{ id = {q(c['id'])}, title = {q(c['title'])} }},")
            w("]")

    def crit(c, table):
        w("")
        w(f"[[{table}]]")
        w(f"id = {q(c['id'])}")
        if c.get("printed_id"):
            w(f"printed_id = {q(c['printed_id'])}")
        w(f"title = {q(c['title'])}")
        w(f"max = {pts(c['max'])}")
        if "printed_max" in c:
            w(f"printed_max = {pts(c['printed_max'])}")
        w(f"line = {c['line']}")
        arr("notes", c["notes"])
        arr("doubts", c.get("doubts", []))
        cases(c["cases"])
        if c["children"]:
            for ch in c["children"]:
                crit(ch, table + ".children")
        else:
            options(c["options"])

    last = sheet["parts"][-1]
    for part in sheet["parts"]:
        w("")
        w("[[parts]]")
        w(f"id = {q(part['id'])}")
        w(f"title = {q(part['title'])}")
        w(f"heading = {q(part['heading'])}")
        w(f"max = {part['max']}")
        notes = list(part["notes"])
        if part is last and sheet.get("foot"):
            notes.append(f"Printed at the foot of the sheet (L{sheet['foot_line']}): " + "\n".join(sheet["foot"]))
        arr("notes", notes)
        arr("doubts", part.get("doubts", []))
        for sec in part["sections"]:
            w("")
            w("[[parts.sections]]")
            w(f"id = {q(sec['id'])}")
            w(f"title = {q(sec['title'])}")
            w(f"max = {pts(sec['max'])}")
            if "printed_max" in sec:
                w(f"printed_max = {pts(sec['printed_max'])}")
            if sec.get("cumulative"):
                w('scoring = "cumulative"')
            w(f"line = {sec['line']}")
            arr("notes", sec["notes"])
            arr("doubts", sec.get("doubts", []))
            if sec["direct"]:
                cases(sec["cases"])
                options(sec["options"])
            else:
                assert not sec["options"] and not sec["cases"]
                for c in sec["criteria"]:
                    crit(c, "parts.sections.criteria")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=DEFAULT_REF)
    ap.add_argument("--out", default=DEFAULT_OUT)
    a = ap.parse_args()
    src = source_lines(a.ref)
    mds = sorted(glob.glob(os.path.join(a.ref, "sheets", "[0-9][0-9]-*.md")))
    assert len(mds) == 26, len(mds)
    for old in glob.glob(os.path.join(a.out, "*.toml")):
        os.remove(old)
    log, all_gaps = [], {}
    counts = {"criteria": 0, "options": 0}
    for md in mds:
        sheet = parse_md(md)
        all_gaps.update(build(sheet, src, log))
        text = emit(sheet, src, os.path.basename(md))
        name = f"{sheet['number']:02d}-{sheet['key']}.toml"
        assert os.path.basename(md)[:-3] == name[:-5], (md, name)
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            f.write(text)
        counts["options"] += text.count("{ points =")
    for l in log:
        print(l)
    print(f"wrote {len(mds)} sheets, {counts['options']} options")
    print("# known gaps for edition.toml:")
    keys = {int(os.path.basename(m)[:2]): os.path.basename(m)[3:-3] for m in mds}
    for (n, p), s in sorted(all_gaps.items()):
        print(f'[[known_gaps]]\nsheet = "{keys[n]}"\npart = "{p}"\nsum = {s}\nnote = {q(GAP_NOTES[(n, p)])}\n')


if __name__ == "__main__":
    main()
