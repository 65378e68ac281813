#!/usr/bin/env python3
"""run_case.py - runs one decision case file (tests/cases/*.case).

A case file is lines of `key: value` (blank lines and # comments ignored):
  source: <the regulation, notice or data the expectation rests on>  (required)
  args: <tollgate arguments; --json is appended unless `raw: yes`>  (required)
  data: <data dir relative to the source tree>                     (optional)
  today: <YYYY-MM-DD, or any text to test a refusal>: $TOLLGATE_TODAY (optional)
  expect exit: <status>                                              (default 0)
  expect <json.path>: <value>    value is JSON (null, true, 0.15, "x") or bare text
  expect-contains <json.path>: <text>   the value (a list of objects or strings,
                                   or a string) contains the text somewhere
  expect-lacks <json.path>: <text>      the value does not contain the text
  expect-stderr: <text>          standard error contains the text
Paths use dots and list indexes: fee.rate, reasons.0.rule.
Usage: run_case.py TOLLGATE CASEFILE
"""
import json
import os
import shlex
import subprocess
import sys


def parse(path):
    case = {"expect": [], "exit": 0}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if ":" not in line:
            sys.exit(f"{path}:{n}: expected 'key: value'")
        key, value = (s.strip() for s in line.split(":", 1))
        if key == "expect exit":
            case["exit"] = int(value)
        elif key.startswith("expect"):
            case["expect"].append((n, key, value))
        elif key in ("source", "args", "data", "raw", "today"):
            case[key] = value
        else:
            sys.exit(f"{path}:{n}: unknown key '{key}'")
    for required in ("source", "args"):
        if required not in case:
            sys.exit(f"{path}: missing '{required}:' line")
    return case


def lookup(doc, path):
    for part in path.split("."):
        if isinstance(doc, list):
            doc = doc[int(part)]
        elif isinstance(doc, dict):
            if part not in doc:
                raise KeyError(path)
            doc = doc[part]
        else:
            raise KeyError(path)
    return doc


def value_of(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def main():
    tollgate, path = sys.argv[1], sys.argv[2]
    case = parse(path)
    src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    args = [tollgate] + shlex.split(case["args"])
    if case.get("raw") != "yes":
        args.append("--json")
    if "data" in case:
        args += ["--data", os.path.join(src, case["data"])]
    env = dict(os.environ)
    if "today" in case:
        env["TOLLGATE_TODAY"] = case["today"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=src, env=env)
    failures = []
    if p.returncode != case["exit"]:
        failures.append(f"exit status {p.returncode}, expected {case['exit']}")
    doc = None
    if p.stdout.strip():
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            doc = p.stdout
    for n, key, want in case["expect"]:
        if key == "expect-stderr":
            if want not in p.stderr:
                failures.append(f"line {n}: stderr lacks {want!r}: {p.stderr.strip()!r}")
            continue
        kind, jpath = key.split(None, 1)
        try:
            got = lookup(doc, jpath)
        except (KeyError, IndexError, ValueError, TypeError):
            failures.append(f"line {n}: no {jpath} in the output")
            continue
        if kind == "expect":
            w = value_of(want)
            ok = abs(got - w) < 1e-6 if isinstance(w, float) and isinstance(got, (int, float)) else got == w
            if not ok:
                failures.append(f"line {n}: {jpath} is {json.dumps(got)}, expected {json.dumps(w)}")
        elif kind == "expect-contains":
            if want not in json.dumps(got, ensure_ascii=False):
                failures.append(f"line {n}: {jpath} does not contain {want!r}")
        elif kind == "expect-lacks":
            if want in json.dumps(got, ensure_ascii=False):
                failures.append(f"line {n}: {jpath} contains {want!r}")
        else:
            failures.append(f"line {n}: unknown expectation '{kind}'")
    print(f"case {os.path.basename(path)}: {case['source']}")
    if failures:
        print("  command: " + " ".join(shlex.quote(a) for a in args))
        for f in failures:
            print("  FAIL " + f)
        if p.stderr:
            print("  stderr: " + p.stderr.strip())
        sys.exit(1)
    print("  ok")


if __name__ == "__main__":
    main()
