#!/usr/bin/env python3
"""The live page's charts in a real browser (Debian's headless Chromium over the DevTools protocol).

The exporter samples its history every 0.5 s (--web.ui.history-interval=500ms) on a copy of the
laptop tree that a thread rewrites every 0.1 s: CPU busy share swinging per core, memory, load,
disk and network bytes and RAPL energy moving. The issue asks for 60 s at the default interval;
with the faster interval the same ~60 points come in ~30 s.

Then: every chart with data has drawn points and pixels (a chart that has data and draws nothing
fails the test); /api/history answers JSON and ?since=; hovering a chart shows a value and a time;
the exporter killed -> "disconnected", restarted on the same port -> new points and the restart
said; screenshots at 1280 and 390 px, light and dark, into UI_SCREENSHOTS; the containers table
sorts by CPU, then by memory.

Environment: EXPORTER, FIXTURES; exits 77 (skipped) without chromium."""
import http.server
import json
import math
import os
import pathlib
import re
import shutil
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from devtools import Browser  # noqa: E402
from laptop_exporters import LaptopExporters  # noqa: E402

EXPORTER = os.environ['EXPORTER']
FIXTURES = pathlib.Path(os.environ['FIXTURES'])
SHOTS = pathlib.Path(os.environ.get('UI_SCREENSHOTS', pathlib.Path(EXPORTER).parent))
CHROMIUM = shutil.which('chromium')
if CHROMIUM is None:
    print('SKIP: needs chromium (apt-get install chromium)')
    sys.exit(77)

STEP = 0.5      # seconds between history samples
POINTS = 60     # the points 60 s of samples would give; at 0.5 s they take 30 s
exporters = LaptopExporters(EXPORTER, FIXTURES, 'silicon-history-test-')
tree, check = exporters.tree, exporters.check


def start_exporter(port=0, history='10m'):
    return exporters.start(f'--web.ui.history={history}', f'--web.ui.history-interval={int(STEP * 1000)}ms', port=port)


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


def replace(path, text):
    temporary = path.with_name(path.name + '.new')
    temporary.write_text(text)
    temporary.replace(path)  # atomic: a collection sees the old or the new file, never half


# The moving tree, rewritten every WRITE seconds (five times per sample, so no two samples see the
# same file): every core 100 ticks a second, its busy share swinging between 10 % and 90 % (a
# different phase per core); memory, load, disk and network bytes and RAPL energy move in waves.
WRITE = 0.1
originals = {name: (tree / name).read_text() for name in
             ('proc/stat', 'proc/meminfo', 'proc/loadavg', 'proc/diskstats', 'proc/net/dev')}
rapl = sorted(p / 'energy_uj' for p in (tree / 'sys/class/powercap').iterdir() if (p / 'energy_uj').exists())
rapl_start = {p: int(p.read_text()) for p in rapl}
counted = {'busy': {}, 'disk': 0, 'net': 0, 'energy': 0}  # counters only ever grow: the waves move their rates
stop = threading.Event()


def advance(step):
    t = step * WRITE
    lines = []
    for line in originals['proc/stat'].split('\n'):
        fields = line.split()
        if fields and re.fullmatch(r'cpu\d+', fields[0]):
            core = int(fields[0][3:])
            busy = counted['busy'][core] = counted['busy'].get(core, 0) + round(100 * WRITE * (0.5 + 0.4 * math.sin(t / 4 + core)))
            fields[1] = str(int(fields[1]) + busy)
            fields[4] = str(int(fields[4]) + round(100 * t) - busy)
            line = ' '.join(fields)
        lines.append(line)
    replace(tree / 'proc/stat', '\n'.join(lines))
    wave = 0.5 + 0.5 * math.sin(t / 5)
    replace(tree / 'proc/meminfo', re.sub(r'MemAvailable:\s+\d+', f'MemAvailable: {int(12e6 + 8e6 * wave)}',
                                          originals['proc/meminfo']))
    replace(tree / 'proc/loadavg', f'{1 + 3 * wave:.2f} {1 + 2 * wave:.2f} 1.55 3/812 99120\n')
    counted['disk'] += int(20000 * WRITE * (1 - wave))  # sectors of 512 bytes: up to 10 MB/s
    counted['net'] += int(1e6 * WRITE * wave)          # up to 1 MB/s
    counted['energy'] += int(1e6 * WRITE * (1 + wave))  # microjoules: 1 to 2 W, times the zone's number
    replace(tree / 'proc/diskstats', re.sub(r'(nvme0n1 \d+ \d+ )(\d+)', lambda m: m.group(1) + str(int(m.group(2)) + counted['disk']),
                                            originals['proc/diskstats']))
    replace(tree / 'proc/net/dev', re.sub(r'(wlp0s20f3:\s*)(\d+)', lambda m: m.group(1) + str(int(m.group(2)) + counted['net']),
                                          originals['proc/net/dev']))
    for k, path in enumerate(rapl):
        replace(path, str(rapl_start[path] + (k + 1) * counted['energy']))


def advancer():
    step = 0
    while not stop.wait(WRITE):
        step += 1
        advance(step)


