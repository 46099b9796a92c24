#!/usr/bin/env node
// `npm run parity`: runs the Python-parity suite (test/parity) and prints how much of it jaxts
// passes, per family and per namespace: passed, failed, not yet supported.
//
//   node scripts/parity/coverage.mjs                 tables (markdown) and jest's verdict
//   node scripts/parity/coverage.mjs --by-function   one row per function as well
//   node scripts/parity/coverage.mjs --update        rewrite test/parity/unsupported.json and
//                                                    known_failures.json from this run (review the diff!)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = new Set(process.argv.slice(2));
const FAMILIES = ['numpy', 'lax', 'promotion', 'transforms', 'random', 'nn', 'optim', 'parallel', 'indexing'];

const reportDir = mkdtempSync(path.join(tmpdir(), 'jaxts-parity-'));
const jest = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', 'test/parity'],
  { cwd: root, env: { ...process.env, PARITY_REPORT_DIR: reportDir }, encoding: 'utf8', maxBuffer: 1 << 28 },
);

const reports = FAMILIES.map((f) => path.join(reportDir, `${f}.json`))
  .filter((file) => existsSync(file))
  .map((file) => JSON.parse(readFileSync(file, 'utf8')));
rmSync(reportDir, { recursive: true, force: true });
if (reports.length === 0) {
  process.stderr.write(`${jest.stdout}${jest.stderr}\nparity: no report was written (did the suite fail to load?)\n`);
  process.exit(1);
}

const tally = () => ({ cases: 0, passed: 0, failed: 0, unsupported: 0 });
function table(title, rows) {
  const lines = [`| ${title} | cases | passed | failed | not yet supported |`, '|---|---:|---:|---:|---:|'];
  const total = tally();
  for (const [name, t] of rows) {
    lines.push(`| ${name} | ${t.cases} | ${t.passed} | ${t.failed} | ${t.unsupported} |`);
    for (const k of Object.keys(total)) total[k] += t[k];
  }
  lines.push(`| **total** | ${total.cases} | ${total.passed} | ${total.failed} | ${total.unsupported} |`);
  return lines.join('\n');
}
function groupBy(keyOf) {
  const groups = new Map();
  for (const report of reports) {
    for (const r of report.results) {
      const key = keyOf(report.family, r);
      const t = groups.get(key) ?? tally();
      t.cases++;
      t[r.status]++;
      groups.set(key, t);
    }
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const meta = reports[0].meta ?? {};
console.log(`Parity with Python JAX ${meta.jax ?? '?'} (jaxlib ${meta.jaxlib ?? '?'}, ${meta.platform ?? '?'}, jax_threefry_partitionable=${meta.jax_threefry_partitionable})\n`);
console.log(table('family', groupBy((family) => family)));
const programs = reports.map((r) => `${r.family} ${r.compiles} compiled + ${r.diskHits} from the disk cache`).join(', ');
const seconds = reports.flatMap((r) => r.results).reduce((t, r) => t + (r.ms ?? 0), 0) / 1000;
console.log(`\nXLA programs: ${programs}; replay ${seconds.toFixed(1)} s`);
console.log();
console.log(table('namespace', groupBy((_f, r) => r.fn.split('.')[0])));
if (args.has('--by-function')) {
  console.log();
  console.log(table('function', groupBy((_f, r) => r.fn)));
}

if (args.has('--update')) {
  for (const [file, status] of [['unsupported.json', 'unsupported'], ['known_failures.json', 'failed']]) {
    const target = path.join(root, 'test/parity', file);
    const current = existsSync(target) ? JSON.parse(readFileSync(target, 'utf8')) : {};
    for (const report of reports) {
      const entries = report.results.filter((r) => r.status === status).map((r) => [r.id, r.problems[0] ?? '']);
      current[report.family] = Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    const ordered = Object.fromEntries(FAMILIES.filter((f) => f in current).map((f) => [f, current[f]]));
    writeFileSync(target, `${JSON.stringify(ordered, null, 1)}\n`);
    console.log(`\nwrote test/parity/${file}`);
  }
  process.exit(0);
}

if (jest.status !== 0) {
  const failing = `${jest.stdout}${jest.stderr}`.split('\n').filter((l) => /✕|●.*›/.test(l));
  console.log(`\njest failed (${failing.length} failing lines shown; run jest on test/parity for details):`);
  console.log(failing.slice(0, 40).join('\n'));
}
process.exit(jest.status ?? 1);
