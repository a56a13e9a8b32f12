// The live page: fetches /metrics every 2 s (same origin, so basic auth and TLS apply as they do
// to the page), computes rates from consecutive samples here in the browser, and shows only what
// this machine exports. The exporter does nothing for the page beyond serving /metrics.
'use strict';

const REFRESH_MS = 2000;
const STATES = ['nominal', 'fair', 'serious', 'critical'];
const PRESSURE = ['normal', 'warning', 'critical'];
const IDLE_MODES = new Set(['idle', 'iowait']);
let previous = null;  // {time, metrics} of the last good scrape

// Text format 0.0.4 into name -> [{labels, value}].
function parse(text) {
  const metrics = new Map();
  for (const line of text.split('\n')) {
    if (!line || line[0] === '#') continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    const labelRe = /(\w+)="((?:[^"\\]|\\.)*)"/g;
    let l;
    while ((l = labelRe.exec(match[2] || '')) !== null) {
      labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    }
    const value = match[3] === 'Nan' ? NaN : Number(match[3]);
    if (!metrics.has(match[1])) metrics.set(match[1], []);
    metrics.get(match[1]).push({labels, value});
  }
  return metrics;
}

const series = (m, name) => m.get(name) || [];
const one = (m, name) => (m.get(name) || [])[0]?.value;
const key = (labels, names) => names.map((n) => labels[n]).join('\u0000');

// Per-second rate of a counter between two scrapes, by the labels named; counter resets skipped.
function rates(m, before, name, names, seconds) {
  const earlier = new Map(series(before, name).map((s) => [key(s.labels, names), s.value]));
  const out = [];
  for (const s of series(m, name)) {
    const old = earlier.get(key(s.labels, names));
    if (old !== undefined && s.value >= old && seconds > 0) out.push({labels: s.labels, value: (s.value - old) / seconds});
  }
  return out;
}

function bytes(n) {
  if (n === undefined || !isFinite(n)) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n.toFixed(0) : n.toFixed(n >= 100 ? 0 : 1)) + ' ' + units[i];
}
const pct = (r) => (r * 100).toFixed(0) + ' %';
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'style') node.style.cssText = v;  // CSSOM: allowed by the page's CSP, a style attribute is not
    else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function show(id, visible) { $(id).hidden = !visible; return visible; }

function table(id, head, rows) {
  const t = $(id);
  t.replaceChildren();
  if (!rows.length) return;
  t.append(el('tr', {}, ...head.map((h, i) => el('th', {class: i ? 'n' : ''}, h))));
  for (const r of rows) t.append(el('tr', r.attrs || {}, ...r.cells.map((c, i) => el('td', {class: i ? 'n' : ''}, c))));
}

// CPU: busy share of each core between the last two scrapes (time-independent: busy ticks over
// all ticks), grouped by core type.
function renderCpu(m, before) {
  const now = new Map();
  for (const s of series(m, 'silicon_cpu_seconds_total')) {
    const k = s.labels.cpu;
    const c = now.get(k) || {type: s.labels.core_type || 'unknown', busy: 0, all: 0};
    c.all += s.value;
    if (!IDLE_MODES.has(s.labels.mode)) c.busy += s.value;
    now.set(k, c);
  }
  if (!show('cpu', now.size > 0)) return;
  const then = new Map();
  for (const s of series(before, 'silicon_cpu_seconds_total')) {
    const c = then.get(s.labels.cpu) || {busy: 0, all: 0};
    c.all += s.value;
    if (!IDLE_MODES.has(s.labels.mode)) c.busy += s.value;
    then.set(s.labels.cpu, c);
  }
  const groups = new Map();
  for (const [cpu, c] of [...now].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    const p = then.get(cpu);
    const util = p && c.all > p.all ? (c.busy - p.busy) / (c.all - p.all) : undefined;
    if (!groups.has(c.type)) groups.set(c.type, []);
    groups.get(c.type).push({cpu, util});
  }
  const order = ['performance', 'efficiency', 'unknown'];
  $('core-groups').replaceChildren(...[...groups].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([type, cores]) => {
    const known = cores.filter((c) => c.util !== undefined);
    const avg = known.length ? known.reduce((s, c) => s + c.util, 0) / known.length : undefined;
    return el('div', {class: 'group', 'data-core-type': type, 'data-util': avg ?? ''},
      el('h3', {}, `${type} · ${cores.length} cores · ${avg === undefined ? '–' : pct(avg)}`),
      el('div', {class: 'cores'}, ...cores.map((c) => el('div', {class: `core ${type}`, 'data-cpu': c.cpu, 'data-util': c.util ?? '', title: `CPU ${c.cpu}`},
        el('i', {style: `height:${((c.util || 0) * 100).toFixed(1)}%`}), el('span', {}, c.util === undefined ? '–' : pct(c.util))))));
  }));
  const load = ['1', '5', '15'].map((n) => one(m, `silicon_load${n}`)).filter((v) => v !== undefined);
  $('load').textContent = load.length === 3 ? `load ${load.map((v) => v.toFixed(2)).join(' ')}` : '';
}

