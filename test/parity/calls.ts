// Maps a JAX function path and its Python-style arguments onto the jaxts public API
// (DESIGN.md "Public API conventions"): camelCase names, positional arguments as in JAX,
// keyword arguments in a trailing options object with camelCase keys. lax primitives without a
// friendlier function are bound directly with JAX's (snake_case) params.
import { hessian, grad, jacfwd, jacrev, jit, jvp, lax, nn, numpy as jnp, random, valueAndGrad, vjp, vmap } from '../../lib/index.js';
import { CATALOGUE } from './catalogue.js';
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

type Fn = (...args: never[]) => unknown;
type Wrap = (f: Fn, options: Record<string, Arg>) => Fn;
// The transformations that wrap a function; jvp and vjp call it, so they can only be outermost.
const TRANSFORMS: Record<string, Wrap> = {
  grad: (f, o) => grad(f, o),
  value_and_grad: (f, o) => valueAndGrad(f, o),
  jacfwd: (f, o) => jacfwd(f, o),
  jacrev: (f, o) => jacrev(f, o),
  hessian: (f, o) => hessian(f, o),
  vmap: (f, o) => vmap(f, o),
  jit: (f, o) => jit(f, o) as Fn,
};

/** `jit(vmap(grad))` → ['jit', 'vmap', 'grad'], outermost first (catalogue.py::chain). */
function chain(name: string): string[] {
  const names = name.match(/[a-z_]+/g) ?? [];
  if (names.slice(0, -1).map((n) => `${n}(`).join('') + names.at(-1) + ')'.repeat(names.length - 1) !== name) throw new Error(`parity: bad transformation chain ${name}`);
  return names;
}

/** `transforms.<chain>`: the chain applied to the catalogue function kwargs.f (catalogue.py::apply). */
function transformCase(name: string): Resolved {
  const names = chain(name);
  const missing = names.find((n) => !(n in TRANSFORMS) && n !== 'jvp' && n !== 'vjp');
  if (missing) return { unsupported: `transformation ${missing} is not mapped by the parity suite` };
  return {
    via: `transforms.${name}`,
    invoke: (args, kwargs) => {
      const { f: fname, cotangent, options, ...single } = kwargs;
      const opts = (names.length === 1 ? [single] : ((options as Record<string, Arg>[] | undefined) ?? names.map(() => ({})))).map(camelKeys);
      let f = CATALOGUE[fname as string];
      if (!f) throw new Error(`parity: no catalogue function ${String(fname)}`);
      const [outer, ...inner] = names;
      const wrapped = outer === 'jvp' || outer === 'vjp' ? inner : names;
      for (let i = names.length - 1; i >= names.length - wrapped.length; i--) f = TRANSFORMS[names[i]!]!(f, opts[i]!);
      const o = opts[0]!;
      const hasOptions = Object.keys(o).length > 0;
      if (outer === 'jvp') return hasOptions ? jvp(f, args[0] as never, args[1] as unknown[], o) : jvp(f, args[0] as never, args[1] as unknown[]);
      if (outer === 'vjp') {
        const result = (vjp as (f: Fn, ...a: unknown[]) => unknown[])(f, ...args, ...(hasOptions ? [o] : []));
        // DESIGN.md: vjp returns [out, vjpFn] ([out, vjpFn, aux] with hasAux)
        const expected = o.hasAux ? 3 : 2;
        if (result.length !== expected) throw new Error(`vjp returned ${result.length} items; the API promises ${expected} ([out, vjpFn${o.hasAux ? ', aux' : ''}])`);
        const [out, vjpFn, ...aux] = result;
        return [out, (vjpFn as (ct: unknown) => unknown)(cotangent), ...aux];
      }
      return (f as (...a: unknown[]) => unknown)(...args);
    },
  };
}

/** A function of a namespace object, called with JAX's positional arguments and trailing options. */
function namespaceFunction(ns: unknown, label: string, name: string): Resolved {
  const f = (ns as Record<string, unknown>)[camel(name)] ?? (ns as Record<string, unknown>)[name];
  if (typeof f !== 'function') return { unsupported: `${label}.${camel(name)} is not a function` };
  return { invoke: callFunction(f as (...a: unknown[]) => unknown), via: `${label}.${camel(name)}` };
}

/** How jaxts runs `fn`, or why it cannot yet. */
export function resolve(fn: string): Resolved {
  const dot = fn.indexOf('.');
  const [namespace, name] = [fn.slice(0, dot), fn.slice(dot + 1)];
  if (namespace === 'numpy') return namespaceFunction(jnp, 'jnp', name);
  if (namespace === 'random') return namespaceFunction(random, 'random', name);
  if (namespace === 'nn') return namespaceFunction(nn, 'nn', name);
  if (namespace === 'transforms') return transformCase(name);
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
