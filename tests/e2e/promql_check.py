#!/usr/bin/env python3
"""Runs every PromQL expression of every alert rule and dashboard panel against a Prometheus.

Fails when an expression is invalid. A dashboard expression must also return series, the series of
one panel must not share a legend (two machines' "used" look the same in Grafana), and every
metric a rule reads must exist, unless no machine this Prometheus scrapes has the metric and
NOT_HERE says why: a file of lines "REGEX<tab>REASON". Those are listed with their reason, never
silently passed.

usage: promql_check.py PROMETHEUS_URL RULES_DIR DASHBOARDS_DIR NOT_HERE_FILE"""
import json
import pathlib
import re
import sys
import urllib.parse
import urllib.request

import yaml

url, rules_dir, dashboards_dir = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
NOT_HERE = [(re.compile(regex), reason) for regex, reason in
            (line.split("\t", 1) for line in pathlib.Path(sys.argv[4]).read_text().splitlines() if line.strip())]


def why_not_here(metric):
    return next((reason for regex, reason in NOT_HERE if regex.fullmatch(metric)), None)
METRIC = re.compile(r"\b(silicon_[a-z0-9_]+|up)\b")
# Grafana's variables, as a dashboard would fill them in.
VARIABLES = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "5m", "$instance": ".*", "${instance}": ".*"}
LEGEND_LABEL = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def legend(fmt, labels):
    """The name Grafana gives a series: its legend format with the labels filled in."""
    return LEGEND_LABEL.sub(lambda m: labels.get(m.group(1), ""), fmt)


def query(expr):
    data = urllib.parse.urlencode({"query": expr}).encode()
    try:
        with urllib.request.urlopen(f"{url}/api/v1/query", data, timeout=10) as response:
            body = json.load(response)
    except urllib.error.HTTPError as error:
        body = json.load(error)
    if body.get("status") != "success":
        raise ValueError(body.get("error", "query failed"))
    return body["data"]["result"]


def exprs():
    for path in sorted(rules_dir.glob("*.yml")):
        for group in yaml.safe_load(path.read_text())["groups"]:
            for rule in group["rules"]:
                yield "rule", f"{path.name}: {rule.get('alert') or rule.get('record')}", rule["expr"], {}
    for path in sorted(dashboards_dir.glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel.get("targets", []):
                expr = target["expr"]
                for name, value in VARIABLES.items():
                    expr = expr.replace(name, value)
                yield "panel", f"{path.name}: {panel['title']}", expr, target


present = {s["metric"]["__name__"] for s in query('count by (__name__) ({__name__=~"silicon_.+|up"})')}
failures, checked, not_applicable = [], 0, []
legends = {}  # panel -> {series name: query}
for kind, where, expr, target in exprs():
    checked += 1
    try:
        result = query(expr)
    except ValueError as error:
        failures.append(f"{where}: invalid: {error}: {expr}")
        continue
    names = set(METRIC.findall(expr))
    missing = sorted(n for n in names if n not in present)
    if missing and all(why_not_here(n) for n in missing):
        reasons = "; ".join(f"{n}: {why_not_here(n)}" for n in missing)
        not_applicable.append(f"{where} ({reasons})")
        continue
    if missing:
        failures.append(f"{where}: reads metrics that do not exist: {missing}")
    elif kind == "panel" and not result:
        failures.append(f"{where}: returns no series: {expr}")
    if target.get("legendFormat"):
        seen = legends.setdefault(where, {})
        for series in result:
            name = legend(target["legendFormat"], series["metric"])
            if name in seen:
                failures.append(f"{where}: two series are both called {name!r} ({seen[name]} and {target['refId']})")
            seen[name] = target["refId"]

print(f"checked {checked} expressions; {len(not_applicable)} not applicable here:")
for line in not_applicable:
    print("  n/a  " + line)
for line in failures:
    print("FAIL " + line)
sys.exit(1 if failures else 0)