function renderMemory(m, before, seconds) {
  const total = one(m, 'silicon_memory_total_bytes');
  if (!show('memory', total !== undefined)) return;
  const parts = [['used', 'silicon_memory_used_bytes', 'var(--p)'], ['wired', 'silicon_memory_wired_bytes', 'var(--serious)'],
    ['compressed', 'silicon_memory_compressed_bytes', 'var(--e)'], ['cached', 'silicon_memory_cached_bytes', 'var(--u)'],
    ['free', 'silicon_memory_free_bytes', 'var(--line)'], ['available', 'silicon_memory_available_bytes', null],
    ['swap used', 'silicon_swap_used_bytes', null], ['swap total', 'silicon_swap_total_bytes', null]];
  const present = parts.map(([label, name, color]) => ({label, name, color, value: one(m, name)})).filter((p) => p.value !== undefined);
  $('mem-summary').textContent = `${bytes(one(m, 'silicon_memory_used_bytes'))} of ${bytes(total)}`;
  $('mem-bar').replaceChildren(...present.filter((p) => p.color && p.label !== 'free')
    .map((p) => el('i', {title: p.label, style: `width:${(100 * p.value / total).toFixed(2)}%;background:${p.color}`})));
  const rows = [['total', 'silicon_memory_total_bytes', total], ...present.map((p) => [p.label, p.name, p.value])];
  for (const [dir, name] of [['swap in', 'silicon_swap_in_bytes_total'], ['swap out', 'silicon_swap_out_bytes_total']]) {
    const r = rates(m, before, name, [], seconds)[0];
    if (r) rows.push([dir, name, r.value, '/s']);
  }
  $('mem-list').replaceChildren(...rows.flatMap(([label, name, value, per]) =>
    [el('dt', {}, label), el('dd', {'data-metric': name, 'data-value': String(value)}, bytes(value) + (per || ''))]));
  const level = one(m, 'silicon_memory_pressure_level');
  const badge = $('pressure-badge');
  badge.hidden = level === undefined;
  if (level !== undefined) {
    badge.textContent = `memory ${PRESSURE[level] || level}`;
    badge.className = `badge s${level === 2 ? 3 : level}`;
    badge.dataset.value = level;
  }
}

function renderThermal(m) {
  const state = one(m, 'silicon_thermal_state');
  const badge = $('thermal-badge');
  badge.hidden = state === undefined;
  if (state !== undefined) {
    badge.textContent = `thermal ${STATES[state] || state}`;
    badge.className = `badge s${state}`;
    badge.dataset.value = state;
  }
  const temps = series(m, 'silicon_temperature_celsius').slice().sort((a, b) => b.value - a.value).slice(0, 8);
  const fans = series(m, 'silicon_fan_speed_rpm');
  if (!show('thermal', temps.length > 0 || fans.length > 0)) return;
  table('sensors', ['hottest sensors', '°C'], temps.map((s) => ({cells: [`${s.labels.chip} ${s.labels.sensor}`, s.value.toFixed(1)]})));
  table('fans', ['fan', 'rpm'], fans.map((s) => ({cells: [`${s.labels.chip} ${s.labels.fan}`, s.value.toFixed(0)]})));
}

