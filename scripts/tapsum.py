#!/usr/bin/env python3
"""Summarise TAP / KTAP results (python3 stdlib only).

Usage:
  tapsum.py [--kernel-log CONSOLE_LOG]... [--label L] [--counts | --json]
            RESULTS_LOG [MORE_LOGS...]
  tapsum.py --sum COUNTS_FILE [MORE_COUNTS_FILES...]

Parsing:
  * TAP 13/14 and KTAP, nested to any depth, any indentation. A printk
    timestamp prefix such as "[    1.234567] " is stripped; lines that are
    not TAP are ignored, so a whole kernel console log can be fed in.
  * Indentation is the run of leading blanks plus "# " prefixes (the
    kselftest runner nests sub-results as "# ok 1 ...").
  * Only LEAF results count. A result line is a parent iff the result line
    just before it (in the same file) was indented more deeply.
  * "# SKIP" (and "# TODO") on a leaf counts as skipped, whatever ok/not ok.
  * A plan "1..N" that gets fewer than N results at its level before the
    level is closed adds one failed test "<subtest>: planned N, got M"
    (catches a run that died half way). "Bail out!" adds one failed test.
  * KUnit console output (no top-level KTAP header) and kselftest_harness
    output both work; subtest names come from "# Subtest: NAME" lines and
    are joined with "." (e.g. "aiotsec_codec.test_roundtrip").

--kernel-log FILE   scan a kernel log for trouble (BUG:, WARNING:, KASAN:,
                    Oops, general protection, lockdep reports, suspicious
                    RCU usage, kmemleak "unreferenced object", Kernel panic,
                    hung tasks, UBSAN:) and count one synthetic test
                    "kernel log clean" (failed if anything was found; the
                    offending lines are printed). May be repeated.
--label L           prefix for the names of failing tests ("L: name").
                    Default: none for one log, the file name for several.

Output (default): one line per failing test ("FAIL: name"), then exactly
  "N passed, N failed" with ", N skipped" appended only when N > 0.
--counts            print only "PASSED FAILED SKIPPED" on stdout (failing
                    names still go to stderr), for a Makefile to collect.
--json              print {"passed":..,"failed":..,"skipped":..,"failures":[..]}.
--sum FILES         add up files written with --counts and print the
                    default final line.

When no TAP test passed or failed (none found, or all skipped; for --sum:
all inputs zero), one failed test "no tests ran" is added, so the summary
of an empty run fails.

Exit status: 1 if anything failed (including "no tests ran"), else 0;
2 on usage errors.
"""

import argparse
import json
import re
import sys

TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\] ?")
INDENT = re.compile(r"^((?:[ \t]|#[ \t])*)")
RESULT = re.compile(
    r"^(?P<ok>not ok|ok)(?:[ \t]+(?P<num>\d+))?(?=[ \t]|$)"
    r"[ \t]*(?:-[ \t]*)?(?P<desc>(?:[^#\\]|\\.)*?)"
    r"[ \t]*(?:#[ \t]*(?P<dir>.*))?$"
)
PLAN = re.compile(r"^1\.\.(?P<n>\d+)\b")
SUBTEST = re.compile(r"^#[ \t]*Subtest:[ \t]*(?P<name>.*?)\s*$")
BAIL = re.compile(r"^Bail out!\s*(?P<why>.*)$")

TROUBLE = re.compile(
    r"BUG:|WARNING:|KASAN:|UBSAN:|Oops|general protection"
    r"|possible circular locking|inconsistent lock state"
    r"|suspicious RCU usage|unreferenced object|Kernel panic"
    r"|INFO: task .* blocked"
)

NO_TESTS = "no tests ran"


class Summary:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def add(self, outcome, name):
        if outcome == "pass":
            self.passed += 1
        elif outcome == "skip":
            self.skipped += 1
        else:
            self.failed += 1
            self.failures.append(name)

    def tests(self):
        return self.passed + self.failed + self.skipped


def read_lines(path):
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        for raw in f:
            yield TIMESTAMP.sub("", raw.rstrip("\r\n").replace("\r", ""), count=1)


def indent_of(line):
    """Returns (indent, body). In "    # Subtest: x" the last "# " is the
    directive's own, not nesting, so it stays in the body."""
    prefix = INDENT.match(line).group(1)
    body = line[len(prefix):]
    if body.startswith("Subtest:") and len(prefix) >= 2 and prefix[-2] == "#":
        prefix, body = prefix[:-2], prefix[-2:] + body
    return len(prefix.expandtabs(8)), body


class Level:
    """Plan bookkeeping for one indentation level."""

    def __init__(self, planned, name):
        self.planned = planned
        self.name = name
        self.seen = 0


