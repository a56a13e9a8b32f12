#!/usr/bin/env python3
"""Writes the Grafana dashboards (apple-silicon-overview.json, containers.json) next to this file.

The JSON is what Grafana imports and the compose stack provisions; this script is how it is kept
consistent (one panel helper, one datasource variable). Edit here, run it, commit both.
Datasource: a ${DS_PROMETHEUS} template variable, so the same file works when imported through
the UI and when provisioned from disk (file provisioning does not resolve __inputs)."""
import json
import pathlib

HERE = pathlib.Path(__file__).parent
DS = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
SEL = 'instance=~"$instance"'
# What Grafana's current dashboard model is (@grafana/schema defaultDashboard.schemaVersion, the
# v1 model's last version): a lower one makes Grafana migrate the board on load.
SCHEMA_VERSION = 42


def panel(title, exprs, kind="timeseries", unit=None, x=0, y=0, w=12, h=8, legend="", mappings=None,
          stack=False, description=""):
    targets = []
    for i, expr in enumerate(exprs if isinstance(exprs, list) else [exprs]):
        text, fmt = (expr if isinstance(expr, tuple) else (expr, legend))
        # Every board lets you pick several machines (or All): a legend without the machine makes
        # the series of two hosts look the same. tests/dashboards/check.mjs enforces it.
        if "{{instance}}" not in fmt:
            fmt = f"{{{{instance}}}} {fmt}".strip()
        targets.append({"datasource": DS, "expr": text, "legendFormat": fmt, "refId": chr(65 + i)})
    defaults = {}
    if unit:
        defaults["unit"] = unit
    if mappings:
        defaults["mappings"] = [{"type": "value", "options": {
            str(v): {"text": t, "color": c, "index": v} for v, t, c in mappings}}]
        defaults["color"] = {"mode": "thresholds"}
    if stack:
        defaults["custom"] = {"stacking": {"mode": "normal", "group": "A"}, "fillOpacity": 30}
    return {"type": kind, "title": title, "description": description, "datasource": DS,
            "gridPos": {"x": x, "y": y, "w": w, "h": h}, "targets": targets,
            "fieldConfig": {"defaults": defaults, "overrides": []}, "options": {}}


def row(title, y):
    return {"type": "row", "title": title, "collapsed": False, "gridPos": {"x": 0, "y": y, "w": 24, "h": 1},
            "panels": []}


def dashboard(uid, title, panels):
    for i, p in enumerate(panels):
        p["id"] = i + 1
    return {
        "uid": uid, "title": title, "tags": ["silicon_exporter"], "timezone": "browser",
        "schemaVersion": SCHEMA_VERSION, "version": 1, "refresh": "30s", "time": {"from": "now-3h", "to": "now"},
        "templating": {"list": [
            {"name": "DS_PROMETHEUS", "label": "Data source", "type": "datasource", "query": "prometheus",
             "hide": 0},
            {"name": "instance", "label": "Machine", "type": "query", "datasource": DS,
             "query": {"query": "label_values(silicon_exporter_build_info, instance)", "refId": "instance"},
             "includeAll": True,
             "multi": True, "refresh": 2, "current": {"text": ["All"], "value": ["$__all"]}, "hide": 0},
        ]},
        "panels": panels,
    }


def per_core_panel(x, y):
    """One row per core of every selected machine, coloured by how busy it was (a heatmap would
    pool the cores of all machines into one distribution)."""
    p = panel("Per-core utilisation", [(f'1 - rate(silicon_cpu_seconds_total{{{SEL},mode="idle"}}[{RATE}])',
                                        "{{instance}} {{core_type}} {{cpu}}")],
              kind="status-history", unit="percentunit", x=x, y=y,
              description="Share of time each core was not idle: green idle, red busy.")
    p["fieldConfig"]["defaults"].update({"min": 0, "max": 1, "color": {"mode": "continuous-GrYlRd"}})
    p["options"] = {"showValue": "never"}
    return p


def top5(series):
    """The series of the 5 highest averages over the dashboard's whole range. topk() alone is
    evaluated at every step of a graph, so each step picks its own 5 and the graph shows more."""
    return f"{series} and on (instance, job, id) topk(5, avg_over_time(({series})[$__range:] @ end()))"


