#!/usr/bin/env python3
"""The live page in a real browser (Debian's headless Chromium over the DevTools protocol).

The exporter runs on a copy of the laptop tree whose /proc/stat a thread keeps advancing, every
core 50 % busy. The page must show the numbers /metrics has (memory to the byte, thermal and
pressure levels, every collector), each core at 50 %; send its security headers; say so when the
exporter goes away and recover by itself when it is back; work behind basic auth; and give way to
the text landing page for scripts, for ?format=text and with --web.disable-ui. Screenshots go to
UI_SCREENSHOTS (default: the build folder).

Environment: EXPORTER, FIXTURES; exits 77 (skipped) without chromium."""
import base64
import http.server
import os
import pathlib
import re
import shutil
import signal
import sys
import threading
import time
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

exporters = LaptopExporters(EXPORTER, FIXTURES, 'silicon-ui-test-')
tree, check, start_exporter = exporters.tree, exporters.check, exporters.start


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def serve_mac():
    """Serves the page's files and the M3 Max exposition on a free port; returns the port."""
    ui = FIXTURES.parent.parent / 'exporter' / 'ui'
    golden = (FIXTURES.parent / 'golden' / 'm3-max.prom').read_text()
    scrapes = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = self.path.split('?')[0]
            if path == '/metrics':
                scrapes[0] += 1
                body = advance_mac(golden, scrapes[0])
                kind = 'text/plain; version=0.0.4'
            else:
                # No /api/history here: the page says the history is off and shows the current numbers.
                name = {'/': 'index.html', '/ui.js': 'ui.js', '/history.js': 'history.js', '/ui.css': 'ui.css'}.get(path)
                if name is None:
                    self.send_error(404)
                    return
                body = (ui / name).read_text()
                kind = {'index.html': 'text/html', 'ui.js': 'text/javascript', 'history.js': 'text/javascript', 'ui.css': 'text/css'}[name]
            data = body.encode()
            self.send_response(200)
            self.send_header('Content-Type', kind)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


MAC_STEPS = {  # per scrape: the CPU at 9.8 W, PCPU1 busy half the time at 3.0 GHz
    'silicon_energy_joules_total{domain="cpu"}': 9.8,
    'silicon_cpu_cluster_active_seconds_total{cluster="PCPU1",core_type="performance"}': 0.5,
    'silicon_cpu_cluster_cycles_total{cluster="PCPU1",core_type="performance"}': 0.5 * 3.0e9,
    'silicon_gpu_active_seconds_total{gpu="0"}': 0.6,
}


def advance_mac(text, n):
    """The M3 Max exposition n scrapes later: P cores 75 % busy, E cores 25 %, plus MAC_STEPS."""
    out = []
    for line in text.split('\n'):
        match = re.match(r'^(silicon_cpu_seconds_total\{.*core_type="(\w+)".*mode="(\w+)"\}) (\S+)$', line)
        if match:
            busy = 0.75 if match.group(2) == 'performance' else 0.25
            step = {'user': busy, 'idle': 1 - busy}.get(match.group(3), 0) * n
            line = f'{match.group(1)} {float(match.group(4)) + step}'
        series, _, value = line.rpartition(' ')
        if series in MAC_STEPS:
            line = f'{series} {float(value) + MAC_STEPS[series] * n}'
        out.append(line)
    return '\n'.join(out)


# Every core 50 % busy: each step adds as many user as idle ticks, so the page's share of busy ticks
# between any two scrapes is 0.5 however many steps fell between them.
stat_path = tree / 'proc' / 'stat'
stat_lines = stat_path.read_text().split('\n')
stop = threading.Event()


def advance_stat():
    step = 0
    while not stop.wait(0.05):
        step += 1
        lines = []
        for line in stat_lines:
            fields = line.split()
            if fields and fields[0].startswith('cpu'):
                fields[1] = str(int(fields[1]) + 10 * step)  # user
                fields[4] = str(int(fields[4]) + 10 * step)  # idle
                line = ' '.join(fields)
            lines.append(line)
        temporary = stat_path.with_suffix('.new')
        temporary.write_text('\n'.join(lines))
        temporary.replace(stat_path)  # atomic: a scrape sees the old or the new file, never half


