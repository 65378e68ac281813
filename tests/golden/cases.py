#!/usr/bin/env python3
"""cases.py - the golden corpus of the case files: runs every
tests/cases/*.case command and compares the exit status and the exact
output (stdout, stderr) with the hashes in tests/golden/cases.txt, so a
change made for speed cannot change an answer byte for byte.
Usage: cases.py TOLLGATE SOURCE_DIR [--write]   (--write regenerates)"""
import hashlib
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from run_case import parse  # noqa: E402


def main():
    tollgate, src = sys.argv[1], sys.argv[2]
    write = "--write" in sys.argv[3:]
    cases_dir = os.path.join(src, "tests", "cases")
    lines = []
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".case"):
            continue
        case = parse(os.path.join(cases_dir, name))
        args = [tollgate] + shlex.split(case["args"])
        if case.get("raw") != "yes":
            args.append("--json")
        if "data" in case:
            args += ["--data", os.path.join(src, case["data"])]
        # list ages are counted to today: pin it, or the answers age with the calendar
        env = dict(os.environ, TOLLGATE_TODAY=case.get("today", "2026-08-15"))
        p = subprocess.run(args, capture_output=True, timeout=60, cwd=src, env=env)
        h = hashlib.sha256(p.stdout + b"\0" + p.stderr).hexdigest()[:16]
        lines.append(f"{name} {p.returncode} {h}\n")
    path = os.path.join(src, "tests", "golden", "cases.txt")
    if write:
        open(path, "w").writelines(lines)
        return
    want = open(path).readlines()
    known = {l.split()[0]: l for l in want}
    bad = [l.split()[0] for l in lines if l.split()[0] in known and known[l.split()[0]] != l]
    if bad:
        sys.exit(f"golden cases differ: {', '.join(bad)} (regenerate with cases.py ... --write "
                 "only when answers changed on purpose)")
    print(f"golden cases: {len(lines) - len([1 for l in lines if l.split()[0] not in known])} "
          f"identical, {len([1 for l in lines if l.split()[0] not in known])} new (not in the corpus)")


if __name__ == "__main__":
    main()
