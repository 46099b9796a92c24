// The declarative case list (scripts/parity/cases/*.json), expanded exactly as
// scripts/parity/caselist.py expands it: same ids, same spec hashes (format in
// scripts/parity/README.md). The hash tells a changed case from its stale fixture.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FAMILIES = ['numpy', 'lax', 'promotion', 'transforms', 'random', 'nn', 'optim', 'parallel', 'indexing'] as const;
export type Family = (typeof FAMILIES)[number];

export interface Case {
  id: string;
  family: Family;
  /** `numpy.add`, `lax.dot_general`: JAX's namespace and name. */
  fn: string;
  args: Json[];
  kwargs: { [key: string]: Json };
  x64: boolean;
  /** 'eval' runs the function; 'shape' only compares dtype, shape and weak type (evalShape). */
  mode: 'eval' | 'shape';
  jit: boolean;
  tol: Json;
  /** Whether JAX may raise for this case (then jaxts must throw too). */
  errors: boolean;
}

interface Group {
  fn: string | string[];
  tag?: string;
  vars?: { [name: string]: Json[] };
  args?: Json;
  kwargs?: Json;
  x64?: boolean | boolean[];
  mode?: 'eval' | 'shape';
  jit?: boolean;
  tol?: Json;
  errors?: boolean;
  skip?: { [name: string]: Json }[];
}

/** JS numbers print as Python's caselist.js_number writes them; ids and hashes agree. */
export function canonicalJson(v: Json): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k]!)}`).join(',')}}`;
}

/** A variable's value in a case id. */
export function fmt(v: Json): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(fmt).join(',')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${k}:${fmt(x)}`).join(',')}}`;
}

function substitute(v: Json, env: { [name: string]: Json }): Json {
  if (typeof v === 'string' && v.startsWith('$')) {
    const [name, ...rest] = v.slice(1).split('.');
    if (!(name! in env)) throw new Error(`unknown case variable ${v}`);
    let out = env[name!]!;
    for (const p of rest) out = Array.isArray(out) ? out[Number(p)]! : (out as { [k: string]: Json })[p]!;
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, env));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, env)]));
  return v;
}

// As Python's `env.get(k) == s[k]`: a missing variable equals null.
const isDeepEqual = (a: Json | undefined, b: Json | undefined): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function product(lists: Json[][]): Json[][] {
  return lists.reduce<Json[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

/** All cases of one case file, in file order. */
export function expand(family: Family, doc: { groups: Group[] }): Case[] {
  const cases: Case[] = [];
  const seen = new Set<string>();
  for (const group of doc.groups) {
    const vars = group.vars ?? {};
    const names = Object.keys(vars);
    for (const fn of typeof group.fn === 'string' ? [group.fn] : group.fn) {
      for (const combo of product(names.map((n) => vars[n]!))) {
        for (const x64 of Array.isArray(group.x64) ? group.x64 : [group.x64 ?? false]) {
          const env: { [name: string]: Json } = { fn, ...Object.fromEntries(names.map((n, i) => [n, combo[i]!])) };
          if ((group.skip ?? []).some((s) => Object.keys(s).every((k) => isDeepEqual(env[k], s[k])))) continue;
          const tag = group.tag !== undefined ? `:${group.tag}` : '';
          const shown = names.length ? `(${combo.map(fmt).join(',')})` : '';
          const c: Case = {
            id: `${fn}${tag}${shown}${x64 ? '/x64' : ''}`,
            family,
            fn,
            args: substitute(group.args ?? [], env) as Json[],
            kwargs: substitute(group.kwargs ?? {}, env) as { [key: string]: Json },
            x64,
            mode: group.mode ?? 'eval',
            jit: group.jit ?? false,
            tol: group.tol ?? null,
            errors: group.errors ?? false,
          };
          if (seen.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
          seen.add(c.id);
          cases.push(c);
        }
      }
    }
  }
  return cases;
}

/** What a case's fixture depends on (caselist.py::spec_hash). */
export function specHash(c: Case): string {
  const spec = { fn: c.fn, args: c.args, kwargs: c.kwargs, x64: c.x64, mode: c.mode, tol: c.tol, errors: c.errors };
  return createHash('sha1').update(canonicalJson(spec)).digest('hex').slice(0, 12);
}

export function loadCases(family: Family): Case[] {
  const file = path.join(ROOT, 'scripts/parity/cases', `${family}.json`);
  return expand(family, JSON.parse(readFileSync(file, 'utf8')) as { groups: Group[] });
}