def parse_tap(path, prefix, summary):
    """Adds the leaf results of one TAP/KTAP log to summary."""
    prev_indent = None          # indent of the previous result line
    names = {}                  # indent -> "# Subtest:" name in force
    levels = {}                 # indent -> Level with a plan

    def full_name(indent, desc):
        parts = [names[i] for i in sorted(names) if i <= indent]
        parts.append(desc or "(unnamed)")
        return prefix + ".".join(p for p in parts if p)

    def close_levels(deeper_than, drop_names=True):
        for i in sorted(k for k in levels if k > deeper_than):
            lvl = levels.pop(i)
            if lvl.seen < lvl.planned:
                summary.add("fail", "%s%s: planned %d, got %d"
                            % (prefix, lvl.name or "plan", lvl.planned,
                               lvl.seen))
        if drop_names:
            for i in [k for k in names if k > deeper_than]:
                del names[i]

    for line in read_lines(path):
        indent, body = indent_of(line)
        m = RESULT.match(body)
        if m:
            is_parent = prev_indent is not None and prev_indent > indent
            prev_indent = indent
            if indent in levels:
                levels[indent].seen += 1
            if is_parent:
                close_levels(indent)
                continue
            directive = (m.group("dir") or "").strip().upper()
            if directive.startswith("SKIP") or directive.startswith("TODO"):
                outcome = "skip"
            else:
                outcome = "pass" if m.group("ok") == "ok" else "fail"
            summary.add(outcome, full_name(indent, m.group("desc").strip()))
            continue
        m = PLAN.match(body)
        if m:
            # A new plan at this level ends the previous document there.
            close_levels(indent - 1, drop_names=False)
            levels[indent] = Level(int(m.group("n")), names.get(indent))
            continue
        m = SUBTEST.match(body)
        if m:
            for i in [k for k in names if k >= indent]:
                del names[i]
            names[indent] = m.group("name")
            continue
        m = BAIL.match(body)
        if m:
            summary.add("fail", "%sbail out: %s" % (prefix, m.group("why")))
    close_levels(-1)


def scan_kernel_log(path, summary, out):
    bad = []
    try:
        for line in read_lines(path):
            if TROUBLE.search(line):
                bad.append(line)
    except OSError as e:
        bad.append("cannot read kernel log: %s" % e)
    name = "kernel log clean"
    if bad:
        print("kernel log %s has trouble:" % path, file=out)
        for line in bad[:50]:
            print("  " + line, file=out)
        if len(bad) > 50:
            print("  ... (%d more)" % (len(bad) - 50), file=out)
        name = "kernel log clean (%s)" % path
    summary.add("fail" if bad else "pass", name)


def final_line(passed, failed, skipped):
    s = "%d passed, %d failed" % (passed, failed)
    if skipped > 0:
        s += ", %d skipped" % skipped
    return s


def sum_counts(files):
    total = [0, 0, 0]
    for path in files:
        try:
            with open(path) as f:
                for line in f:
                    fields = line.split()
                    if not fields:
                        continue
                    if len(fields) != 3 or not all(x.isdigit() for x in fields):
                        raise ValueError("bad counts line %r" % line.strip())
                    for i in range(3):
                        total[i] += int(fields[i])
        except (OSError, ValueError) as e:
            print("tapsum: %s: %s" % (path, e), file=sys.stderr)
            total[1] += 1
    if total[0] + total[1] == 0:
        print("FAIL: " + NO_TESTS)
        total[1] += 1
    print(final_line(*total))
    return 1 if total[1] else 0


def main():
    ap = argparse.ArgumentParser(description="Summarise TAP/KTAP results.")
    ap.add_argument("--kernel-log", action="append", default=[])
    ap.add_argument("--label")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--counts", action="store_true")
    mode.add_argument("--json", action="store_true")
    mode.add_argument("--sum", action="store_true")
    ap.add_argument("logs", nargs="+")
    args = ap.parse_args()

    if args.sum:
        return sum_counts(args.logs)

    # In the machine-readable modes stdout carries only the numbers.
    out = sys.stderr if (args.counts or args.json) else sys.stdout
    summary = Summary()
    for path in args.logs:
        if args.label is not None:
            prefix = args.label + ": "
        elif len(args.logs) > 1:
            prefix = path + ": "
        else:
            prefix = ""
        try:
            parse_tap(path, prefix, summary)
        except OSError as e:
            print("tapsum: %s" % e, file=out)
            summary.add("fail", prefix + "cannot read " + path)
    if summary.passed + summary.failed == 0:
        what = NO_TESTS
        if summary.skipped:
            what += " (all %d skipped)" % summary.skipped
        summary.add("fail", (args.label + ": " if args.label else "") + what)
    for path in args.kernel_log:
        scan_kernel_log(path, summary, out)

    for name in summary.failures:
        print("FAIL: " + name, file=out)
    if args.counts:
        print(summary.passed, summary.failed, summary.skipped)
    elif args.json:
        print(json.dumps({"passed": summary.passed, "failed": summary.failed,
                          "skipped": summary.skipped,
                          "failures": summary.failures}))
    else:
        print(final_line(summary.passed, summary.failed, summary.skipped))
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main())
