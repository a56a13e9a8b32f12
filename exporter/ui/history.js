// The live page's charts: the exporter samples in the background and keeps the last hour in
// memory (/api/history); this script fetches it once, then only what is new (?since=), and draws
// every chart itself on canvas. No library, nothing from anywhere but this exporter.
'use strict';

const past = {times: [], series: new Map(), interval: 5, window: 3600, started: null, restarts: []};
const view = {minutes: 15, paused: null, connected: null};
const charts = [];
const GAP = 2.5;  // more than this many intervals between two samples: the line breaks (no data)

// What each chart draws: the series it picks from /api/history, how it names them, their unit.
const SPECS = [
  {panel: 'cpu', title: 'busy by core type', unit: 'ratio', max: 1, pick: (s) => s.name === 'cpu_busy_ratio', name: (s) => s.labels.core_type},
  {panel: 'cpu', title: 'load average', unit: 'plain', pick: (s) => /^load(1|5|15)$/.test(s.name), name: (s) => s.name.slice(4) + ' min'},
  {panel: 'memory', title: 'memory', unit: 'bytes', stacked: true, pick: (s) => /^memory_(wired|compressed|app|cached)_bytes$/.test(s.name),
    name: (s) => s.name.split('_')[1], order: ['wired', 'compressed', 'app', 'cached']},
  {panel: 'memory', title: 'swap traffic', unit: 'bytes/s', pick: (s) => /^swap_(in|out)_bytes_per_second$/.test(s.name), name: (s) => 'swap ' + s.name.split('_')[1]},
  {panel: 'memory', title: 'memory pressure', unit: 'level', max: 2, pick: (s) => s.name === 'memory_pressure_level', name: () => 'pressure', levels: ['normal', 'warning', 'critical']},
  {panel: 'thermal', title: 'hottest sensor', unit: '°C', pick: (s) => s.name === 'temperature_max_celsius', name: () => 'hottest'},
  {panel: 'thermal', title: 'fans', unit: 'rpm', pick: (s) => s.name === 'fan_speed_rpm', name: (s) => s.labels.fan},
  {panel: 'thermal', title: 'thermal state', unit: 'level', max: 3, pick: (s) => s.name === 'thermal_state', name: () => 'state', levels: ['nominal', 'fair', 'serious', 'critical']},
  {panel: 'gpu', title: 'GPU busy', unit: 'ratio', max: 1, pick: (s) => s.name === 'gpu_busy_ratio', name: (s) => 'gpu ' + s.labels.gpu},
  {panel: 'gpu', title: 'GPU memory', unit: 'bytes', pick: (s) => s.name === 'gpu_memory_used_bytes', name: (s) => 'gpu ' + s.labels.gpu},
  {panel: 'energy', title: 'power', unit: 'W', pick: (s) => s.name === 'power_watts', name: (s) => s.labels.domain},
  {panel: 'energy', title: 'cluster frequency', unit: 'Hz', pick: (s) => s.name === 'cluster_frequency_hertz', name: (s) => s.labels.cluster},
  {panel: 'io', title: 'disks', unit: 'bytes/s', pick: (s) => /^disk_\w+_per_second$/.test(s.name), name: (s) => s.name.split('_')[1]},
  {panel: 'io', title: 'network', unit: 'bytes/s', pick: (s) => /^network_\w+_per_second$/.test(s.name), name: (s) => s.name.split('_')[1]},
  {panel: 'containers', title: 'top containers by CPU', unit: 'cores', top: 5, pick: (s) => s.name === 'container_cpu_cores', name: (s) => s.labels.name},
  {panel: 'containers', title: 'top containers by memory', unit: 'bytes', top: 5, pick: (s) => s.name === 'container_memory_bytes', name: (s) => s.labels.name},
];

function format(value, unit) {
  if (value === null || value === undefined || !isFinite(value)) return '–';
  if (unit === 'ratio') return (value * 100).toFixed(0) + ' %';
  if (unit === 'bytes' || unit === 'bytes/s') return bytes(value) + (unit === 'bytes/s' ? '/s' : '');
  if (unit === 'Hz') return (value / 1e6).toFixed(0) + ' MHz';
  if (unit === 'level') return String(Math.round(value));
  if (unit === 'plain' || unit === 'cores') return value.toFixed(2);
  return value.toFixed(value >= 100 ? 0 : 1) + ' ' + unit;
}

const clock = (ms) => new Date(ms).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'});
const css = (name) => getComputedStyle(document.body).getPropertyValue(name).trim();
const PALETTE = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6'];

