// Replays one family of parity cases through jaxts and turns the outcomes into jest tests.
// Cases run while jest collects the tests, so that every case is classified (passed, failed,
// not yet supported) before any test runs: the not-yet-supported list is asserted against the
// committed test/parity/unsupported.json, known mismatches against known_failures.json (jest
// `test.failing`, so a fixed one must be removed from the list), the rest must pass.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Array, config, defaultBackend, evalShape, jit } from '../../lib/index.js';
import { resolve, type Arg } from './calls.js';
import { loadCases, ROOT, specHash, type Case, type Family, type Json } from './caselist.js';
import { compareOutputs, leaves } from './compare.js';
import { Fixtures } from './fixtures.js';

export type Status = 'passed' | 'failed' | 'unsupported';

export interface CaseResult {
  id: string;
  fn: string;
  status: Status;
  /** Why it failed (failed) or why jaxts cannot run it (unsupported). */
  problems: string[];
  /** Wall time of the replay, compilation included. */
  ms?: number;
}

const REGENERATE = 'regenerate with: .parity-venv/bin/python scripts/parity/generate.py (scripts/parity/README.md)';
// Errors by which jaxts says it lacks a feature (rather than computing something wrong).
const NOT_YET = /not (yet )?supported|not implemented|unsupported|not (yet )?available/i;

/** The arguments of a case: generator specs and kinds become the fixture's arrays, depth-first. */
function buildArgs(c: Case, arrays: Array[]): { args: Arg[]; kwargs: Record<string, Arg> } {
  let next = 0;
  const take = () => {
    if (next >= arrays.length) throw new Error('parity: the fixture has fewer input arrays than the case needs');
    return arrays[next++]!;
  };
  const build = (v: Json): Arg => {
    if (v !== null && typeof v === 'object' && !globalThis.Array.isArray(v)) {
      if ('gen' in v) return take();
      if ('key' in v && Object.keys(v).length === 1) return take(); // a PRNG key made from a seed by JAX
      if ('kind' in v) {
        const kind = v.kind as string;
        if (kind === 'i*') return 1;
        if (kind === 'f*') return 0.5;
        return kind !== 'c*' && v.as === 'dtype' ? kind : take();
      }
      if ('dtype' in v && Object.keys(v).length === 1) return v.dtype;
      if (typeof v.fn === 'string') {
        // the matching jaxts function, as a callable named by JAX's name (calls.ts maps e.g.
        // lax.add to reduceWindow's 'add'); with args/kwargs, its result (dimension numbers)
        const r = resolve(v.fn);
        if ('unsupported' in r) throw new Error(r.unsupported);
        if (!('args' in v) && !('kwargs' in v)) return Object.defineProperty((...xs: unknown[]) => r.invoke(xs, {}), 'name', { value: v.fn });
        const kw = (v.kwargs ?? {}) as Record<string, Json>;
        return r.invoke(((v.args ?? []) as Json[]).map(build), Object.fromEntries(Object.entries(kw).map(([k, x]) => [k, build(x)])));
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, build(x)]));
    }
    return globalThis.Array.isArray(v) ? v.map(build) : v;
  };
  const args = c.args.map(build);
  const kwargs = Object.fromEntries(Object.entries(c.kwargs).map(([k, v]) => [k, build(v)]));
  if (next !== arrays.length) throw new Error(`parity: the fixture has ${arrays.length} input arrays, the case uses ${next}`);
  return { args, kwargs };
}

/** The same structure with each Array replaced by the next of `replacements` (for jit/evalShape). */
function swapArrays<T>(x: T, replacements: Array[]): T {
  let i = 0;
  const swap = (v: unknown): unknown => {
    if (v instanceof Array) return replacements[i++];
    if (globalThis.Array.isArray(v)) return v.map(swap);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, y]) => [k, swap(y)]));
    return v;
  };
  return swap(x) as T;
}

function dispose(x: unknown): void {
  for (const leaf of leaves(x)) if (leaf instanceof Array) leaf.dispose();
}

