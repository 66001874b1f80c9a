#!/usr/bin/env python3
"""Transcribe the rendered reference sheets of an edition into the crate's TOML.

Usage: tools/sheet_md_to_toml.py REFERENCE_EDITION_DIR OUT_SHEETS_DIR

This is the tool that produced criteria/26-2026/sheets/*.toml from
../shared/reference/26-2026/sheets/*.md. It keeps every printed value as printed;
the errata of criteria/README.md are applied here, each with the printed value
kept beside the fix. It also finds the line of every criterion in the decision's
plain-text copy (source/*.txt) so that each criterion cites where it comes from.
Re-running it must give byte-identical files (tests compare them with the
reference too, so a hand edit that drifts from the reference is caught).
"""
import json
import os
import re
import sys

DECISION = "26/2026/QĐ-TTg"

# Errata: (sheet number, criterion id, option number) -> (corrected points, why).
ERRATA = {
    (4, "7", 3): ("3", "printed 13, above the criterion maximum 3; sheets 01 and 03 print 3 for the same option"),
    (11, "6.1.1", 2): ("1", "printed 11, above the criterion maximum 2; the options run 0, 1, 2"),
}
# ⚠ lines of the reference that the errata above (or `inferred`) already record.
SUPERSEDED_DOUBTS = ("an option has a blank points cell", "option \"", "no options are printed")
BLANK_FIX = ("0", "points cell printed blank; the option means no certificate, and the other sheets print 0")


def q(s):
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(s, ensure_ascii=False)


def parse_points(tok):
    return None if tok == "[blank]" else tok