// The page keeps its own copy: a series absent from a batch gets gaps, a new one gaps before it.
function merge(batch) {
  const n = batch.timestamps.length;
  if (!n) return;
  const before = past.times.length;
  past.times.push(...batch.timestamps);
  const seen = new Set();
  for (const s of batch.series) {
    const key = s.name + JSON.stringify(s.labels);
    seen.add(key);
    let mine = past.series.get(key);
    if (!mine) past.series.set(key, mine = {name: s.name, labels: s.labels, values: new Array(before).fill(null)});
    mine.values.push(...s.values);
  }
  for (const [key, mine] of past.series) if (!seen.has(key)) mine.values.push(...new Array(n).fill(null));
  // Nothing older than the exporter's window is drawn: forget it.
  const oldest = past.times[past.times.length - 1] - past.window * 1000;
  const drop = past.times.findIndex((t) => t >= oldest);
  if (drop > 0) {
    past.times.splice(0, drop);
    for (const [key, mine] of past.series) {
      mine.values.splice(0, drop);
      if (mine.values.every((v) => v === null)) past.series.delete(key);
    }
  }
}

// Derived for the stacked memory chart: what applications use besides wired and compressed
// (macOS counts both in "used"; Linux has neither, so there it is all of "used").
function derived() {
  const get = (name) => past.series.get(name + '{}')?.values;
  const used = get('memory_used_bytes');
  if (!used) return [];
  const wired = get('memory_wired_bytes'), compressed = get('memory_compressed_bytes');
  return [{name: 'memory_app_bytes', labels: {}, values: used.map((u, i) =>
    u === null ? null : Math.max(0, u - (wired?.[i] || 0) - (compressed?.[i] || 0)))}];
}

function chartSeries(spec, all) {
  let picked = all.filter(spec.pick).map((s) => ({label: spec.name(s), values: s.values}));
  if (spec.order) picked.sort((a, b) => spec.order.indexOf(a.label) - spec.order.indexOf(b.label));
  else picked.sort((a, b) => a.label.localeCompare(b.label, undefined, {numeric: true}));
  if (spec.top) {
    const last = (s) => s.values.findLast((v) => v !== null) ?? -1;
    picked = picked.sort((a, b) => last(b) - last(a)).slice(0, spec.top);
  }
  return picked.filter((s) => s.values.some((v) => v !== null));
}

function makeChart(spec, parent, small) {
  const wrap = el('figure', {class: small ? 'chart small' : 'chart', 'data-chart': spec.title});
  const canvas = el('canvas', {role: 'img', 'aria-label': spec.title});
  const tip = el('div', {class: 'tip', hidden: ''});
  wrap.append(el('figcaption', {}, spec.title), canvas, tip, el('div', {class: 'legend'}));
  parent.append(wrap);
  const chart = {spec, wrap, canvas, tip, hover: null, series: []};
  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    chart.hover = event.clientX - box.left;
    drawChart(chart);
  };
  canvas.addEventListener('pointermove', point);
  canvas.addEventListener('pointerdown', point);
  canvas.addEventListener('pointerleave', () => { chart.hover = null; drawChart(chart); });
  // A chart in a section that was hidden has no size to draw at: draw it when it gets one.
  new ResizeObserver(() => drawChart(chart)).observe(canvas);
  charts.push(chart);
  return chart;
}

