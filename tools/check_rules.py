#!/usr/bin/env python3
"""Review the typed rules of the sheets (issue 12, "rules as data"). Python 3.11+, stdlib only.

    python3 tools/check_rules.py [--table] [--reference ../shared/reference]

Every printed note that says "bị loại", "không đánh giá các bước tiếp theo", "không xem xét các chỉ
tiêu khác", "không đánh giá những sản phẩm…" or "chỉ áp dụng khi…" must have exactly one rule with the
same text on the same criterion/section (`[[…rules]]`), and every rule's text must be one of that
node's notes. Checks the rule's fields (kind, fires, on, options, criterion, unless_options), that the
ids exist on the sheet and the option numbers are in range, and that `line` is a line of the edition's
source text where the note begins (first 20 characters, whitespace normalised). Also checks each
sheet's `exclusive_cases` against its case criteria. Prints the table of rules (with --table) and the
counts per edition, kind and fires. Exit status 1 on any error.
"""
import argparse
import collections
import glob
import os
import re
import sys
import tomllib
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RX = re.compile(r"bị loại|không đánh giá các bước|không xem xét|không đánh giá những sản phẩm|chỉ áp dụng khi", re.I)
SOURCES = {
    "26-2026": "26-2026/source/qd-26-2026-QD-TTg.txt",
    "1048-2019": "1048-2019/source/qd-1048-2019-QD-TTg.txt",
}
CASES_TEXT = "Lựa chọn một trong hai trường hợp sau:"
# as printed: 1048 sheet 02 "Lựa chọn 1 trong…", sheet 11 "Lýòa chọn…" (font residue)
CASES_RX = re.compile(r"^L\S{1,3}a chọn (một|1) trong hai trường hợp sau:$")
RULE_KEYS = {"kind", "text", "line", "fires", "on", "options", "criterion", "unless_options", "doubt"}
EXCL_KEYS = {"text", "lines", "doubt"}
# Notes printed on a part (A/B/C): the rule shape has rules on criteria and sections only, so these
# cannot carry one. Listed here so that any other part-level note is an error.
PART_NOTES_WITHOUT_RULE = {
    ("1048-2019", "19", "C", "không đánh giá các bước tiếp theo nếu không có số đăng ký thuốc"),
}
PREFIX = 20


def norm(s):
    s = unicodedata.normalize("NFC", s).replace("|", " ")
    return re.sub(r"\s+", " ", s).strip()


class Source:
    def __init__(self, path):
        self.lines = open(path, encoding="utf-8").read().split("\n")

    def begins_at(self, line, note):
        """Whether the note's first PREFIX characters start on `line` (continuing on the next lines)."""
        if not 1 <= line <= len(self.lines):
            return False, "line out of range"
        want = norm(note)[:PREFIX]
        text = ""
        for l in self.lines[line - 1 : line + 8]:
            text = (text + " " + norm(l)).strip()
            if len(text) >= len(want) + 40:
                break
        return want in text[: len(want) + 40], text[:60]


