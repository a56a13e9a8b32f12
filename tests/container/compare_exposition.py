#!/usr/bin/env python3
"""Compares what two scrapes of one host say about it: the native exporter's and the container's.

  compare_exposition.py NATIVE.prom CONTAINER.prom

Prints a table of each quantity compared and exits 1 if any differ. Only values that stay put
between two scrapes a second apart are compared (counts, sizes, sets of names), not counters.
"""
import re
import sys

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(path):
    samples = []
    with open(path, encoding="utf-8") as text:
        for line in text:
            match = SAMPLE.match(line.rstrip("\n"))
            if match and not line.startswith("#"):
                labels = dict(LABEL.findall(match.group(2) or ""))
                samples.append((match.group(1), labels, match.group(3)))
    return samples


def rows(samples):
    """(quantity, value) pairs, the value a printable string."""
    def values(name, key=None):
        return {(labels.get(key) if key else ""): value for metric, labels, value in samples if metric == name}

    def names(name, key):
        return sorted({labels[key] for metric, labels, _ in samples if metric == name and key in labels})

    out = [("CPUs (cpu labels of silicon_cpu_seconds_total)", str(len(names("silicon_cpu_seconds_total", "cpu"))))]
    for core_type, value in sorted(values("silicon_cpu_cores", "core_type").items()):
        out.append((f"silicon_cpu_cores{{core_type={core_type}}}", value))
    out.append(("silicon_memory_total_bytes", values("silicon_memory_total_bytes").get("", "absent")))
    out.append(("silicon_swap_total_bytes", values("silicon_swap_total_bytes").get("", "absent")))
    sizes = {(labels.get("mountpoint"), labels.get("device"), labels.get("fstype")): value
             for metric, labels, value in samples if metric == "silicon_filesystem_size_bytes"}
    out.append(("file systems (mount points)", str(len(sizes))))
    for (mountpoint, device, fstype), value in sorted(sizes.items()):
        out.append((f"  {mountpoint} ({device}, {fstype}) size_bytes", value))
    out.append(("network interfaces", " ".join(names("silicon_network_receive_bytes_total", "device")) or "none"))
    out.append(("disks", " ".join(names("silicon_disk_reads_completed_total", "device")) or "none"))
    out.append(("silicon_docker_up", values("silicon_docker_up").get("", "absent")))
    for state, value in sorted(values("silicon_docker_containers", "state").items()):
        if value != "0":
            out.append((f"silicon_docker_containers{{state={state}}}", value))
    out.append(("containers (silicon_container_info names)", " ".join(names("silicon_container_info", "name")) or "none"))
    return out


def main():
    native, container = rows(parse(sys.argv[1])), rows(parse(sys.argv[2]))
    native_map, container_map = dict(native), dict(container)
    keys = list(dict.fromkeys([key for key, _ in native] + [key for key, _ in container]))
    width = max(len(key) for key in keys)
    column = max([len("container")] + [len(value) for value in list(native_map.values()) + list(container_map.values())])
    print(f"{'quantity':<{width}}  {'native':<{column}}  {'container':<{column}}  same")
    differ = 0
    for key in keys:
        left, right = native_map.get(key, "absent"), container_map.get(key, "absent")
        same = left == right
        differ += not same
        print(f"{key:<{width}}  {left:<{column}}  {right:<{column}}  {'yes' if same else 'NO'}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