def serve_with_containers(base):
    """Serves the page and the real exporter's /metrics with two containers added (no dockerd here:
    tests/e2e/docker_test.sh runs the real one): "busy" takes 1.5 cores and 100 MiB, "big" 0.1
    core and 900 MiB. Returns the port."""
    started = time.time()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split('?')[0]
            status, headers, body = 200, {'Content-Type': 'text/plain; version=0.0.4'}, ''
            try:
                status, headers, body = get(base + path, {'Accept': 'text/html'})
            except urllib.error.HTTPError as error:
                status, body = error.code, ''
            if path == '/metrics':
                t = time.time() - started
                body += ('# TYPE silicon_container_cpu_usage_seconds_total counter\n'
                         f'silicon_container_cpu_usage_seconds_total{{id="aaa",name="busy"}} {1.5 * t}\n'
                         f'silicon_container_cpu_usage_seconds_total{{id="bbb",name="big"}} {0.1 * t}\n'
                         '# TYPE silicon_container_memory_working_set_bytes gauge\n'
                         f'silicon_container_memory_working_set_bytes{{id="aaa",name="busy"}} {100 * 2**20}\n'
                         f'silicon_container_memory_working_set_bytes{{id="bbb",name="big"}} {900 * 2**20}\n')
            data = body.encode()
            self.send_response(status)
            self.send_header('Content-Type', headers.get('Content-Type', 'text/plain'))
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


# Every chart the page shows: its series, the points it drew, and whether its canvas has any
# pixel that is not transparent (what was drawn, not what the script says it drew).
CHARTS = """[...document.querySelectorAll('figure.chart')].filter(f => !f.hidden).map(f => {
  const c = f.querySelector('canvas'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) ink++;
  return {title: f.dataset.chart, series: Number(f.dataset.series), points: Number(f.dataset.points), ink,
          section: f.closest('section').id, sectionShown: !f.closest('section').hidden}; })"""

