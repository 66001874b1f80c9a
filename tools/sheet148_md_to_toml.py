#!/usr/bin/env python3
"""Convert the one available 148/QĐ-TTg (2023) sheet, ../shared/reference/148-2023/sheets/01-*.md
(a peer application's export: secondary, medium-low confidence), into
criteria/148-2023/sheets/01-<key>.toml.

The export numbers criteria a), b), c) … within each section; the md maps them in order to N.1, N.2 …
(Vietnamese letter order a b c d đ e g h …); `printed_id` keeps the letter. Star marks ("min for N★",
printed ***/****/*****) are kept as exported, except where the export marks two options of one
criterion with the same rank (the crate allows one mark per rank on a criterion): the mark is kept on
the lower option (the lenient reading, which is also where 26/2026's sheet 01 puts it) and the
criterion's `doubts` say so. The four doubtful marks are also listed in edition.toml's `warnings`.

Usage: python3 tools/sheet148_md_to_toml.py [--ref DIR] [--out DIR]
"""

import argparse
import glob
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REF = os.path.normpath(os.path.join(ROOT, "..", "shared", "reference", "148-2023"))
OUT = os.path.join(ROOT, "criteria", "148-2023", "sheets")
LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n"]

TITLE_MARK = {"3.6": "the export prints the criterion title itself with a 4★ marker (\"Sở hữu trí tuệ****\") besides the option marks; a title mark has no meaning in the data model and is not encoded"}


def q(s):
    return json.dumps(s, ensure_ascii=False)


def parse(path):
    sheet = {"parts": [], "anomalies": [], "irr": []}
    part = sec = crit = None
    mode = "body"
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n").rstrip()
        if not line:
            continue
        m = re.match(r"^\| (.*?) \| (.*) \|$", line)
        if m and not sheet["parts"]:
            k, v = m.groups()
            if k.startswith("Product set"):
                sheet["title"] = v
            elif k == "Key":
                sheet["key"] = v.strip("`")
            elif k.startswith("Dossier rejected"):
                sheet["disqualified_when"] = v
            elif k.startswith("Source and confidence"):
                sheet["source_md"] = v
            continue
        if line.startswith("## Anomalies"):
            mode = "anom"
            continue
        if line.startswith("## Other irregularities"):
            mode = "irr"
            continue
        if mode != "body":
            if line.startswith("- "):
                sheet["anomalies" if mode == "anom" else "irr"].append(line[2:])
            continue
        m = re.match(r"^## Phần ([ABC]): (.*) — max (\d+)$", line)
        if m:
            rest = m.group(2)
            part = {"id": m.group(1), "title": re.sub(r"\s*\(\d+ Điểm\)$", "", rest),
                    "heading": f"Phần {m.group(1)}: {rest}", "max": int(m.group(3)), "sections": []}
            sheet["parts"].append(part)
            continue
        m = re.match(r"^### (\d+)\. (.*) — max (\d+)$", line)
        if m:
            sec = {"id": m.group(1), "title": m.group(2), "max": int(m.group(3)), "criteria": [],
                   "options": [], "notes": [], "requirements": [], "direct": False, "doubts": []}
            part["sections"].append(sec)
            crit = None
            continue
        m = re.match(r"^#### (\d+\.\d+)\. (.*) — max (\d+)$", line)
        if m:
            crit = {"id": m.group(1), "title": m.group(2), "max": int(m.group(3)), "options": [],
                    "notes": [], "requirements": [], "doubts": [],
                    "printed_id": LETTERS[len(sec["criteria"])] + ")"}
            assert crit["id"] == f"{sec['id']}.{len(sec['criteria']) + 1}", crit["id"]
            sec["criteria"].append(crit)
            continue
        if line.startswith("*Scored directly"):
            sec["direct"] = True
            continue
        target = crit if crit is not None else sec
        m = re.match(r"^- (\d+) pts?(?: \(min for ([345])★\))?: (.*)$", line)
        if m:
            target["options"].append({"points": int(m.group(1)), "stars": int(m.group(2)) if m.group(2) else None,
                                      "text": m.group(3)})
            continue
        m = re.match(r"^- _(.*)_$", line)
        if m:
            target["notes"].append(m.group(1))
            continue
        m = re.match(r"^- \*\*(.*)\*\*$", line)
        if m:
            r = m.group(1)
            target["requirements"].append(r[len("Yêu cầu: "):] if r.startswith("Yêu cầu: ") else r)
            continue
        if line.startswith("#") or line.startswith("Scoring sheet") or line.startswith("How to read") or line.startswith("|"):
            continue
        raise SystemExit(f"unrecognised line: {line}")
    return sheet