TOP5 = "The 5 containers with the highest average over the time range shown, across the selected machines."
STATE = [(0, "nominal", "green"), (1, "fair", "yellow"), (2, "serious", "orange"), (3, "critical", "red")]
PRESSURE = [(0, "normal", "green"), (1, "warning", "orange"), (2, "critical", "red")]
RATE = "$__rate_interval"

overview = dashboard("silicon-overview", "Apple Silicon overview", [
    row("CPU", 0),
    panel("P vs E core utilisation", [
        (f'sum by (instance, core_type) (rate(silicon_cpu_seconds_total{{{SEL},mode!="idle"}}[{RATE}]))'
         f' / sum by (instance, core_type) (rate(silicon_cpu_seconds_total{{{SEL}}}[{RATE}]))', "{{core_type}}")],
        unit="percentunit", y=1, description="Busy share per core type, from the per-core counters."),
    per_core_panel(x=12, y=1),
    panel("Load average", [(f"silicon_load1{{{SEL}}}", "1m"), (f"silicon_load5{{{SEL}}}", "5m"),
                           (f"silicon_load15{{{SEL}}}", "15m")], y=9, w=8),
    panel("Cores by type", [(f"silicon_cpu_cores{{{SEL}}}", "{{core_type}}")], kind="stat", x=8, y=9, w=8),
    panel("Frequency by core type", [(f"avg by (instance, core_type) (silicon_cpu_frequency_hertz{{{SEL}}})", "{{core_type}}")],
          unit="hertz", x=16, y=9, w=8),
    row("Unified memory", 17),
    panel("Memory", [(f"silicon_memory_used_bytes{{{SEL}}}", "used"), (f"silicon_memory_wired_bytes{{{SEL}}}", "wired"),
                     (f"silicon_memory_compressed_bytes{{{SEL}}}", "compressed"),
                     (f"silicon_memory_cached_bytes{{{SEL}}}", "cached (file)"),
                     (f"silicon_memory_total_bytes{{{SEL}}}", "total")], unit="bytes", y=18),
    panel("Memory pressure", [(f"silicon_memory_pressure_level{{{SEL}}}", "{{instance}}")], kind="state-timeline",
          mappings=PRESSURE, x=12, y=18),
    panel("Swap", [(f"silicon_swap_used_bytes{{{SEL}}}", "used"), (f"silicon_swap_total_bytes{{{SEL}}}", "total")],
          unit="bytes", y=26, w=8),
    panel("Swap traffic", [(f"rate(silicon_swap_in_bytes_total{{{SEL}}}[{RATE}])", "in"),
                           (f"rate(silicon_swap_out_bytes_total{{{SEL}}}[{RATE}])", "out")], unit="Bps", x=8, y=26, w=8),
    panel("Stall time (Linux PSI)", [(f"rate(silicon_pressure_stall_seconds_total{{{SEL}}}[{RATE}])",
                                      "{{resource}} {{kind}}")], unit="percentunit", x=16, y=26, w=8),
    row("Thermal", 34),
    panel("Thermal state", [(f"silicon_thermal_state{{{SEL}}}", "{{instance}}")], kind="state-timeline",
          mappings=STATE, y=35),
    panel("Temperatures", [(f"silicon_temperature_celsius{{{SEL}}}", "{{chip}} {{sensor}}")], unit="celsius",
          x=12, y=35),
    panel("Fans", [(f"silicon_fan_speed_rpm{{{SEL}}}", "{{chip}} {{fan}}")], unit="rotrpm", y=43, w=12),
    row("GPU", 51),
    panel("GPU utilisation", [(f"rate(silicon_gpu_active_seconds_total{{{SEL}}}[{RATE}])"
                               f" or silicon_gpu_utilization_ratio{{{SEL}}}", "gpu {{gpu}}")],
          unit="percentunit", y=52, w=8,
          description="Apple: busy share from IOReport residency; the instantaneous PerformanceStatistics reading "
                      "only where IOReport is not there. NVIDIA, AMD, Intel: the driver's utilisation."),
    panel("GPU memory", [(f"silicon_gpu_memory_used_bytes{{{SEL}}}", "used {{gpu}}"),
                         (f"silicon_gpu_memory_total_bytes{{{SEL}}}", "total {{gpu}}")], unit="bytes", x=8, y=52, w=8),
    panel("GPU power", [(f"silicon_gpu_power_watts{{{SEL}}}", "gpu {{gpu}}")], unit="watt", x=16, y=52, w=8),
    panel("GPU clocks", [(f"silicon_gpu_frequency_hertz{{{SEL}}}", "gpu {{gpu}} {{clock}}")], unit="hertz", y=60, w=8),
    panel("GPU temperature", [(f"silicon_gpu_temperature_celsius{{{SEL}}}", "gpu {{gpu}}")], unit="celsius", x=8, y=60, w=8),
    panel("GPUs", [(f"silicon_gpu_info{{{SEL}}}", "{{vendor}} {{name}}")], kind="table", x=16, y=60, w=8),
    row("Containers and exporter", 68),
    panel("Top containers by CPU", [(top5(f"rate(silicon_container_cpu_usage_seconds_total{{{SEL}}}[{RATE}])"),
                                     "{{name}}")], unit="percentunit", y=69, w=8, description=TOP5),
    panel("Top containers by memory", [(top5(f"silicon_container_memory_working_set_bytes{{{SEL}}}"), "{{name}}")],
          unit="bytes", x=8, y=69, w=8, description=TOP5),
    panel("Collectors", [(f"silicon_scrape_collector_success{{{SEL}}}", "{{collector}}")], kind="state-timeline",
          mappings=[(0, "failing", "red"), (1, "ok", "green")], x=16, y=69, w=8),
    row("Disks, file systems and network", 77),
    panel("Disk throughput", [(f"rate(silicon_disk_read_bytes_total{{{SEL}}}[{RATE}])", "{{device}} read"),
                              (f"rate(silicon_disk_written_bytes_total{{{SEL}}}[{RATE}])", "{{device}} write")],
          unit="Bps", y=78, w=8),
    panel("Disk busy", [(f"rate(silicon_disk_io_time_seconds_total{{{SEL}}}[{RATE}])", "{{device}}")],
          unit="percentunit", x=8, y=78, w=8,
          description="Share of time with I/O in flight (Linux; macOS has no such counter)."),
    panel("Disk IOPS", [(f"rate(silicon_disk_reads_completed_total{{{SEL}}}[{RATE}])", "{{device}} reads"),
                        (f"rate(silicon_disk_writes_completed_total{{{SEL}}}[{RATE}])", "{{device}} writes")],
          unit="iops", x=16, y=78, w=8),
    panel("File system use", [(f"1 - silicon_filesystem_avail_bytes{{{SEL}}} / silicon_filesystem_size_bytes{{{SEL}}}",
                               "{{mountpoint}}")], kind="bargauge", unit="percentunit", y=86, w=8,
          description="APFS volumes of one container share its free space."),
    panel("Network receive", [(f"rate(silicon_network_receive_bytes_total{{{SEL}}}[{RATE}])", "{{device}}")],
          unit="Bps", x=8, y=86, w=8),
    panel("Network transmit", [(f"rate(silicon_network_transmit_bytes_total{{{SEL}}}[{RATE}])", "{{device}}")],
          unit="Bps", x=16, y=86, w=8),
    row("Power, frequency and battery", 94),
    panel("Power by domain", [(f"sum by (instance, domain) (rate(silicon_energy_joules_total{{{SEL}}}[{RATE}]))", "{{domain}}"),
                              (f"silicon_system_power_watts{{{SEL}}}", "whole machine")], unit="watt", y=95, w=8,
          description="Apple: CPU, GPU, ANE, DRAM from IOReport, the whole machine from the SMC. Linux: RAPL zones "
                      "(package contains core and uncore; psys is the platform)."),
    panel("CPU cluster frequency", [(f"rate(silicon_cpu_cluster_cycles_total{{{SEL}}}[{RATE}])"
                                     f" / rate(silicon_cpu_cluster_active_seconds_total{{{SEL}}}[{RATE}])",
                                     "{{cluster}} ({{core_type}})")], unit="hertz", x=8, y=95, w=8,
          description="Average frequency while running, from IOReport residency (Apple Silicon)."),
    panel("CPU cluster busy", [(f"rate(silicon_cpu_cluster_active_seconds_total{{{SEL}}}[{RATE}])",
                                "{{cluster}} ({{core_type}})")], unit="percentunit", x=16, y=95, w=8),
    panel("GPU frequency", [(f"rate(silicon_gpu_cycles_total{{{SEL}}}[{RATE}])"
                             f" / rate(silicon_gpu_active_seconds_total{{{SEL}}}[{RATE}])", "gpu {{gpu}}")],
          unit="hertz", y=103, w=8, description="Average frequency while running (Apple Silicon)."),
    panel("Battery", [(f"silicon_battery_charge_ratio{{{SEL}}}", "{{battery}} charge"),
                      (f"silicon_battery_health_ratio{{{SEL}}}", "{{battery}} health")],
          unit="percentunit", x=8, y=103, w=8),
    panel("On AC power", [(f"silicon_power_supply_online{{{SEL}}}", "{{supply}}")], kind="state-timeline",
          mappings=[(0, "off", "orange"), (1, "on", "green")], x=16, y=103, w=8),
])