def parse_sheet(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    meta = {}
    sheet = {"parts": [], "meta": meta}
    node = None  # the node notes attach to
    part = section = crit = None
    parent = None  # criterion holding children
    case = None
    for raw in lines:
        line = raw.rstrip()
        m = re.match(r"^\| (.+?) \| (.*) \|$", line)
        if m and part is None:
            meta[m.group(1)] = m.group(2)
            continue
        m = re.match(r"^## Phần ([ABC]): (.*) — max (\d+)$", line)
        if m:
            heading = "Phần %s: %s" % (m.group(1), m.group(2))
            title = re.sub(r"\s*\(\d+ Điểm\)$", "", m.group(2))
            part = {"id": m.group(1), "title": title, "heading": heading, "max": m.group(3), "sections": [], "doubts": []}
            sheet["parts"].append(part)
            node = part
            continue
        m = re.match(r"^### (\d+)\. (.*) — max (\d+)$", line)
        if m:
            section = {"id": m.group(1), "title": m.group(2), "max": m.group(3), "criteria": [], "notes": [], "requirements": []}
            part["sections"].append(section)
            node = section
            crit = parent = case = None
            continue
        if line.startswith("*Scored directly at section level"):
            crit = new_crit(section["id"], section["title"], section["max"])
            section["criteria"].append(crit)
            section["direct"] = True
            node = crit
            continue
        m = re.match(r"^#### (\d+\.\d+)\. (.*) — max (\d+)$", line)
        if m:
            crit = new_crit(*m.groups())
            section["criteria"].append(crit)
            parent = crit
            node = crit
            case = None
            continue
        m = re.match(r"^##### (\d+\.\d+\.\d+)\. (.*) — max (\d+)$", line)
        if m:
            crit = new_crit(*m.groups())
            parent.setdefault("children", []).append(crit)
            node = crit
            case = None
            continue
        m = re.match(r"^\s*- (\d+|\[blank\]) pts?(?: \(min for (\d)★\))?: (.*)$", line)
        if m:
            opt = {"printed": parse_points(m.group(1)), "text": m.group(3)}
            if m.group(2):
                opt["min_stars"] = int(m.group(2))
            if case is not None:
                opt["case"] = case
            crit["options"].append(opt)
            continue
        m = re.match(r"^- ⚠ \*\*As printed:\*\* (.*)$", line)
        if m:
            node.setdefault("doubts", []).append(m.group(1))
            continue
        m = re.match(r"^- \*\*Yêu cầu: (.*)\*\*$", line)
        if m:
            node.setdefault("requirements", []).append(m.group(1))
            continue
        m = re.match(r"^- \*([a-z])\. (Trường hợp \d+: .*)\*$", line)
        if m:
            case = m.group(1)
            crit.setdefault("cases", []).append({"id": case, "title": m.group(2)})
            continue
        m = re.match(r"^- _(.*)_$", line)
        if m:
            node.setdefault("notes", []).append(m.group(1))
            continue
        if line.startswith("- "):
            raise SystemExit("%s: unparsed line: %s" % (path, line))
    return sheet


def new_crit(cid, title, mx):
    return {"id": cid, "title": title, "max": mx, "options": [], "notes": [], "requirements": []}


class SourceIndex:
    """Finds the line of a criterion heading in the decision's plain text."""

    def __init__(self, path):
        self.lines = open(path, encoding="utf-8").read().split("\n")

    # Sheets whose heading the plain-text copy renders differently.
    HEADINGS = {12: r"^12\. Sản phẩm trà", 13: r"^13\. Sản phẩm cà phê", 19: r"^Bộ sản phẩm: Mỹ phẩm"}

    def sheet_start(self, number):
        pat = re.compile(self.HEADINGS.get(number, r"^%d\. Bộ sản phẩm:" % number))
        for i, l in enumerate(self.lines):
            if i < 908:  # the table of contents of Phụ lục II
                continue
            if pat.match(l):
                # Sheet 19 prints its number alone on the line before the heading.
                if self.lines[i - 1].strip() == "%d." % number:
                    return i - 1
                return i
        raise SystemExit("sheet %d not found in source" % number)

    def find(self, start, end, cid):
        pat = re.compile(r"^\s*%s\.?\s" % re.escape(cid))
        for i in range(start, end):
            if pat.match(self.lines[i]):
                return i
        return None


def emit(sheet_no, key, sheet, src):
    meta = sheet["meta"]
    out = []
    w = out.append
    w("# Phụ lục II, Decision %s: sheet %02d, transcribed from ../shared/reference/26-2026/sheets/ by" % (DECISION, sheet_no))
    w("# tools/sheet_md_to_toml.py. `line` is the line of the criterion in criteria/26-2026's source copy")
    w("# (../shared/reference/26-2026/source/qd-26-2026-QD-TTg.txt). Errata keep the printed value as `printed`.")
    w("")
    w("number = %d" % sheet_no)
    w("key = %s" % q(key))
    w("title = %s" % q(meta['Product set ("Bộ sản phẩm"), as printed']))
    w("group = %s" % q(meta['Group ("Sản phẩm")']))
    sub = meta['Subgroup ("Nhóm")']
    if not sub.startswith("—"):
        w("subgroup = %s" % q(sub))
    dq = meta.get('Dossier rejected when ("Hồ sơ bị loại khi")')
    if dq and not dq.startswith("—"):
        w("disqualified_when = %s" % q(dq))
    w("cite = %s" % q("QĐ %s, Phụ lục II, mục %d" % (DECISION, sheet_no)))
    start = src.sheet_start(sheet_no)
    try:
        end = src.sheet_start(sheet_no + 1)
    except SystemExit:
        end = len(src.lines)
    w("line = %d" % (start + 1))
    cursor = [start]

    def emit_crit(c, table, direct=False):
        if not direct:
            w("")
            w("[[%s]]" % table)
            w("id = %s" % q(c["id"]))
            w("title = %s" % q(c["title"]))
            w("max = %s" % c["max"])
        found = src.find(cursor[0], end, c["id"])
        if found is not None:
            cursor[0] = found
            w("line = %d" % (found + 1))
        c["doubts"] = [d for d in c.get("doubts", []) if not d.startswith(SUPERSEDED_DOUBTS)]
        for k in ("requirements", "notes", "doubts"):
            if c.get(k):
                w("%s = [%s]" % (k, ", ".join(q(x) for x in c[k])))
        if c.get("cases"):
            w("cases = [%s]" % ", ".join("{ id = %s, title = %s }" % (q(x["id"]), q(x["title"])) for x in c["cases"]))
        opts = c["options"]
        if not opts and c.get("children") is None:
            # The bilingual-label criterion: printed with a maximum of 1 and no boxes.
            assert c["max"] == "1", c
            w("inferred = %s" % q("no options are printed (maximum 1): modelled as 'not met' = 0 and 'met' = 1"))
            opts = [
                {"printed": None, "text": "Không đáp ứng (inferred: not met)", "inferred": True, "value": "0"},
                {"printed": None, "text": "Đáp ứng (inferred: met)", "inferred": True, "value": "1"},
            ]
        if opts:
            w("options = [")
            for n, o in enumerate(opts, 1):
                fields = []
                erratum = None
                if o.get("inferred"):
                    pts = o["value"]
                elif o["printed"] is None:
                    pts, erratum = BLANK_FIX
                elif (sheet_no, c["id"], n) in ERRATA:
                    pts, erratum = ERRATA[(sheet_no, c["id"], n)]
                else:
                    pts = o["printed"]
                fields.append("points = %s" % pts)
                if erratum:
                    fields.append("printed = %s" % q(o["printed"] or ""))
                    fields.append("erratum = %s" % q(erratum))
                if o.get("min_stars"):
                    fields.append("min_stars = %d" % o["min_stars"])
                if o.get("case"):
                    fields.append("case = %s" % q(o["case"]))
                fields.append("text = %s" % q(o["text"]))
                w("  { %s }," % ", ".join(fields))
            w("]")
        for ch in c.get("children", []):
            emit_crit(ch, table + ".children")

    for p in sheet["parts"]:
        w("")
        w("[[parts]]")
        w("id = %s" % q(p["id"]))
        w("title = %s" % q(p["title"]))
        w("heading = %s" % q(p["heading"]))
        w("max = %s" % p["max"])
        if p.get("doubts"):
            w("doubts = [%s]" % ", ".join(q(x) for x in p["doubts"]))
        for s in p["sections"]:
            w("")
            w("[[parts.sections]]")
            w("id = %s" % q(s["id"]))
            w("title = %s" % q(s["title"]))
            w("max = %s" % s["max"])
            for k in ("requirements", "notes", "doubts"):
                if s.get(k):
                    w("%s = [%s]" % (k, ", ".join(q(x) for x in s[k])))
            if s.get("direct"):
                # Scored directly: the section's options are its one criterion, id = section id.
                assert len(s["criteria"]) == 1
                emit_crit(s["criteria"][0], None, direct=True)
                continue
            for c in s["criteria"]:
                emit_crit(c, "parts.sections.criteria")
    return "\n".join(out) + "\n"


def main():
    ref, outdir = sys.argv[1], sys.argv[2]
    src_dir = os.path.join(ref, "source")
    src = SourceIndex(os.path.join(src_dir, sorted(os.listdir(src_dir))[0]))
    sheets_dir = os.path.join(ref, "sheets")
    for name in sorted(os.listdir(sheets_dir)):
        m = re.match(r"^(\d\d)-(.*)\.md$", name)
        if not m:
            continue
        no, key = int(m.group(1)), m.group(2)
        sheet = parse_sheet(os.path.join(sheets_dir, name))
        assert sheet["meta"]["Key"] == "`%s`" % key, (name, sheet["meta"]["Key"])
        text = emit(no, key, sheet, src)
        with open(os.path.join(outdir, "%02d-%s.toml" % (no, key)), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
