#!/usr/bin/env python3
"""Check criteria/1048-2019/sheets/*.toml against the decision's text itself.

For every criterion and section with a `line`, re-read that line of
../shared/reference/1048-2019/source/qd-1048-2019-QD-TTg.txt and check:
  - the line starts with the printed id (`printed_id` when set) ;
  - the points cell printed on it equals `printed_max` when set, else `max`
    (a section whose maximum is not printed must have an empty points cell);
For every leaf (criterion or directly scored section), read the boxes ("□" rows) printed between its
line and the next node's line and check their number, their points (in order) and the start of their
text against the TOML options.
Then compare with the md sheets (../shared/reference/1048-2019/sheets/*.md): the option count and points
per criterion, and the md's option line numbers against the boxes found in the text.

It does not use the converter's code. Exit status 1 on any mismatch.
Usage: python3 tools/check_1048_text.py [--ref DIR] [--sheets DIR]
"""

import argparse
import glob
import os
import re
import sys
import tomllib
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REF = os.path.normpath(os.path.join(ROOT, "..", "shared", "reference", "1048-2019"))
SHEETS = os.path.join(ROOT, "criteria", "1048-2019", "sheets")

POINTS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:Điểm|điểm|Đỉểm|Ðiểm)\s*$")


def cells(line):
    if not line.startswith("|"):
        return [line]
    return [c.strip() for c in line.strip().strip("|").split("|")]


def points_cell(line):
    """The points printed in the line's last cell, or None."""
    cs = cells(line)
    if len(cs) < 2:
        return None
    m = POINTS.match(cs[-1])
    if not m:
        return None
    v = m.group(1).replace(",", ".")
    return float(v)


def norm(s):
    s = unicodedata.normalize("NFC", s)
    return re.sub(r"\s+", " ", s).strip()


def walk(sheet):
    """Nodes in document order: (kind, node, is_leaf)."""
    out = []
    for part in sheet["parts"]:
        for sec in part["sections"]:
            out.append(("section", sec, bool(sec.get("options"))))

            def crit(c):
                out.append(("criterion", c, not c.get("children")))
                for ch in c.get("children", []):
                    crit(ch)
            for c in sec.get("criteria", []):
                crit(c)
    return out


def md_options(path):
    """{printed id: [(points, line), ...]} from a reference md sheet, in order."""
    res, cur = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^#{3,5} (\d+(?:\.\d+)*)\. .* — max \d+.*\(L(\d+)\)$", line.rstrip())
        if m:
            cur = (m.group(1), int(m.group(2)))
            res[cur] = []
            continue
        m = re.match(r"^ *- ([0-9.]+) pts?: .*\(L(\d+)\)$", line.rstrip())
        if m and cur:
            res[cur].append((float(m.group(1)), int(m.group(2))))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=REF)
    ap.add_argument("--sheets", default=SHEETS)
    a = ap.parse_args()
    src = open(os.path.join(a.ref, "source", "qd-1048-2019-QD-TTg.txt"), encoding="utf-8").read().split("\n")
    heads = [i + 1 for i, l in enumerate(src) if re.match(r"^\d+\. Bộ sản phẩm:", l)]
    files = sorted(glob.glob(os.path.join(a.sheets, "*.toml")))
    n_sheets = n_nodes = n_opts = n_md = 0
    bad = []
    for f in files:
        sheet = tomllib.load(open(f, "rb"))
        num = sheet["number"]
        name = os.path.basename(f)
        start = sheet["line"]
        if not re.match(rf"^{num}\. Bộ sản phẩm:", src[start - 1]):
            bad.append(f"{name}: sheet line {start} is not the heading of sheet {num}")
        end = next((h for h in heads if h > start), len(src) + 1)
        if sheet.get("printed_group") and norm(src[sheet["line"] + 1]) != norm(sheet["printed_group"]):
            bad.append(f"{name}: printed_group not on line {sheet['line'] + 2}")
        if sheet.get("disqualified_line") and not src[sheet["disqualified_line"] - 1].startswith("Bị loại khi"):
            bad.append(f"{name}: disqualified_line {sheet['disqualified_line']} is not a 'Bị loại khi' line")
        nodes = walk(sheet)
        mdo = md_options(os.path.join(a.ref, "sheets", name[:-5] + ".md"))
        md_by_line = {line: opts for (pid, line), opts in mdo.items()}
        for k, (kind, node, is_leaf) in enumerate(nodes):
            n_nodes += 1
            line = node.get("line")
            if line is None:
                bad.append(f"{name} {node['id']}: no line")
                continue
            text = src[line - 1]
            pid = node.get("printed_id", node["id"])
            first = cells(text)[0]
            if not re.match(rf"^{re.escape(pid)}\.?\s", first):
                bad.append(f"{name} {node['id']}: L{line} does not start with {pid}: {first[:40]!r}")
            printed = points_cell(text)
            want = node.get("printed_max", node["max"])
            has_children = kind == "section" and not is_leaf
            if printed is None:
                if not has_children:
                    bad.append(f"{name} {node['id']}: no points printed on L{line}")
                elif "printed_max" in node:
                    bad.append(f"{name} {node['id']}: printed_max but no points on L{line}")
            elif printed != float(want):
                bad.append(f"{name} {node['id']}: L{line} prints {printed}, TOML has {want}")
            if not is_leaf:
                continue
            nxt = next((nodes[j][1]["line"] for j in range(k + 1, len(nodes))), end)
            boxes = [(i + 1, src[i]) for i in range(line, nxt - 1) if "□" in src[i]]
            opts = node["options"]
            if len(boxes) != len(opts):
                bad.append(f"{name} {node['id']}: {len(boxes)} boxes printed (L{line}-L{nxt - 1}), {len(opts)} options in TOML")
            for (bl, btext), o in zip(boxes, opts):
                n_opts += 1
                bp = points_cell(btext)
                if bp is None or bp != float(o["points"]):
                    bad.append(f"{name} {node['id']}: box L{bl} prints {bp}, TOML option has {o['points']}")
                head = norm(cells(btext)[0].lstrip("□ "))[:25]
                if not norm(o["text"]).startswith(head):
                    bad.append(f"{name} {node['id']}: box L{bl} text {head!r} does not start the TOML text {o['text'][:30]!r}")
            # compare with the md (independent parse of the same text)
            md = md_by_line.get(line)
            if md is None:
                bad.append(f"{name} {node['id']}: no md criterion at L{line}")
            else:
                n_md += 1
                if [p for p, _ in md] != [float(o["points"]) for o in opts]:
                    bad.append(f"{name} {node['id']}: md points {[p for p, _ in md]} != TOML {[o['points'] for o in opts]}")
                if [l for _, l in md] != [bl for bl, _ in boxes]:
                    bad.append(f"{name} {node['id']}: md option lines {[l for _, l in md]} != boxes found {[bl for bl, _ in boxes]}")
        n_sheets += 1
    for b in bad:
        print("MISMATCH", b)
    print(f"checked {n_sheets} sheets, {n_nodes} criteria/sections (lines and printed maxima), "
          f"{n_opts} options against the text, {n_md} leaves against the md; {len(bad)} mismatches")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