function renderGpu(m, before, seconds) {
  const info = series(m, 'silicon_gpu_info');
  // Apple: busy share from IOReport residency between two scrapes, over the instantaneous reading.
  const active = new Map(rates(m, before, 'silicon_gpu_active_seconds_total', ['gpu'], seconds)
    .map((r) => [r.labels.gpu, r.value]));
  const ids = [...new Set([...info, ...series(m, 'silicon_gpu_utilization_ratio')].map((s) => s.labels.gpu))];
  if (!show('gpu', ids.length > 0)) return;
  const by = (name, gpu) => series(m, name).find((s) => s.labels.gpu === gpu)?.value;
  table('gpus', ['GPU', 'busy', 'memory', 'power'], ids.map((gpu) => {
    const name = info.find((s) => s.labels.gpu === gpu)?.labels.name || `gpu ${gpu}`;
    const util = active.get(gpu) ?? by('silicon_gpu_utilization_ratio', gpu), used = by('silicon_gpu_memory_used_bytes', gpu);
    const total = by('silicon_gpu_memory_total_bytes', gpu), power = by('silicon_gpu_power_watts', gpu);
    return {cells: [name, util === undefined ? '–' : pct(util), used === undefined ? '–' : bytes(used) + (total ? ` / ${bytes(total)}` : ''),
      power === undefined ? '–' : power.toFixed(1) + ' W']};
  }));
}

function renderEnergy(m, before, seconds) {
  const watts = rates(m, before, 'silicon_energy_joules_total', ['domain', 'zone'], seconds);
  const system = series(m, 'silicon_system_power_watts')[0]?.value;
  const active = rates(m, before, 'silicon_cpu_cluster_active_seconds_total', ['cluster'], seconds);
  const cycles = new Map(rates(m, before, 'silicon_cpu_cluster_cycles_total', ['cluster'], seconds)
    .map((r) => [r.labels.cluster, r.value]));
  if (!show('energy', watts.length > 0 || system !== undefined || active.length > 0)) return;
  // Linux RAPL names a zone per socket: "core (intel-rapl:0:0)"; Apple's domains stand alone.
  const rows = watts.map((w) => ({cells: [w.labels.zone ? `${w.labels.domain} (${w.labels.zone})` : w.labels.domain,
    w.value.toFixed(2)]}));
  if (system !== undefined) rows.push({cells: ['whole machine', system.toFixed(2)]});
  table('domains', ['domain', 'W'], rows);
  // Average frequency while running = cycles / running time, over the same interval.
  table('clusters', ['cluster', 'busy', 'MHz'], active.map((a) => {
    const hz = cycles.get(a.labels.cluster);
    return {cells: [`${a.labels.cluster} (${a.labels.core_type})`, pct(a.value),
      hz === undefined || a.value <= 0 ? '–' : (hz / a.value / 1e6).toFixed(0)]};
  }));
}

function renderIo(m, before, seconds) {
  const read = rates(m, before, 'silicon_disk_read_bytes_total', ['device'], seconds);
  const written = new Map(rates(m, before, 'silicon_disk_written_bytes_total', ['device'], seconds).map((r) => [r.labels.device, r.value]));
  const rx = rates(m, before, 'silicon_network_receive_bytes_total', ['device'], seconds);
  const tx = new Map(rates(m, before, 'silicon_network_transmit_bytes_total', ['device'], seconds).map((r) => [r.labels.device, r.value]));
  if (!show('io', read.length > 0 || rx.length > 0)) return;
  table('disks', ['disk', 'read/s', 'written/s'], read.map((r) => ({cells: [r.labels.device, bytes(r.value), bytes(written.get(r.labels.device))]})));
  table('nets', ['interface', 'received/s', 'sent/s'], rx.map((r) => ({cells: [r.labels.device, bytes(r.value), bytes(tx.get(r.labels.device))]})));
}

