// Maps a JAX function path and its Python-style arguments onto the jaxts public API
// (DESIGN.md "Public API conventions"): camelCase names, positional arguments as in JAX,
// keyword arguments in a trailing options object with camelCase keys. lax primitives without a
// friendlier function are bound directly with JAX's (snake_case) params.
import { lax, numpy as jnp } from '../../lib/index.js';
import type { Json } from './caselist.js';

/** An argument after fixture arrays replaced their generator specs. */
export type Arg = unknown;

export type Invoke = (args: Arg[], kwargs: Record<string, Arg>) => unknown;

export type Resolved = { invoke: Invoke; via: string } | { unsupported: string };

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

interface Bindable {
  bind(args: unknown[], params?: Record<string, unknown>): unknown[];
  bind1(args: unknown[], params?: Record<string, unknown>): unknown;
  multipleResults: boolean;
}
const isPrimitive = (x: unknown): x is Bindable => typeof x === 'object' && x !== null && typeof (x as Bindable).bind1 === 'function';

// JAX's lax function names whose jaxts primitive export has another name (the primitive's).
const LAX_PRIMITIVE_NAMES: Record<string, string> = {
  bitwise_and: 'and',
  bitwise_or: 'or',
  bitwise_xor: 'xor',
  bitwise_not: 'not',
  broadcasted_iota: 'iota',
};

// JAX's lax function keywords → the primitive's params, where they differ or have defaults.
const LAX_PARAMS: Record<string, (kw: Record<string, Arg>) => Record<string, Arg>> = {
  convert_element_type: (kw) => ({ new_dtype: kw.new_dtype, weak_type: false }),
  argmax: (kw) => ({ axes: [kw.axis], index_dtype: kw.index_dtype }),
  argmin: (kw) => ({ axes: [kw.axis], index_dtype: kw.index_dtype }),
  dot_general: (kw) => ({ dimension_numbers: kw.dimension_numbers, preferred_element_type: kw.preferred_element_type ?? null }),
  reshape: (kw) => ({ new_sizes: kw.new_sizes, dimensions: kw.dimensions ?? null }),
  round: (kw) => ({ rounding_method: kw.rounding_method ?? 0 }),
};

const camelKeys = (kw: Record<string, Arg>): Record<string, Arg> => Object.fromEntries(Object.entries(kw).map(([k, v]) => [camel(k), v]));

/** Calls a function with JAX's positional arguments and, if any, the keyword options. */
function callFunction(f: (...a: unknown[]) => unknown): Invoke {
  return (args, kwargs) => (Object.keys(kwargs).length ? f(...args, camelKeys(kwargs)) : f(...args));
}

/** How jaxts runs `fn`, or why it cannot yet. */
export function resolve(fn: string): Resolved {
  const [namespace, name] = fn.split('.') as [string, string];
  if (namespace === 'numpy') {
    const f = (jnp as Record<string, unknown>)[camel(name)];
    if (typeof f !== 'function') return { unsupported: `jnp.${camel(name)} is not a function` };
    return { invoke: callFunction(f as (...a: unknown[]) => unknown), via: `jnp.${camel(name)}` };
  }
  if (namespace === 'lax') {
    const exports = lax as Record<string, unknown>;
    let jsName = camel(name);
    if (exports[jsName] === undefined && LAX_PRIMITIVE_NAMES[name]) jsName = LAX_PRIMITIVE_NAMES[name]!;
    const f = exports[jsName];
    if (isPrimitive(f)) {
      const params = LAX_PARAMS[name] ?? ((kw: Record<string, Arg>) => kw);
      return {
        via: `lax.${jsName}.bind`,
        invoke: (args, kwargs) => {
          const operands = args.flat();
          if (operands.some((a) => typeof a !== 'object' || a === null)) {
            throw new TypeError(`parity: positional non-array argument for primitive lax.${jsName}; give it as a keyword (param) in the case`);
          }
          return f.multipleResults ? f.bind(operands, params(kwargs)) : f.bind1(operands, params(kwargs));
        },
      };
    }
    if (typeof f !== 'function') return { unsupported: `lax.${camel(name)} is not a function` };
    return { invoke: callFunction(f as (...a: unknown[]) => unknown), via: `lax.${jsName}` };
  }
  return { unsupported: `namespace ${namespace} is not mapped by the parity suite yet` };
}

export type { Json };