containers = dashboard("silicon-containers", "Containers", [
    panel("CPU per container", [(f"rate(silicon_container_cpu_usage_seconds_total{{{SEL}}}[{RATE}])", "{{name}}")],
          unit="percentunit", y=0),
    panel("Memory vs limit", [(f"silicon_container_memory_working_set_bytes{{{SEL}}}", "{{name}} working set"),
                              (f"silicon_container_memory_limit_bytes{{{SEL}}} > 0", "{{name}} limit")],
          unit="bytes", x=12, y=0),
    panel("Network receive", [(f"rate(silicon_container_network_receive_bytes_total{{{SEL}}}[{RATE}])",
                               "{{name}} {{interface}}")], unit="Bps", y=8),
    panel("Network transmit", [(f"rate(silicon_container_network_transmit_bytes_total{{{SEL}}}[{RATE}])",
                                "{{name}} {{interface}}")], unit="Bps", x=12, y=8),
    panel("Block I/O", [(f"rate(silicon_container_blkio_read_bytes_total{{{SEL}}}[{RATE}])", "{{name}} read"),
                        (f"rate(silicon_container_blkio_write_bytes_total{{{SEL}}}[{RATE}])", "{{name}} write")],
          unit="Bps", y=16),
    panel("Restarts (15 min)", [(f"changes(silicon_container_start_time_seconds{{{SEL}}}[15m])", "{{name}}")],
          x=12, y=16),
    panel("Containers by state", [(f"silicon_docker_containers{{{SEL}}}", "{{state}}")], kind="stat", y=24),
    panel("Docker reachable", [(f"silicon_docker_up{{{SEL}}}", "{{instance}}")], kind="state-timeline",
          mappings=[(0, "down", "red"), (1, "up", "green")], x=12, y=24),
])

