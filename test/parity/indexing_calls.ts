// The `indexing` family on the jaxts side (scripts/parity/indexing.py is the JAX side):
// `x.slice(...index)` for x[idx] and `x.at(...index).set/add/multiply/min/max/get(...)`.
// Index entries: an int, null (newaxis), '...', { slice: [start, stop, step] } (nulls allowed)
// or an array (advanced indexing).
import { camelKeys } from './names.js';
import { Array } from '../../lib/index.js';
import type { IndexEntry } from '../../lib/core/array.js';
import type { Arg, Resolved } from './calls.js';

function entry(e: unknown): IndexEntry {
  if (e instanceof Array || e === null || e === '...' || typeof e === 'number') return e as IndexEntry;
  if (typeof e === 'object' && e !== null && 'slice' in e) {
    const [start, stop, step] = (e as { slice: (number | null)[] }).slice;
    return [start ?? undefined, stop ?? undefined, step ?? undefined];
  }
  throw new Error(`parity: bad index entry ${JSON.stringify(e)}`);
}

const METHODS: Record<string, string> = {
  at_set: 'set',
  at_add: 'add',
  at_subtract: 'subtract',
  at_multiply: 'multiply',
  at_divide: 'divide',
  at_power: 'power',
  at_min: 'min',
  at_max: 'max',
  at_get: 'get',
};

export function indexingCase(name: string): Resolved {
  if (name !== 'getitem' && !(name in METHODS)) return { unsupported: `indexing.${name} is not mapped by the parity suite` };
  return {
    via: name === 'getitem' ? 'Array.slice' : `Array.at().${METHODS[name]}`,
    invoke: (args: Arg[], kwargs: Record<string, Arg>) => {
      const [x, index, ...rest] = args as [Array, unknown[], ...unknown[]];
      const idx = index.map(entry);
      if (name === 'getitem') return x.slice(...idx);
      const at = x.at(...idx) as unknown as Record<string, (...a: unknown[]) => unknown>;
      const method = at[METHODS[name]!];
      if (typeof method !== 'function') throw new TypeError(`x.at(...).${METHODS[name]} is not a function`);
      const options = Object.keys(kwargs).length ? [camelKeys(kwargs)] : [];
      return method.call(at, ...rest, ...options);
    },
  };
}