advancer = threading.Thread(target=advance_stat, daemon=True)
advancer.start()
browser = None
try:
    exporter, port = start_exporter()
    base = f'http://127.0.0.1:{port}'

    # What a script and a browser get at /, and the page's security headers.
    status, headers, body = get(base + '/')
    check(status == 200 and 'Enabled collectors' in body, 'curl-like client at / did not get the text landing page')
    status, headers, body = get(base + '/', {'Accept': 'text/html'})
    check(status == 200 and 'ui.js' in body, 'a browser at / did not get the live page')
    check("default-src 'none'" in headers.get('Content-Security-Policy', ''), f'no strict CSP: {headers}')
    check(headers.get('X-Content-Type-Options') == 'nosniff', 'no nosniff')
    status, _, body = get(base + '/?format=text', {'Accept': 'text/html'})
    check('Enabled collectors' in body, '?format=text did not give the text landing page')
    size = sum(len(get(base + path, {'Accept': 'text/html'})[2].encode()) for path in ('/', '/ui.js', '/ui.css'))
    check(size < 40 * 1024, f'the page weighs {size} bytes, over 40 KB')

    browser = Browser(CHROMIUM)
    browser.send('Page.enable')
    browser.send('Page.navigate', url=base + '/')
    browser.wait_for("Number(document.body.dataset.scrapes || 0) >= 3", what='three refreshes')
    # Cores at 50 %: wait for a refresh that saw the counters move on every core.
    utils = browser.wait_for("""(() => { const u = [...document.querySelectorAll('.core')].map(c => c.dataset.util);
        return u.length && u.every(x => x !== '') ? u.map(Number) : null; })()""", what='a utilisation on every core')
    check(len(utils) == 16, f'expected 16 cores, the page shows {len(utils)}')
    check(all(abs(u - 0.5) < 0.005 for u in utils), f'cores not at 50 %: {utils}')
    groups = browser.evaluate("[...document.querySelectorAll('.group')].map(g => g.dataset.coreType)")
    check(groups == ['performance', 'efficiency'], f'core groups: {groups}')

    # Memory to the byte, levels and collectors as /metrics says (the fixture's values do not move).
    _, _, metrics = get(base + '/metrics')
    exposed = {}
    for line in metrics.split('\n'):
        match = re.match(r'^(silicon_[a-z_]+)(\{[^}]*\})? (\S+)$', line)
        if match and match.group(2) is None:
            exposed[match.group(1)] = float(match.group(3))
    shown = browser.evaluate("Object.fromEntries([...document.querySelectorAll('#mem-list dd')]"
                             ".filter(d => !d.dataset.metric.endsWith('_total')).map(d => [d.dataset.metric, Number(d.dataset.value)]))")
    check(len(shown) >= 8, f'memory shows too little: {shown}')
    for name, value in shown.items():
        check(exposed.get(name) == value, f'{name}: page {value}, /metrics {exposed.get(name)}')
    check(browser.evaluate("document.getElementById('thermal-badge').dataset.value") == str(int(exposed['silicon_thermal_state'])),
          'thermal badge differs from silicon_thermal_state')
    check(browser.evaluate("document.getElementById('pressure-badge').dataset.value") ==
          str(int(exposed['silicon_memory_pressure_level'])), 'pressure badge differs')
    collectors = browser.evaluate("[...document.querySelectorAll('#collector-list li')].map(l => l.dataset.collector)")
    check(set(collectors) == set(re.findall(r'silicon_scrape_collector_success\{collector="(\w+)"\}', metrics)),
          f'collectors shown: {collectors}')
    check(browser.evaluate("!document.getElementById('gpu').hidden && !document.getElementById('energy').hidden"
                           " && document.getElementById('containers').hidden"),
          'a section without data is shown (containers) or one with data hidden (gpu, energy from RAPL)')
    check('package-0 (intel-rapl:0)' in browser.evaluate("document.getElementById('domains').textContent"),
          'no RAPL package row')
    # Charts in sections that ui.js showed after history.js first drew (power, disks: rates need two
    # scrapes) were left blank until the next poll, 5 s later: each chart with series has pixels.
    browser.wait_for("Number(document.body.dataset.historyPoints || 0) >= 2 && "
                     "document.querySelector('figure[data-chart=\"power\"]').dataset.series > 0", what='two history samples')
    blank = browser.evaluate("""[...document.querySelectorAll('figure.chart')].filter(f => !f.hidden && f.dataset.series > 0)
        .filter(f => { const c = f.querySelector('canvas'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                       for (let i = 3; i < d.length; i += 4) if (d[i]) return false; return true; }).map(f => f.dataset.chart)""")
    check(blank == [], f'charts with series but no pixels: {blank}')
    browser.screenshot(SHOTS / 'ui-laptop.png')
    # Dark follows the system setting.
    light = browser.evaluate("getComputedStyle(document.body).backgroundColor")
    browser.send('Emulation.setEmulatedMedia', features=[{'name': 'prefers-color-scheme', 'value': 'dark'}])
    dark = browser.evaluate("getComputedStyle(document.body).backgroundColor")
    check(light != dark, f'no dark scheme: {light} both ways')
    browser.screenshot(SHOTS / 'ui-laptop-dark.png')
    browser.send('Emulation.setEmulatedMedia', features=[{'name': 'prefers-color-scheme', 'value': 'light'}])

    # The exporter goes away: the page says so; it comes back: the page recovers by itself.
    exporter.send_signal(signal.SIGTERM)
    exporter.wait(timeout=10)
    message = browser.wait_for("(() => { const e = document.getElementById('error'); return e.hidden ? null : e.textContent; })()",
                               timeout=10, what='the failure message')
    check('Cannot reach the exporter' in message, f'failure message: {message}')
    browser.screenshot(SHOTS / 'ui-exporter-gone.png')
    before = browser.evaluate("Number(document.body.dataset.scrapes)")
    exporter, _ = start_exporter(port=port)
    browser.wait_for(f"document.getElementById('error').hidden && Number(document.body.dataset.scrapes) > {before}",
                     timeout=15, what='recovery after the exporter came back')

    # Behind basic auth: the browser sends the credentials, the page's fetches go through.
    _, auth_port = start_exporter(f'--web.config.file={FIXTURES}/web/basic-auth.yml')
    check(get(f'http://127.0.0.1:{auth_port}/', {'Accept': 'text/html'})[0] == 401, 'the page is served without credentials')
    check(get(f'http://127.0.0.1:{auth_port}/api/history')[0] == 401, 'the history is served without credentials')
    check(get(f'http://127.0.0.1:{auth_port}/api/history',
              {'Authorization': 'Basic ' + base64.b64encode(b'prometheus:s3cret').decode()})[0] == 200,
          'the history is refused with credentials')
    browser.send('Network.enable')
    browser.send('Network.setExtraHTTPHeaders',
                 headers={'Authorization': 'Basic ' + base64.b64encode(b'prometheus:s3cret').decode()})
    browser.send('Page.navigate', url=f'http://127.0.0.1:{auth_port}/')
    browser.wait_for("Number(document.body.dataset.scrapes || 0) >= 2 && document.getElementById('error').hidden",
                     what='two refreshes behind basic auth')

    # --web.disable-ui: / is the text landing page for everyone, the page's files are gone.
    _, plain_port = start_exporter('--web.disable-ui')
    check('Enabled collectors' in get(f'http://127.0.0.1:{plain_port}/', {'Accept': 'text/html'})[2],
          '--web.disable-ui still serves the live page')
    check(get(f'http://127.0.0.1:{plain_port}/ui.js')[0] == 404, '--web.disable-ui still serves ui.js')
    # A Mac: the M3 Max exposition built through the macOS converters (tests/golden/m3-max.prom),
    # served with the page's own files; each scrape moves the P cores 75 % busy, the E cores 25 %.
    mac_port = serve_mac()
    browser.send('Network.setExtraHTTPHeaders', headers={})
    browser.send('Page.navigate', url=f'http://127.0.0.1:{mac_port}/')
    mac = browser.wait_for("""(() => { const g = [...document.querySelectorAll('.group')];
        return g.length && g.every(x => x.dataset.util !== '') ?
          g.map(x => [x.dataset.coreType, x.querySelectorAll('.core').length, Number(x.dataset.util)]) : null; })()""",
                           what='core groups of the Mac')
    check([(t, n) for t, n, _ in mac] == [('performance', 12), ('efficiency', 4)], f'Mac core groups: {mac}')
    check(abs(mac[0][2] - 0.75) < 0.005 and abs(mac[1][2] - 0.25) < 0.005, f'Mac utilisation: {mac}')
    check('Apple M3 Max' in browser.evaluate("document.getElementById('gpus').textContent"), 'no M3 Max GPU row')
    # The GPU's busy share comes from IOReport residency (0.6 s per scrape), not the 37 % reading.
    gpu_busy = browser.wait_for("""(() => { const c = document.querySelector('#gpus tr:nth-child(2)')?.cells[1]?.textContent;
        return c && c !== '37 %' ? c : null; })()""", what='the Mac GPU busy share from IOReport')
    check(browser.evaluate("document.getElementById('mem-list').textContent.includes('wired')"), 'no wired memory')
    power = browser.wait_for("""(() => { const t = document.getElementById('domains').textContent,
        c = document.getElementById('clusters').textContent; return c.includes('3000') ? [t, c] : null; })()""",
                             what='the Mac\'s CPU power and PCPU1 frequency')
    cpu_watts = browser.evaluate("""Number([...document.querySelectorAll('#domains tr')]
        .find(r => r.cells[0].textContent === 'cpu').cells[1].textContent)""")
    # 9.8 J per scrape; the page divides by its own clock, about one scrape a second.
    check(4 < cpu_watts < 20 and 'whole machine' in power[0], f'Mac power: {cpu_watts} W, {power}')
    browser.screenshot(SHOTS / 'ui-m3-max.png')
    print(f'ok: live page: {exporters.checks} checks; 16 cores at 50 %, memory to the byte, failure and recovery, basic auth, '
          f'an M3 Max at 12 P + 4 E cores; screenshots in {SHOTS}')
finally:
    stop.set()
    if browser:
        browser.close()
    exporters.close()