# One row per host: the fleet at a glance. Every query is one series per host (by instance); where a
# host has no such reading (no battery, no GPU busy counter) it shows -1, mapped to "none", so the
# row is still there and says so.
NONE = [(-1, "none", "transparent")]
# up of the targets that are silicon_exporter, under any job name: those that exported its build_info
# at some point of the range shown (evaluated once, at its end, so it costs one lookup per host).
EXPORTER_UP = (f"up{{{SEL}}} and on (job, instance) "
               f"group by (job, instance) (last_over_time(silicon_exporter_build_info{{{SEL}}}[$__range] @ end()))")
PER_HOST = f'max by (instance) (up{{job=~".+",{SEL}}}) * 0 - 1'  # -1 for every host that reports
# (title, query, value mappings, unit): the ratios are shown as percentages, as on every other board.
FLEET_COLUMNS = [(title, f"({expr}) or {PER_HOST}", mappings + NONE, unit) for title, expr, mappings, unit in [
    ("Thermal state", f"max by (instance) (silicon_thermal_state{{{SEL}}})", STATE, None),
    ("Memory pressure", f"max by (instance) (silicon_memory_pressure_level{{{SEL}}})", PRESSURE, None),
    ("P-core busy", f'sum by (instance) (rate(silicon_cpu_seconds_total{{{SEL},core_type="performance",mode!="idle"}}[{RATE}]))'
                    f' / sum by (instance) (rate(silicon_cpu_seconds_total{{{SEL},core_type="performance"}}[{RATE}]))', [], "percentunit"),
    ("E-core busy", f'sum by (instance) (rate(silicon_cpu_seconds_total{{{SEL},core_type="efficiency",mode!="idle"}}[{RATE}]))'
                    f' / sum by (instance) (rate(silicon_cpu_seconds_total{{{SEL},core_type="efficiency"}}[{RATE}]))', [], "percentunit"),
    ("GPU busy", f"max by (instance) (rate(silicon_gpu_active_seconds_total{{{SEL}}}[{RATE}])"
                 f" or silicon_gpu_utilization_ratio{{{SEL}}})", [], "percentunit"),
    ("Battery", f"min by (instance) (silicon_battery_charge_ratio{{{SEL}}})", [], "percentunit"),
]]