function niceMax(max) {
  if (!(max > 0)) return 1;
  const step = Math.pow(10, Math.floor(Math.log10(max)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= max) return m * step;
  return 10 * step;
}

function drawChart(chart) {
  const {spec, canvas, wrap, tip} = chart;
  const series = chart.series;
  wrap.hidden = series.length === 0;
  wrap.dataset.series = String(series.length);
  if (!series.length) { wrap.dataset.points = '0'; return; }
  const ratio = window.devicePixelRatio || 1, width = canvas.clientWidth, height = canvas.clientHeight;
  if (!width) return;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  const small = wrap.classList.contains('small');
  const left = small ? 2 : 52, right = 4, top = 4, bottom = small ? 2 : 16;
  const plotW = width - left - right, plotH = height - top - bottom;
  // Nothing exists before the first sample held (the exporter's start): the chart begins there.
  const end = view.paused ?? Date.now(), start = Math.max(end - view.minutes * 60000, Math.min(past.times[0] ?? end, end - 60000));
  const x = (t) => left + ((t - start) / (end - start)) * plotW;
  const times = past.times;
  const first = Math.max(0, times.findIndex((t) => t >= start - past.interval * 1000));
  // Stacked: each series drawn on top of those before it.
  const tops = series.map(() => []);
  for (let i = first; i < times.length; i++) {
    let sum = 0;
    series.forEach((s, k) => { const v = s.values[i]; if (spec.stacked && v !== null) sum += v; tops[k][i] = v === null ? null : spec.stacked ? sum : v; });
  }
  let max = spec.max ?? 0;
  if (spec.max === undefined) for (const t of tops) for (let i = first; i < times.length; i++) if (t[i] !== null && t[i] > max) max = t[i];
  max = spec.max ?? niceMax(Math.max(max, spec.unit.startsWith('bytes') ? 1024 : 0));  // an idle byte chart reads 0 to 1 KiB
  const y = (v) => top + plotH - (Math.min(v, max) / max) * plotH;
  g.font = '10px system-ui, sans-serif';
  g.fillStyle = css('--muted');
  g.strokeStyle = css('--line');
  g.lineWidth = 1;
  if (!small) {
    for (const v of spec.levels ? spec.levels.map((_, i) => i) : [0, max / 2, max]) {
      const py = Math.round(y(v)) + 0.5;
      g.beginPath(); g.moveTo(left, py); g.lineTo(left + plotW, py); g.stroke();
      const text = spec.levels ? (spec.levels[Math.round(v)] ?? '') : format(v, spec.unit);
      g.fillText(text, 2, Math.min(height - bottom, Math.max(10, py + 3)));
    }
    g.fillText(clock(start), left, height - 3);
    const label = view.paused ? 'paused ' + clock(end) : 'now';
    g.fillText(label, left + plotW - g.measureText(label).width, height - 3);
  }
  let points = 0;
  series.forEach((s, k) => {
    const color = css(PALETTE[k % PALETTE.length]);
    g.strokeStyle = color;
    g.fillStyle = color + '55';
    g.lineWidth = small ? 1 : 1.5;
    let run = [];
    const flush = () => {
      if (!run.length) return;
      g.beginPath();
      run.forEach(([px, py], j) => (j ? g.lineTo(px, py) : g.moveTo(px, py)));
      if (run.length === 1) g.arc(run[0][0], run[0][1], 1.5, 0, 2 * Math.PI);
      g.stroke();
      if (spec.stacked || small) {
        const below = spec.stacked && k > 0 ? tops[k - 1] : null;
        g.lineTo(run[run.length - 1][0], below ? y(below[run[run.length - 1][2]] ?? 0) : top + plotH);
        for (let j = run.length - 1; j >= 0; j--) g.lineTo(run[j][0], below ? y(below[run[j][2]] ?? 0) : top + plotH);
        g.closePath();
        g.fill();
      }
      run = [];
    };
    for (let i = first; i < times.length; i++) {
      const v = tops[k][i];
      if (v === null || (i > first && times[i] - times[i - 1] > GAP * past.interval * 1000)) flush();
      if (v === null || times[i] < start) continue;
      run.push([x(times[i]), y(v), i]);
      points++;
    }
    flush();
  });
  wrap.dataset.points = String(points);
  wrap.classList.toggle('gone', view.connected === false);
  if (view.connected === false && !small) {
    g.fillStyle = css('--critical');
    g.font = '600 12px system-ui, sans-serif';
    g.fillText('disconnected', left + plotW - g.measureText('disconnected').width - 4, top + 12);
  }
  // Hover: the sample nearest the pointer, its time and every series' value.
  tip.hidden = true;
  if (chart.hover === null || small && !spec.tips) return;
  const t = start + ((chart.hover - left) / plotW) * (end - start);
  let best = -1;
  for (let i = first; i < times.length; i++) {
    if (times[i] < start || series.every((s) => s.values[i] === null)) continue;  // nothing to show there
    if (best < 0 || Math.abs(times[i] - t) < Math.abs(times[best] - t)) best = i;
  }
  if (best < 0) return;
  const px = x(times[best]);
  g.strokeStyle = css('--fg');
  g.beginPath(); g.moveTo(px, top); g.lineTo(px, top + plotH); g.stroke();
  tip.replaceChildren(el('b', {}, clock(times[best])), ...series.map((s, k) => el('div', {},
    el('i', {style: `background:${css(PALETTE[k % PALETTE.length])}`}), `${s.label} `,
    el('span', {class: 'v'}, spec.levels ? (spec.levels[s.values[best]] ?? format(s.values[best], spec.unit)) : format(s.values[best], spec.unit)))));
  tip.hidden = false;
  tip.style.left = `${Math.min(Math.max(0, px - tip.offsetWidth / 2), width - tip.offsetWidth)}px`;
}

function legend(chart) {
  const box = chart.wrap.querySelector('.legend');
  if (chart.core !== undefined) { box.hidden = true; return; }  // a core's caption names it already
  box.replaceChildren(...chart.series.map((s, k) => el('span', {}, el('i', {style: `background:${css(PALETTE[k % PALETTE.length])}`}), s.label)));
}

function setup() {
  for (const spec of SPECS) {
    const section = $(spec.panel);
    let box = section.querySelector('.charts');
    if (!box) section.querySelector('h2').after(box = el('div', {class: 'charts'}));
    makeChart(spec, box, false);
  }
  const bar = $('history-bar');
  for (const minutes of [5, 15, 60]) {
    bar.append(el('button', {type: 'button', 'data-minutes': minutes, 'aria-pressed': String(minutes === view.minutes)}, `${minutes} min`));
  }
  bar.append(el('button', {type: 'button', id: 'pause', 'aria-pressed': 'false'}, 'pause'));
  bar.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.id === 'pause') view.paused = view.paused ? null : Date.now();
    else view.minutes = Number(button.dataset.minutes);
    for (const b of bar.querySelectorAll('button')) {
      b.setAttribute('aria-pressed', String(b.id === 'pause' ? view.paused !== null : Number(b.dataset.minutes) === view.minutes));
    }
    $('pause').textContent = view.paused ? 'resume' : 'pause';
    redraw();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redraw);
}

