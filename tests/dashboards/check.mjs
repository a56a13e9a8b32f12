// Checks Grafana dashboard files against what Grafana itself publishes, since Grafana cannot run
// here: the dashboard model of @grafana/schema (type-checked with TypeScript, grafana-model.ts),
// the schema version Grafana saves today (a lower one is migrated on load), the unit ids of
// @grafana/data, the data source and the variables, and what a Grafana user reads off a panel
// (legends that name the machine, topk in a graph).
//
// usage: node check.mjs DASHBOARD.json...   exit 0 when every file passes, 1 otherwise.
//        node check.mjs --expect-fail DASHBOARD.json...   each file must fail, with the reason that
//        its "x-expect" key names (the checker's own test: tests/dashboards/bad/).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { defaultDashboard } from '@grafana/schema';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// @grafana/data's unit registry (its valueFormats module alone: the package's index require()s
// ES modules, which Debian 12's node 18 cannot). It formats dates with the browser's locale at load.
globalThis.navigator ??= { language: 'en-US', languages: ['en-US'] };
const { getValueFormats } = require(path.join(here, 'node_modules/@grafana/data/dist/cjs/valueFormats/valueFormats.cjs'));

/** What Grafana saves today; Grafana runs its migrations on a dashboard with a lower version. */
const SCHEMA_VERSION = defaultDashboard.schemaVersion;
/** Grafana's unit ids (Standard options > Unit), and the prefixes of its custom units. */
const UNITS = new Set(getValueFormats().flatMap((category) => category.submenu.map((unit) => unit.value)));
const CUSTOM_UNIT = /^(suffix|prefix|si|count|currency|time):/;
/** The built-in panels grafana-model.ts types (each with its @grafana/schema panelcfg module). */
const PANELS = ['timeseries', 'stat', 'bargauge', 'table', 'state-timeline', 'status-history'];
/** Grafana's global variables (grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#global-variables). */
const GLOBALS = new Set(['__interval', '__interval_ms', '__rate_interval', '__rate_interval_ms', '__range',
  '__range_s', '__range_ms', '__from', '__to', '__dashboard', '__org', '__user', '__timeFilter']);
/** A metric's unit, from its name suffix, and the Grafana unit that shows it (when not divided or rated). */
const UNIT_OF_SUFFIX = { _rpm: 'rotrpm', _celsius: 'celsius', _watts: 'watt', _hertz: 'hertz' };
/** A data source reference every panel and query must carry: the dashboard's own variable. */
const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };

/** The file's dashboard, less the key that tells a test board's expected failure. */
function withoutExpectation(file) {
  const { 'x-expect': _, ...board } = JSON.parse(fs.readFileSync(file, 'utf8'));
  return board;
}