def nodes(sheet):
    """(kind, node, section, path) for every part, section, criterion and sub-criterion."""
    out = []

    def go(node, sec, path):
        for key in ("parts", "sections", "criteria", "children"):
            for ch in node.get(key, []):
                s = ch if key == "sections" else sec
                p = path + (ch["id"],)
                out.append((key, ch, s, p))
                go(ch, s, p)

    go(sheet, None, ())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", default=os.path.join(os.path.dirname(ROOT), "shared", "reference"))
    ap.add_argument("--table", action="store_true", help="print every rule")
    args = ap.parse_args()
    errors, warnings, rows = [], [], []
    counts = collections.Counter()
    sources = {}
    for ed, rel in SOURCES.items():
        p = os.path.join(args.reference, rel)
        if os.path.exists(p):
            sources[ed] = Source(p)
        else:
            warnings.append(f"{ed}: source text {p} not found, `line` not checked")
    files = sorted(glob.glob(os.path.join(ROOT, "criteria", "*", "sheets", "*.toml")))
    for f in files:
        ed = f.split(os.sep)[-3]
        sheet_no = os.path.basename(f)[:2]
        at0 = f"{ed} sheet {sheet_no}"
        try:
            sheet = tomllib.load(open(f, "rb"))
        except tomllib.TOMLDecodeError as e:
            errors.append(f"{at0}: does not parse: {e}")
            continue
        allnodes = nodes(sheet)
        scorable = {}  # id -> node with options (criteria, sub-criteria, sections scored directly)
        ids = set()
        for kind, n, s, p in allnodes:
            if kind == "parts":
                continue
            ids.add(n["id"])
            if n.get("options"):
                scorable[n["id"]] = n
        src = sources.get(ed)
        for kind, n, sec, p in allnodes:
            at = f"{at0} {dict(parts='part', sections='section', criteria='criterion', children='sub-criterion')[kind]} {n['id']}"
            notes = n.get("notes", [])
            rules = n.get("rules", [])
            if kind == "parts" and rules:
                errors.append(f"{at}: rules on a part are not part of the shape")
            for note in notes:
                if not RX.search(note):
                    continue
                hits = [r for r in rules if r.get("text") == note]
                if kind == "parts":
                    if any(ed == e and sheet_no == s_ and n["id"] == pid and note.startswith(pre) for e, s_, pid, pre in PART_NOTES_WITHOUT_RULE):
                        warnings.append(f"{at}: part-level note without a rule (no place for it in the shape): {note}")
                    else:
                        errors.append(f"{at}: part-level note not in PART_NOTES_WITHOUT_RULE: {note}")
                    continue
                if len(hits) != 1:
                    errors.append(f"{at}: {len(hits)} rules for note {note!r} (want exactly 1)")
            for r in rules:
                rat = f"{at} rule {r.get('kind')!r}"
                extra = set(r) - RULE_KEYS
                if extra:
                    errors.append(f"{rat}: unknown keys {sorted(extra)}")
                text = r.get("text")
                if text not in notes:
                    errors.append(f"{rat}: text is not one of the node's notes: {text!r}")
                elif not RX.search(text):
                    errors.append(f"{rat}: text does not match the rule pattern: {text!r}")
                k, fires = r.get("kind"), r.get("fires")
                if k in ("knock-out", "stop"):
                    if fires not in ("zero", "options", "finding"):
                        errors.append(f"{rat}: fires must be zero, options or finding, not {fires!r}")
                    if "criterion" in r or "unless_options" in r:
                        errors.append(f"{rat}: criterion/unless_options belong to applies-when")
                    if fires == "zero":
                        on = r.get("on")
                        if not on or not isinstance(on, list):
                            errors.append(f"{rat}: fires = zero needs `on`")
                        else:
                            for i in on:
                                if i not in scorable:
                                    errors.append(f"{rat}: on: `{i}` is not a scored criterion of the sheet")
                        if "options" in r:
                            errors.append(f"{rat}: `options` with fires = zero")
                    elif fires == "options":
                        opts = r.get("options")
                        count = len(n.get("options", []))
                        if not opts or any(not isinstance(o, int) or not 1 <= o <= count for o in opts):
                            errors.append(f"{rat}: options {opts} not within 1..{count}")
                        if "on" in r:
                            errors.append(f"{rat}: `on` with fires = options")
                    elif fires == "finding" and ("on" in r or "options" in r):
                        errors.append(f"{rat}: `on`/`options` with fires = finding")
                elif k == "applies-when":
                    if fires is not None or "on" in r or "options" in r:
                        errors.append(f"{rat}: applies-when takes criterion/unless_options, not fires/on/options")
                    c = r.get("criterion")
                    if c is None:
                        if not r.get("doubt"):
                            errors.append(f"{rat}: applies-when without criterion needs a doubt")
                    elif c not in scorable:
                        errors.append(f"{rat}: criterion `{c}` is not a scored criterion of the sheet")
                    elif c == n["id"]:
                        errors.append(f"{rat}: criterion is the rule's own criterion")
                    else:
                        uo = r.get("unless_options")
                        count = len(scorable[c]["options"])
                        if not uo or any(not isinstance(o, int) or not 1 <= o <= count for o in uo):
                            errors.append(f"{rat}: unless_options {uo} not within 1..{count} of `{c}`")
                else:
                    errors.append(f"{rat}: unknown kind")
                line = r.get("line")
                if line is not None:
                    if not isinstance(line, int):
                        errors.append(f"{rat}: line is not an integer")
                    elif src and text:
                        ok, got = src.begins_at(line, text)
                        if not ok:
                            errors.append(f"{rat}: L{line} does not begin the note: source has {got!r}, note {norm(text)[:PREFIX]!r}")
                    elif ed not in SOURCES:
                        warnings.append(f"{rat}: line {line} given but {ed} has no line-numbered source")
                elif ed in SOURCES:
                    errors.append(f"{rat}: no line, but {ed} has a source text")
                elif not r.get("doubt"):
                    errors.append(f"{rat}: no line and no doubt saying why")
                what = r.get("on") or r.get("options") or (f"{r.get('criterion')} unless {r.get('unless_options')}" if k == "applies-when" else "")
                rows.append((ed, sheet_no, n["id"], k, fires or "-", what if isinstance(what, str) else ",".join(map(str, what)), line or "-", r.get("doubt", "")))
                counts[(ed, k, fires or "-")] += 1
        # exclusive cases
        case_nodes = [n for kind, n, s, p in allnodes if n.get("cases")]
        ex = sheet.get("exclusive_cases")
        if case_nodes and ex is None:
            errors.append(f"{at0}: has case criteria ({', '.join(n['id'] for n in case_nodes)}) but no exclusive_cases")
        if ex is not None:
            if not case_nodes:
                errors.append(f"{at0}: exclusive_cases without case criteria")
            extra = set(ex) - EXCL_KEYS
            if extra:
                errors.append(f"{at0}: exclusive_cases: unknown keys {sorted(extra)}")
            printed_on = [n for n in case_nodes if any(CASES_RX.match(x) for x in n.get("notes", []))]
            printed = {x for n in printed_on for x in n.get("notes", []) if CASES_RX.match(x)}
            if ex.get("text") not in (printed or {CASES_TEXT}):
                errors.append(f"{at0}: exclusive_cases.text {ex.get('text')!r} is not the note printed on the case criteria {sorted(printed)}")
            elif ex.get("text") != CASES_TEXT and not ex.get("doubt"):
                errors.append(f"{at0}: exclusive_cases.text differs from {CASES_TEXT!r} without a doubt")
            lines = ex.get("lines", [])
            if ed in SOURCES and len(lines) != len(printed_on):
                errors.append(f"{at0}: exclusive_cases has {len(lines)} lines, the text is a note on {len(printed_on)} criteria")
            if src:
                for ln in lines:
                    ok, got = src.begins_at(ln, ex.get("text", CASES_TEXT))
                    if not ok:
                        errors.append(f"{at0}: exclusive_cases L{ln}: source has {got!r}")
            titles = collections.defaultdict(set)
            for n in case_nodes:
                for c in n["cases"]:
                    titles[c["id"]].add(c["title"])
            if any(len(t) > 1 for t in titles.values()) and not ex.get("doubt"):
                errors.append(f"{at0}: case titles differ between criteria but exclusive_cases has no doubt")
            rows.append((ed, sheet_no, "(sheet)", "exclusive-cases", "-", ",".join(n["id"] for n in case_nodes), ",".join(map(str, lines)) or "-", ex.get("doubt", "")))
            counts[(ed, "exclusive-cases", "-")] += 1
    if args.table:
        print("| edition | sheet | criterion | kind | fires | on / options / criterion | line | doubt |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
        print()
    print("| edition | kind | fires | count |")
    print("|---|---|---|---|")
    for (ed, k, fi), c in sorted(counts.items()):
        print(f"| {ed} | {k} | {fi} | {c} |")
    print(f"\n{len(files)} sheet files, {sum(c for (e, k, f), c in counts.items() if k != 'exclusive-cases')} rules, "
          f"{sum(1 for r in rows if r[7] and r[3] != 'exclusive-cases')} with a doubt")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
