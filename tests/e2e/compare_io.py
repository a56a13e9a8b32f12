#!/usr/bin/env python3
"""Compares silicon_exporter's disk, filesystem and network series with node_exporter's on one tree.

usage: compare_io.py OURS NODE TREE. Prints one line per failed comparison and the count of checks;
exits 1 on any difference. Counters must be equal; filesystem free/avail space may move between
the two scrapes (they stat the real disk under the fixture's rootfs), so those agree within 64 MiB.
"""
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def load(path):
    series = {}
    for line in open(path, encoding='utf-8'):
        match = SAMPLE.match(line.rstrip('\n'))
        if not match:
            continue
        name, labels, value = match.groups()
        series[(name, tuple(sorted(LABEL.findall(labels or ''))))] = float(value)
    return series


def pick(series, name, keep=('device', 'fstype', 'mountpoint')):
    return {tuple(l for l in labels if l[0] in keep): value
            for (metric, labels), value in series.items() if metric == name}


PAIRS = [  # ours, node_exporter's, tolerance
    ('silicon_disk_read_bytes_total', 'node_disk_read_bytes_total', 0),
    ('silicon_disk_written_bytes_total', 'node_disk_written_bytes_total', 0),
    ('silicon_disk_reads_completed_total', 'node_disk_reads_completed_total', 0),
    ('silicon_disk_writes_completed_total', 'node_disk_writes_completed_total', 0),
    ('silicon_disk_read_time_seconds_total', 'node_disk_read_time_seconds_total', 1e-9),
    ('silicon_disk_write_time_seconds_total', 'node_disk_write_time_seconds_total', 1e-9),
    ('silicon_disk_io_time_seconds_total', 'node_disk_io_time_seconds_total', 1e-9),
    ('silicon_filesystem_size_bytes', 'node_filesystem_size_bytes', 0),
    ('silicon_filesystem_files', 'node_filesystem_files', 0),
    ('silicon_filesystem_free_bytes', 'node_filesystem_free_bytes', 64 << 20),
    ('silicon_filesystem_avail_bytes', 'node_filesystem_avail_bytes', 64 << 20),
    ('silicon_filesystem_files_free', 'node_filesystem_files_free', 4096),
    ('silicon_filesystem_readonly', 'node_filesystem_readonly', 0),
    ('silicon_filesystem_device_error', 'node_filesystem_device_error', 0),
] + [(f'silicon_network_{d}_{ours}_total', f'node_network_{d}_{theirs}_total', 0)
     for d in ('receive', 'transmit')
     # node_exporter keeps /proc/net/dev's column names; ours are spelled out (docs/metrics.md).
     for ours, theirs in (('bytes', 'bytes'), ('packets', 'packets'), ('errors', 'errs'), ('dropped', 'drop'))]


def main():
    ours, node, tree = load(sys.argv[1]), load(sys.argv[2]), sys.argv[3]
    failures, checks = [], 0
    for mine, theirs, tolerance in PAIRS:
        a, b = pick(ours, mine), pick(node, theirs)
        if not a:
            failures.append(f'{tree}: no {mine} at all')
        if set(a) != set(b):
            failures.append(f'{tree}: {mine} series differ: only ours {sorted(set(a) - set(b))}, '
                            f'only node_exporter {sorted(set(b) - set(a))}')
        for labels in set(a) & set(b):
            checks += 1
            if abs(a[labels] - b[labels]) > tolerance:
                failures.append(f'{tree}: {mine}{dict(labels)}: ours {a[labels]!r}, node_exporter {b[labels]!r}')
    for failure in failures:
        print('FAIL:', failure)
    print(f'{tree}: {checks} values compared')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