function runCase(c: Case, fixtures: Fixtures | null): CaseResult {
  const result = (status: Status, problems: string[] = []): CaseResult => ({ id: c.id, fn: c.fn, status, problems });
  const resolved = resolve(c.fn);
  if ('unsupported' in resolved) return result('unsupported', [resolved.unsupported]);
  const fixture = fixtures?.cases[c.id];
  if (!fixture) return result('failed', [`no fixture for this case; ${REGENERATE}`]);
  if (fixture.hash !== specHash(c)) return result('failed', [`the fixture is stale (the case changed); ${REGENERATE}`]);
  return config.with({ enableX64: c.x64 }, () => {
    let inputs: Array[], args: Arg[], kwargs: Record<string, Arg>;
    try {
      inputs = fixture.inputs.map((rec) => fixtures!.array(rec));
      ({ args, kwargs } = buildArgs(c, inputs));
    } catch (e) {
      return result('failed', [`parity fixture error: ${(e as Error).message}`]);
    }
    const verdict = (problems: string[]) => result(problems.length ? 'failed' : 'passed', problems);
    // Under jit and evalShape the input arrays are traced; literals stay closed over.
    const traced = (...xs: Array[]) => {
      const swapped = swapArrays({ args, kwargs }, xs);
      return resolved.invoke(swapped.args, swapped.kwargs);
    };
    const run = (how: string, call: () => unknown): string[] => {
      let out: unknown;
      try {
        out = call();
      } catch (e) {
        if (fixture.error) return [];
        const message = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
        throw Object.assign(new Error(message), { notYet: NOT_YET.test(message), how });
      }
      try {
        if (fixture.error) return [`${how}: JAX raises (${fixture.error}); jaxts returned ${leaves(out).length} output(s)`];
        return compareOutputs(out, fixture.outputs!, fixtures!).map((p) => `${how}: ${p}`);
      } finally {
        // An output may be an input passed through (x.at[] with nothing to update, masked updates):
        // the inputs stay alive for the jit run.
        for (const leaf of leaves(out)) if (leaf instanceof Array && !inputs.includes(leaf)) leaf.dispose();
      }
    };
    try {
      if (c.mode === 'shape') return verdict(run('evalShape', () => evalShape(traced)(...inputs)));
      const problems = run('eager', () => resolved.invoke(args, kwargs));
      if (c.jit) problems.push(...run('jit', () => jit(traced)(...inputs)));
      return verdict(problems);
    } catch (e) {
      const err = e as Error & { notYet?: boolean; how?: string };
      return result(err.notYet ? 'unsupported' : 'failed', [`${err.how ?? 'run'}: ${err.message}`]);
    } finally {
      dispose(inputs);
    }
  });
}

type Expectations = Record<string, Record<string, string>>;
function readExpectations(file: string): Expectations {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'test/parity', file), 'utf8')) as Expectations;
  } catch {
    return {};
  }
}

/** Runs every case of `family` and declares its jest tests. */
export function runFamily(family: Family): void {
  const cases = loadCases(family);
  const fixtures = Fixtures.load(family);
  const results = cases.map((c) => {
    const t = performance.now();
    return { ...runCase(c, fixtures), ms: Math.round(performance.now() - t) };
  });
  const unsupported = readExpectations('unsupported.json')[family] ?? {};
  const knownFailures = readExpectations('known_failures.json')[family] ?? {};
  const reportDir = process.env.PARITY_REPORT_DIR;
  if (reportDir) {
    mkdirSync(reportDir, { recursive: true });
    const { compiles, diskHits } = defaultBackend().compileStats;
    writeFileSync(path.join(reportDir, `${family}.json`), JSON.stringify({ family, meta: fixtures?.meta, compiles, diskHits, results }));
  }

  describe(`parity: ${family} (JAX ${fixtures?.meta.jax ?? '?'})`, () => {
    const check = (r: CaseResult) => expect(r.problems).toEqual([]);
    const runnable = results.filter((r) => r.status !== 'unsupported').map((r) => [r.id, r] as const);
    const expectedToPass = runnable.filter(([id]) => !(id in knownFailures));
    const expectedToFail = runnable.filter(([id]) => id in knownFailures);
    if (expectedToPass.length) test.each(expectedToPass)('%s', (_id, r) => check(r));
    // Known mismatches (known_failures.json): jest fails these tests once they pass.
    if (expectedToFail.length) test.failing.each(expectedToFail)('known failure: %s', (_id, r) => check(r));

    test('the not-yet-supported cases are exactly those in test/parity/unsupported.json', () => {
      const now = Object.fromEntries(results.filter((r) => r.status === 'unsupported').map((r) => [r.id, r.problems[0]!]));
      const byReason = new Map<string, number>();
      for (const reason of Object.values(now)) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
      if (byReason.size) console.info(`${family}: ${Object.keys(now).length} cases not yet supported:\n${[...byReason].map(([r, n]) => `  ${n} × ${r}`).join('\n')}`);
      expect(Object.keys(now).sort()).toEqual(Object.keys(unsupported).sort());
    });

    test('every fixture belongs to a case in the case list', () => {
      const ids = new Set(cases.map((c) => c.id));
      expect(Object.keys(fixtures?.cases ?? {}).filter((id) => !ids.has(id))).toEqual([]);
    });
  });
}