function typeErrors(files) {
  // One .ts file per dashboard, next to grafana-model.ts so that it resolves node_modules.
  const work = fs.mkdtempSync(path.join(here, '.check-'));
  try {
    const sources = files.map((file, i) => {
      const source = path.join(work, `board${i}.ts`);
      fs.writeFileSync(source, `import type { Board } from '../grafana-model';\n` +
        `export const board: Board = ${JSON.stringify(withoutExpectation(file), null, 2)};\n`);
      return source;
    });
    const program = ts.createProgram(sources, {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [],
    });
    const byFile = new Map(files.map((file) => [file, []]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const index = d.file ? sources.indexOf(d.file.fileName) : -1;
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
      if (index < 0) throw new Error(`grafana-model.ts does not compile: ${text}`);
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      byFile.get(files[index]).push(`schema: line ${line}: ${text}`);
    }
    return byFile;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function* panelsOf(board) {
  for (const panel of board.panels ?? []) {
    yield panel;
    if (panel.type === 'row') yield* panel.panels ?? [];
  }
}

function sameRef(ref) {
  return ref && ref.type === DATASOURCE.type && ref.uid === DATASOURCE.uid && Object.keys(ref).length === 2;
}

/** Everything Grafana would migrate, reject or show misleadingly that the types cannot say. */
function modelErrors(board) {
  const errors = [];
  if (board.schemaVersion !== SCHEMA_VERSION) {
    errors.push(`schemaVersion ${board.schemaVersion}: Grafana saves ${SCHEMA_VERSION} and migrates older boards on load`);
  }
  const variables = board.templating?.list ?? [];
  const names = new Set(variables.map((v) => v.name));
  const ds = variables.find((v) => v.name === 'DS_PROMETHEUS');
  if (!ds || ds.type !== 'datasource' || ds.query !== 'prometheus') {
    errors.push('no DS_PROMETHEUS variable of type datasource for Prometheus');
  }
  const multiInstance = variables.some((v) => v.name === 'instance' && (v.multi || v.includeAll));
  for (const v of variables) {
    if (v.type === 'query' && !sameRef(v.datasource)) errors.push(`variable ${v.name}: data source is not \${DS_PROMETHEUS}`);
  }
  const ids = new Set();
  for (const panel of panelsOf(board)) {
    const where = `panel "${panel.title}"`;
    if (ids.has(panel.id)) errors.push(`${where}: id ${panel.id} used twice`);
    ids.add(panel.id);
    const { x = 0, w = 0 } = panel.gridPos ?? {};
    if (x + w > 24) errors.push(`${where}: gridPos x ${x} + w ${w} is wider than Grafana's 24 columns`);
    if (panel.type === 'row') continue;
    if (!PANELS.includes(panel.type)) errors.push(`${where}: type "${panel.type}" is not one of the built-in panels ${PANELS}`);
    if (!sameRef(panel.datasource)) errors.push(`${where}: panel data source is not \${DS_PROMETHEUS}`);
    const units = [panel.fieldConfig?.defaults?.unit,
      ...(panel.fieldConfig?.overrides ?? []).flatMap((o) => o.properties.filter((p) => p.id === 'unit').map((p) => p.value))];
    for (const unit of units.filter((u) => u !== undefined)) {
      if (!UNITS.has(unit) && !CUSTOM_UNIT.test(unit)) errors.push(`${where}: unit "${unit}" is not a Grafana unit id`);
    }
    // Overrides by name must name a column the panel has: a renamed one, or one of the raw ones.
    const renamed = new Set(Object.values((panel.transformations ?? [])
      .find((t) => t.id === 'organize')?.options?.renameByName ?? {}));
    for (const o of panel.fieldConfig?.overrides ?? []) {
      if (o.matcher.id === 'byName' && renamed.size && !renamed.has(o.matcher.options)) {
        errors.push(`${where}: override for "${o.matcher.options}", which no column is called`);
      }
    }
    // A table column of numbers needs a unit (0.23 reads as 0.23, not 23 %) unless mappings name its states.
    if (panel.type === 'table') {
      for (const o of panel.fieldConfig?.overrides ?? []) {
        const has = (id) => o.properties.find((p) => p.id === id);
        const states = Object.keys(has('mappings')?.value?.[0]?.options ?? {}).filter((v) => Number(v) >= 0);
        if (!has('unit') && !panel.fieldConfig.defaults.unit && states.length === 0) {
          errors.push(`${where}: column "${o.matcher.options}" has neither a unit nor value mappings`);
        }
      }
    }
    const refIds = new Set();
    for (const target of panel.targets ?? []) {
      const q = `${where} query ${target.refId}`;
      if (refIds.has(target.refId)) errors.push(`${q}: refId used twice`);
      refIds.add(target.refId);
      if (!sameRef(target.datasource)) errors.push(`${q}: data source is not \${DS_PROMETHEUS}`);
      for (const text of [target.expr, target.legendFormat ?? '', panel.title]) {
        for (const [, a, b, c] of text.matchAll(/\$(?:\{(\w+)(?::\w+)?\}|(\w+))|\[\[(\w+)\]\]/g)) {
          const name = a ?? b ?? c;
          if (!names.has(name) && !GLOBALS.has(name)) errors.push(`${q}: $${name} is no variable of this dashboard`);
        }
      }
      // job is whatever the Prometheus config calls it: pinned to one name, the panel is empty elsewhere.
      if (/\bjob\s*=\s*"/.test(target.expr)) errors.push(`${q}: pins job to one name`);
      const instant = target.instant === true || target.format === 'table';
      // A graph evaluates the query at every step: topk picks its own k at each and more than k appear.
      if (!instant && /\b(topk|bottomk)\s*\(/.test(target.expr) && !/@\s*(end|start)\(\)/.test(target.expr)) {
        errors.push(`${q}: topk/bottomk in a graph over time shows more than k series (fix the set with @ end())`);
      }
      if (multiInstance && !instant && !(target.legendFormat ?? '').includes('{{instance}}')) {
        errors.push(`${q}: legend "${target.legendFormat ?? ''}" does not name the machine, but several can be selected`);
      }
      // An aggregation that drops instance pools the selected machines into one series.
      for (const [, by] of target.expr.matchAll(/\b(?:sum|avg|min|max|count|topk|bottomk|quantile|stddev|group)\s+by\s*\(([^)]*)\)/g)) {
        if (multiInstance && !instant && !by.split(',').map((l) => l.trim()).includes('instance') &&
            !/\bon\s*\([^)]*\binstance\b/.test(target.expr)) {
          errors.push(`${q}: "by (${by})" pools the selected machines into one series`);
        }
      }
      const suffixes = new Set([...target.expr.matchAll(/\bsilicon_\w+?(_rpm|_celsius|_watts|_hertz)\b/g)].map((m) => m[1]));
      const unit = panel.fieldConfig?.defaults?.unit;
      if (suffixes.size === 1 && !/[/*]|rate\(/.test(target.expr)) {
        const want = UNIT_OF_SUFFIX[[...suffixes][0]];
        if (unit !== want) errors.push(`${q}: reads ${[...suffixes][0]} but the unit is "${unit}", not Grafana's "${want}"`);
      }
    }
  }
  return errors;
}

const expectFail = process.argv[2] === '--expect-fail';
const files = process.argv.slice(expectFail ? 3 : 2);
if (!files.length) {
  console.error('usage: node check.mjs [--expect-fail] DASHBOARD.json...');
  process.exit(2);
}
const typed = typeErrors(files);
let failed = 0;
for (const file of files) {
  const board = JSON.parse(fs.readFileSync(file, 'utf8'));
  const errors = [...typed.get(file), ...modelErrors(board)];
  const name = path.basename(file);
  if (expectFail) {
    const expected = board['x-expect'];
    const hit = errors.some((e) => e.includes(expected));
    if (!hit) failed++;
    console.log(`${hit ? 'ok  ' : 'FAIL'} ${name}: rejected for "${expected}"${hit ? '' : `; got: ${errors.join(' | ') || 'nothing'}`}`);
    continue;
  }
  if (errors.length) failed++;
  console.log(`${errors.length ? 'FAIL' : 'ok  '} ${name}: ${board.panels?.length ?? 0} panels, schemaVersion ${board.schemaVersion}`);
  for (const e of errors) console.log(`     ${e}`);
}
console.log(`Grafana model from @grafana/schema ${require('@grafana/schema/package.json').version}: ` +
  `schemaVersion ${SCHEMA_VERSION}, ${UNITS.size} unit ids`);
process.exit(failed ? 1 : 0);