def fix_marks(node):
    seen = {}
    for i, o in enumerate(node["options"]):
        s = o["stars"]
        if s is None:
            continue
        if s in seen:
            first = node["options"][seen[s]]
            node["doubts"].append(
                f"doubtful star mark: the export marks two options {s}★ (option {seen[s] + 1} \"{first['text'][:60]}…\", "
                f"{first['points']} pts, and option {i + 1} \"{o['text'][:60]}…\", {o['points']} pts); a {s}★ minimum can sit on one "
                f"option only, so the mark is kept on the lower option {seen[s] + 1} (the lenient reading; 26/2026's sheet 01 marks the "
                f"same-worded criterion there too) and dropped from option {i + 1}")
            o["stars"] = None
        else:
            seen[s] = i


def emit(sheet, md_name):
    out = []
    w = out.append
    w(f"# GENERATED by tools/sheet148_md_to_toml.py from ../shared/reference/148-2023/sheets/{md_name}; do not edit by hand.")
    w("# Decision 148/QĐ-TTg (2023), sheet 01, as a peer application exported it (SECONDARY, medium-low confidence:")
    w("# developer-entered criteria of a test product, unverified against the decision). Ids a), b), … are mapped in")
    w("# order to N.1, N.2, … (`printed_id` keeps the letter). `group`/`subgroup` are not printed on the sheet: they are")
    w("# the classification's (Phụ lục I, edition.toml). No `line`: the source has no line-numbered text.")
    w("")
    w("number = 1")
    w(f"key = {q(sheet['key'])}")
    w(f"title = {q(sheet['title'])}")
    w(f"group = {q('Sản phẩm thực phẩm')}")
    w(f"subgroup = {q('Thực phẩm tươi sống')}")
    w(f"disqualified_when = {q(sheet['disqualified_when'])}")
    w(f"cite = {q('QĐ 148/QĐ-TTg, Phụ lục III, phiếu 01 (as exported by the OCOP_SCORE application)')}")
    w("source = " + q("peer application export: GitHub quyenncph25762/OCOP_SCORE, commit 3933e509046514992cd33f09433cdce1ff02bdcf, "
                      "\"Uploads/phieu-cham-Nguyễn Công Giang.docx\" (word/afchunk.mht), a filled-in 148-format scoring sheet of a test "
                      "product, structured in ../shared/reference/148-2023/sheets/01-rau-cu-qua-hat-tuoi.md; not the official text"))
    w("confidence = " + q("medium-low: criteria typed in by the application's developers, unverified against the decision; part sums "
                          "(40/25/35) and maxima are consistent; four star marks are doubtful (see doubts and the edition's warnings)"))

    def opts(node):
        w("options = [")
        for o in node["options"]:
            st = f", min_stars = {o['stars']}" if o["stars"] else ""
            w(f"  {{ points = {o['points']}{st}, text = {q(o['text'])} }},")
        w("]")

    def lists(node):
        for k in ("requirements", "notes", "doubts"):
            if node.get(k):
                w(f"{k} = [" + ", ".join(q(x) for x in node[k]) + "]")

    for part in sheet["parts"]:
        w("")
        w("[[parts]]")
        w(f"id = {q(part['id'])}")
        w(f"title = {q(part['title'])}")
        w(f"heading = {q(part['heading'])}")
        w(f"max = {part['max']}")
        for sec in part["sections"]:
            w("")
            w("[[parts.sections]]")
            w(f"id = {q(sec['id'])}")
            w(f"title = {q(sec['title'])}")
            w(f"max = {sec['max']}")
            if sec["direct"]:
                fix_marks(sec)
                lists(sec)
                opts(sec)
                continue
            lists(sec)
            for c in sec["criteria"]:
                fix_marks(c)
                if c["id"] in TITLE_MARK:
                    c["doubts"].append("doubtful star mark: " + TITLE_MARK[c["id"]])
                w("")
                w("[[parts.sections.criteria]]")
                w(f"id = {q(c['id'])}")
                w(f"printed_id = {q(c['printed_id'])}")
                w(f"title = {q(c['title'])}")
                w(f"max = {c['max']}")
                lists(c)
                opts(c)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=REF)
    ap.add_argument("--out", default=OUT)
    a = ap.parse_args()
    (md,) = glob.glob(os.path.join(a.ref, "sheets", "01-*.md"))
    sheet = parse(md)
    assert len(sheet["anomalies"]) == 4, sheet["anomalies"]
    os.makedirs(a.out, exist_ok=True)
    name = f"01-{sheet['key']}.toml"
    with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
        f.write(emit(sheet, os.path.basename(md)))
    print(os.path.join(a.out, name))


if __name__ == "__main__":
    main()
