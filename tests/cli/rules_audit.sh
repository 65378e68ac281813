#!/usr/bin/env bash
# `tollgate rules --audit` lists every fact that decides something and is
# secondary, estimated or unverified, with where it is used (issue 8 §3):
# rules below "verified", dated Country Group changes that are not
# verified, and catalog figures that are not vendor-published - and
# nothing that is verified.
# Usage: rules_audit.sh TOLLGATE SOURCE_DIR
set -euo pipefail
bin=$1
"$bin" rules --audit --json | python3 -c '
import json, sys
a = json.load(sys.stdin)
rules = {r["rule"]: r for r in a["rules"]}
def need(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)
# an estimate, with the facts it reads
need(rules.get("h20-class-combination", {}).get("level") == "estimate", "h20-class-combination listed as an estimate")
need("memory_bw" in rules["h20-class-combination"]["reads"], "h20-class-combination reads memory_bw")
# an unverified band of the Section 232 duty
need(rules.get("duty-232-band-mi325x", {}).get("level") == "unverified", "duty band 2 unverified")
# verified rules are not listed
need("3A090.a" not in rules and "rs-3a090-destinations" not in rules, "verified rules left out")
# the UAE D:4 change: unknown window, used by the destination rule
g = [x for x in a["country_groups"] if x["country"] == "AE" and x["group"] == "D:4"]
need(g and g[0]["unknown_between"] and "rs-3a090-destinations" in g[0]["used_by"], "UAE D:4 change with its users")
# a secondary catalog figure that decides: the H20 memory bandwidth
c = [x for x in a["chip_figures"] if x["chip"] == "nv-h20" and x["fact"] == "memory_bw"]
need(c and c[0]["level"] == "secondary" and "h20-class-bandwidth" in c[0]["used_by"], "nv-h20 memory_bw secondary, used by h20-class-bandwidth")
# vendor figures are not listed
need(not [x for x in a["chip_figures"] if x["chip"] == "nv-h100-sxm" and x["fact"] == "memory_bw"], "vendor figures left out")
'
text=$("$bin" rules --audit)
case "$text" in *"Country Group changes that are not verified"*"AE removed D:4: unknown between 2023-11-17..2026-07-23"*) ;;
  *) echo "FAIL: text output"; exit 1 ;; esac
echo ok