threading.Thread(target=advancer, daemon=True).start()
browser = None
try:
    exporter, port = start_exporter()
    base = f'http://127.0.0.1:{port}'
    size = sum(len(get(base + path, {'Accept': 'text/html'})[2].encode())
               for path in ('/', '/ui.js', '/history.js', '/ui.css'))
    check(size < 48 * 1024, f'the page weighs {size} bytes, over 48 KB')

    browser = Browser(CHROMIUM)
    browser.send('Page.enable')
    browser.send('Page.navigate', url=base + '/')
    browser.wait_for(f"Number(document.body.dataset.historyPoints || 0) >= {POINTS}", timeout=POINTS * STEP + 20,
                     what=f'{POINTS} history samples')
    # The endpoint itself: JSON lined up with its timestamps; ?since= gives only what is newer.
    status, headers, body = get(base + '/api/history')
    history = json.loads(body)
    check(status == 200 and headers['Content-Type'] == 'application/json', f'/api/history: {status} {headers}')
    times = history['timestamps']
    check(len(times) >= POINTS and times == sorted(times), f'{len(times)} timestamps, in order')
    check(all(len(s['values']) == len(times) for s in history['series']), 'values not lined up with timestamps')
    names = {s['name'] for s in history['series']}
    for name in ('cpu_busy_ratio', 'cpu_core_busy_ratio', 'load1', 'memory_used_bytes', 'power_watts',
                 'disk_read_bytes_per_second', 'network_receive_bytes_per_second', 'temperature_max_celsius'):
        check(name in names, f'/api/history lacks {name}: {sorted(names)}')
    newer = json.loads(get(f'{base}/api/history?since={times[-3]}')[2])
    check(newer['timestamps'][:2] == times[-2:] and all(t > times[-3] for t in newer['timestamps']),
          f'?since= gave {newer["timestamps"]} after {times[-3]}')
    busy = [v for s in history['series'] if s['name'] == 'cpu_busy_ratio' for v in s['values'] if v is not None]
    check(len(busy) >= 2 * (len(times) - 2) and 0.05 < min(busy) < max(busy) < 0.95, f'CPU busy ratios do not move: {busy[:10]}')

    charts = browser.evaluate(CHARTS)
    drawn = {c['title'] for c in charts if c['points'] > 0}
    for chart in charts:
        check(chart['series'] == 0 or (chart['points'] > 0 and chart['ink'] > 50),
              f'chart "{chart["title"]}" has {chart["series"]} series but drew {chart["points"]} points, {chart["ink"]} pixels')
    for title in ('busy by core type', 'load average', 'memory', 'hottest sensor', 'power', 'disks', 'network', 'cpu 0', 'cpu 15'):
        check(title in drawn, f'no points in chart "{title}"; drawn: {sorted(drawn)}')
    # Every section the page shows with history behind it has a chart with points.
    for section in {c['section'] for c in charts if c['series'] > 0}:
        check(any(c['points'] > 0 for c in charts if c['section'] == section), f'section {section} draws nothing')
    # The "now" numbers stay beside the charts.
    check(browser.evaluate("document.querySelectorAll('.core').length") == 16, 'the per-core tiles are gone')

    # Zoom and pause: 5 min shows fewer minutes; pause freezes the last time drawn.
    browser.evaluate("document.querySelector('#history-bar [data-minutes=\"5\"]').click()")
    check(browser.evaluate("document.querySelector('#history-bar [data-minutes=\"5\"]').getAttribute('aria-pressed')") == 'true',
          'the 5 min button did not take')

    # Hover: the pointer over the CPU chart shows a time and a value per core type.
    box = browser.evaluate("""(() => { const r = document.querySelector('figure[data-chart="busy by core type"] canvas')
        .getBoundingClientRect(); return [r.left + r.width * 0.97, r.top + r.height / 2]; })()""")
    browser.send('Input.dispatchMouseEvent', type='mouseMoved', x=box[0], y=box[1])
    tip = browser.wait_for("""(() => { const t = document.querySelector('figure[data-chart="busy by core type"] .tip');
        return t.hidden ? null : t.textContent; })()""", what='the hover tip')
    check(re.search(r'\d\d:\d\d:\d\d', tip) and re.search(r'performance \d+ %', tip), f'hover tip: {tip}')

    browser.send('Input.dispatchMouseEvent', type='mouseMoved', x=1, y=1)  # the tip would hide the lines
    for width, scheme in ((1280, 'light'), (1280, 'dark'), (390, 'light'), (390, 'dark')):
        browser.send('Emulation.setDeviceMetricsOverride', width=width, height=1800 if width > 400 else 2400,
                     deviceScaleFactor=1, mobile=width < 400)
        browser.send('Emulation.setEmulatedMedia', features=[{'name': 'prefers-color-scheme', 'value': scheme}])
        browser.evaluate("dispatchEvent(new Event('resize'))")
        time.sleep(0.5)
        overflow = browser.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(overflow <= 0, f'at {width} px the page is {overflow} px too wide')
        for chart in browser.evaluate(CHARTS):
            check(chart['series'] == 0 or chart['ink'] > 50, f'at {width} px {scheme}, "{chart["title"]}" is blank')
        browser.screenshot(SHOTS / f'ui-history-{width}-{scheme}.png')
    browser.send('Emulation.clearDeviceMetricsOverride')
    browser.send('Emulation.setEmulatedMedia', features=[{'name': 'prefers-color-scheme', 'value': 'light'}])

    # The exporter goes away: the charts keep their points and say "disconnected".
    before = browser.evaluate("Number(document.body.dataset.historyPoints)")
    exporter.kill()
    exporter.wait(timeout=10)
    note = browser.wait_for("document.body.dataset.connected === 'false' && document.getElementById('history-note').textContent",
                            timeout=15, what='the disconnected mark')
    check('Disconnected' in note, f'note while the exporter is gone: {note}')
    kept = browser.evaluate(CHARTS)
    check(all(c['series'] == 0 or c['points'] > 0 for c in kept), 'charts lost their points while disconnected')
    browser.screenshot(SHOTS / 'ui-history-1280-disconnected.png')
    # It comes back (empty: a restart starts the history afresh): new points follow the old.
    exporter, _ = start_exporter(port=port)
    browser.wait_for(f"document.body.dataset.connected === 'true' && Number(document.body.dataset.historyPoints) >= {before + 6}",
                     timeout=30, what='new points after the restart')
    note = browser.evaluate("document.getElementById('history-note').textContent")
    check('restarted' in note, f'the restart is not said: {note}')
    # --web.ui.history=0: no sampler thread, and /api/history says so.
    threads = lambda process: len(os.listdir(f'/proc/{process.pid}/task'))
    off, off_port = start_exporter(history='0')
    try:
        get(f'http://127.0.0.1:{off_port}/api/history')
        check(False, '--web.ui.history=0 still serves /api/history')
    except urllib.error.HTTPError as error:
        check(error.code == 404, f'--web.ui.history=0: /api/history answered {error.code}')
    get(f'http://127.0.0.1:{off_port}/metrics')  # collectors that start a helper thread on first use do so here too
    get(f'{base}/metrics')
    check(threads(off) == threads(exporter) - 1, f'threads with history off {threads(off)}, on {threads(exporter)}')
    # The containers table: by CPU first, by memory after a click on that column.
    browser.send('Page.navigate', url=f'http://127.0.0.1:{serve_with_containers(base)}/')
    order = browser.wait_for("""(() => { const r = [...document.querySelectorAll('#container-table tr[data-name]')];
        return r.length === 2 && r[0].cells[1].textContent !== '–' ? r.map(x => x.dataset.name) : null; })()""",
                             what='the containers table with CPU figures')
    check(order == ['busy', 'big'], f'by CPU: {order}')
    browser.evaluate("document.querySelector('#container-table button[data-sort=\"mem\"]').click()")
    order = browser.evaluate("[...document.querySelectorAll('#container-table tr[data-name]')].map(x => x.dataset.name)")
    check(order == ['big', 'busy'], f'by memory: {order}')
    print(f'ok: live page history: {exporters.checks} checks; {len(charts)} charts drew {sum(c["points"] for c in charts)} points; '
          f'hover, zoom, disconnect and resume; screenshots in {SHOTS}')
finally:
    stop.set()
    if browser:
        browser.close()
    exporters.close()