function renderFilesystems(m) {
  const size = series(m, 'silicon_filesystem_size_bytes');
  if (!show('filesystems', size.length > 0)) return;
  const avail = new Map(series(m, 'silicon_filesystem_avail_bytes').map((s) => [s.labels.mountpoint, s.value]));
  table('mounts', ['mount point', 'used', 'size'], size.map((s) => {
    const a = avail.get(s.labels.mountpoint);
    return {cells: [s.labels.mountpoint, s.value > 0 && a !== undefined ? pct(1 - a / s.value) : '–', bytes(s.value)]};
  }));
}

// Every container with its CPU (cores, between the last two scrapes) and working set, sorted by
// the column last clicked.
let containerSort = 'cpu';
function renderContainers(m, before, seconds) {
  const cpu = new Map(rates(m, before, 'silicon_container_cpu_usage_seconds_total', ['id'], seconds).map((r) => [r.labels.id, r.value]));
  const mem = series(m, 'silicon_container_memory_working_set_bytes');
  if (!show('containers', mem.length > 0 || cpu.size > 0)) return;
  const rows = mem.map((s) => ({name: s.labels.name, cpu: cpu.get(s.labels.id), mem: s.value}));
  const by = (r) => (containerSort === 'cpu' ? r.cpu : r.mem) ?? -1;
  rows.sort((a, b) => by(b) - by(a) || a.name.localeCompare(b.name));
  const t = $('container-table');
  const head = (key, text) => el('th', {class: 'n'}, el('button', {type: 'button', 'data-sort': key,
    'aria-sort': containerSort === key ? 'descending' : 'none'}, text + (containerSort === key ? ' ▾' : '')));
  t.replaceChildren(el('tr', {}, el('th', {}, 'container'), head('cpu', 'CPU (cores)'), head('mem', 'memory')),
    ...rows.map((r) => el('tr', {'data-name': r.name}, el('td', {}, r.name),
      el('td', {class: 'n'}, r.cpu === undefined ? '–' : r.cpu.toFixed(2)), el('td', {class: 'n'}, bytes(r.mem)))));
  t.onclick = (event) => {
    const button = event.target.closest('button[data-sort]');
    if (!button) return;
    containerSort = button.dataset.sort;
    renderContainers(m, before, seconds);
  };
}

function renderCollectors(m) {
  $('collector-list').replaceChildren(...series(m, 'silicon_scrape_collector_success').map((s) =>
    el('li', {class: s.value === 1 ? '' : 'failed', 'data-collector': s.labels.collector}, s.labels.collector + (s.value === 1 ? '' : ' failed'))));
  const build = series(m, 'silicon_exporter_build_info')[0];
  if (build) $('build').textContent = `silicon_exporter ${build.labels.version} (${build.labels.platform})`;
}

function render(m, before, seconds) {
  renderCpu(m, before);
  renderMemory(m, before, seconds);
  renderThermal(m);
  renderGpu(m, before, seconds);
  renderEnergy(m, before, seconds);
  renderIo(m, before, seconds);
  renderFilesystems(m);
  renderContainers(m, before, seconds);
  renderCollectors(m);
}

async function tick() {
  try {
    const response = await fetch('metrics', {cache: 'no-store', credentials: 'same-origin'});
    if (!response.ok) throw new Error(`the exporter answered ${response.status} ${response.statusText}`);
    const metrics = parse(await response.text());
    const time = performance.now();
    const before = previous ? previous.metrics : new Map();
    render(metrics, before, previous ? (time - previous.time) / 1000 : 0);
    previous = {time, metrics};
    $('error').hidden = true;
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.scrapes = String(Number(document.body.dataset.scrapes || 0) + 1);
  } catch (error) {
    $('error').textContent = `Cannot reach the exporter (${error.message}); retrying every ${REFRESH_MS / 1000} s.`;
    $('error').hidden = false;
  } finally {
    setTimeout(tick, REFRESH_MS);
  }
}

tick();