// Per-core small multiples, made when the cores are first known.
function coreCharts(all) {
  const cores = all.filter((s) => s.name === 'cpu_core_busy_ratio')
    .sort((a, b) => Number(a.labels.cpu) - Number(b.labels.cpu));
  const box = $('core-charts');
  for (const s of cores) {
    let chart = charts.find((c) => c.core === s.labels.cpu);
    if (!chart) {
      chart = makeChart({title: `cpu ${s.labels.cpu}`, unit: 'ratio', max: 1, tips: true}, box, true);
      chart.core = s.labels.cpu;
      chart.wrap.classList.add(s.labels.core_type);
    }
    chart.series = [{label: `cpu ${s.labels.cpu}`, values: s.values}];
  }
}

function redraw() {
  const all = [...past.series.values(), ...derived()];
  for (const chart of charts) {
    if (chart.core === undefined) chart.series = chartSeries(chart.spec, all);
  }
  coreCharts(all);
  for (const chart of charts) { drawChart(chart); legend(chart); }
  document.body.dataset.historyPoints = String(past.times.length);
}

function note() {
  const since = past.times.length ? clock(past.times[0]) : '–';
  const restarts = past.restarts.length ? ` The exporter restarted at ${past.restarts.map(clock).join(', ')}: its memory of what came before is gone.` : '';
  $('history-note').textContent = view.connected === false
    ? 'Disconnected: the exporter does not answer. The charts keep what they had and resume when it is back.'
    : `Charts from ${since}: sampled every ${past.interval} s in the exporter's memory (last ${past.window / 60} min); ` +
      `a restart of the exporter starts them empty.${restarts}`;
  $('history-note').className = view.connected === false ? 'note gone' : 'note';
  document.body.dataset.connected = String(view.connected);
}

async function poll() {
  let wait = Math.max(1, past.interval) * 1000;
  try {
    const since = past.times.length ? past.times[past.times.length - 1] : 0;
    const response = await fetch(`api/history?since=${since}`, {cache: 'no-store', credentials: 'same-origin'});
    if (response.status === 404) {
      $('history-note').textContent = 'History is off in this exporter (--web.ui.history=0): only the current numbers are shown.';
      $('history-bar').hidden = true;
      redraw();  // no series: every chart stays hidden
      return;  // nothing to poll for
    }
    if (!response.ok) throw new Error(String(response.status));
    const batch = await response.json();
    if (past.started !== null && batch.started_ms !== past.started) past.restarts.push(batch.started_ms);
    past.started = batch.started_ms;
    past.interval = batch.interval_seconds;
    past.window = batch.window_seconds;
    merge(batch);
    view.connected = true;
    wait = Math.max(1, past.interval) * 1000;
  } catch (error) {
    view.connected = false;
  }
  note();
  redraw();
  setTimeout(poll, wait);
}

setup();
poll();