def fleet_table():
    p = panel("Hosts", [], kind="table", y=0, w=24, h=10,
              description="One row per host. P/E busy: share of time the cores of that type were not idle.")
    p["targets"] = [{"datasource": DS, "expr": expr, "format": "table", "instant": True, "refId": chr(65 + i)}
                    for i, (_, expr, _, _) in enumerate(FLEET_COLUMNS)]
    renames = {f"Value #{chr(65 + i)}": title for i, (title, _, _, _) in enumerate(FLEET_COLUMNS)}
    p["transformations"] = [{"id": "merge", "options": {}},
                            {"id": "organize", "options": {"excludeByName": {"Time": True}, "renameByName": renames}}]
    p["fieldConfig"]["overrides"] = [
        {"matcher": {"id": "byName", "options": title},
         "properties": [{"id": "mappings", "value": [{"type": "value", "options": {
             str(v): {"text": t, "color": c, "index": v} for v, t, c in mappings}}]}]
         + ([{"id": "unit", "value": unit}] if unit else [])}
        for title, _, mappings, unit in FLEET_COLUMNS]
    return p


fleet = dashboard("silicon-fleet", "Fleet", [
    fleet_table(),
    panel("Hosts reporting", [(EXPORTER_UP, "{{instance}}")], kind="state-timeline",
          mappings=[(0, "exporter down", "red"), (1, "up", "green")], y=10, w=24, h=6,
          description="Scrape status of every target that exported silicon_exporter_build_info in the time range, "
                      "whatever its job is called. A host whose agent sleeps (a closed laptop) has no samples: "
                      "a gap, not a red bar."),
    panel("CPU busy by host", [(f'sum by (instance) (rate(silicon_cpu_seconds_total{{{SEL},mode!="idle"}}[{RATE}]))'
                                f' / sum by (instance) (rate(silicon_cpu_seconds_total{{{SEL}}}[{RATE}]))', "{{instance}}")],
          unit="percentunit", y=16),
    panel("Memory used by host", [(f"silicon_memory_used_bytes{{{SEL}}} / silicon_memory_total_bytes{{{SEL}}}",
                                   "{{instance}}")], unit="percentunit", x=12, y=16),
    panel("Thermal state by host", [(f"max by (instance) (silicon_thermal_state{{{SEL}}}) or {PER_HOST}", "{{instance}}")],
          kind="state-timeline", mappings=STATE + NONE, y=24),
    panel("Memory pressure by host", [(f"max by (instance) (silicon_memory_pressure_level{{{SEL}}}) or {PER_HOST}",
                                       "{{instance}}")], kind="state-timeline", mappings=PRESSURE + NONE, x=12, y=24,
          description="none: a Linux host without PSI has no pressure level."),
])

for name, board in [("apple-silicon-overview.json", overview), ("containers.json", containers), ("fleet.json", fleet)]:
    (HERE / name).write_text(json.dumps(board, indent=2) + "\n")
    print("wrote", HERE / name)
