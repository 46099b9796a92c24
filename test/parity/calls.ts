// Maps a JAX function path and its Python-style arguments onto the jaxts public API
// (DESIGN.md "Public API conventions"): camelCase names, positional arguments as in JAX,
// keyword arguments in a trailing options object with camelCase keys. lax primitives without a
// friendlier function are bound directly with JAX's (snake_case) params.
import { camel, camelKeys } from './names.js';
import { indexingCase } from './indexing_calls.js';
import { checkpoint, checkpointPolicies, hessian, grad, jacfwd, jacobian, jacrev, jit, jvp, lax, linearize, linearTranspose, nn, numpy as jnp, random, remat, valueAndGrad, vjp, vmap } from '../../lib/index.js';
import { CATALOGUE } from './catalogue.js';
import { optimCall } from './optim_calls.js';
import { parallelCase } from './parallel.js';
import type { Json } from './caselist.js';

/** An argument after fixture arrays replaced their generator specs. */
export type Arg = unknown;

export type Invoke = (args: Arg[], kwargs: Record<string, Arg>) => unknown;

export type Resolved = { invoke: Invoke; via: string } | { unsupported: string };


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
  iota: (kw) => ({ dtype: kw.dtype, shape: [kw.size], dimension: 0 }),
  // lax.gather's and lax.scatter*'s defaults: mode=None is PROMISE_IN_BOUNDS for gather, FILL_OR_DROP for scatters
  gather: (kw) => ({ ...kw, indices_are_sorted: kw.indices_are_sorted ?? false, unique_indices: kw.unique_indices ?? false, mode: kw.mode ?? 'promise_in_bounds', fill_value: kw.fill_value ?? null }),
  ...Object.fromEntries(['scatter', 'scatter_add', 'scatter_mul', 'scatter_min', 'scatter_max'].map((n) => [n, (kw: Record<string, Arg>) => ({
    ...kw, indices_are_sorted: kw.indices_are_sorted ?? false, unique_indices: kw.unique_indices ?? false, mode: kw.mode ?? 'fill',
  })])),
};

// JAX's lax classes: a NamedTuple called with keywords is constructed from one object with JAX's field names.
const LAX_CLASSES = new Set(['GatherDimensionNumbers', 'ScatterDimensionNumbers', 'ConvDimensionNumbers']);

// lax function exports whose JAX arguments need converting to jaxts's documented form.
const LAX_ARGS: Record<string, (args: Arg[], kwargs: Record<string, Arg>) => [Arg[], Record<string, Arg>]> = {
  // JAX passes the computation as a function (lax.add, ...); jaxts names the monoid
  reduce_window: (args, kwargs) => {
    const f = args[2] as { name?: string } | undefined;
    const computation = { 'lax.add': 'add', 'lax.mul': 'mul', 'lax.max': 'max', 'lax.min': 'min' }[f?.name ?? ''];
    if (!computation) throw new TypeError(`lax.reduceWindow: a general computation (${f?.name}) is not supported; it takes add, mul, max or min`);
    return [[...args.slice(0, 2), computation, ...args.slice(3)], kwargs];
  },
};


/** Calls a function with JAX's positional arguments and, if any, the keyword options. */
function callFunction(f: (...a: unknown[]) => unknown): Invoke {
  return (args, kwargs) => (Object.keys(kwargs).length ? f(...args, camelKeys(kwargs)) : f(...args));
}

type Fn = (...args: never[]) => unknown;
type Wrap = (f: Fn, options: Record<string, Arg>) => Fn;
// A checkpoint policy is named as in jax.checkpoint_policies (snake_case).
const rematOptions = (o: Record<string, Arg>) => (typeof o.policy === 'string' ? { ...o, policy: checkpointPolicies[camel(o.policy) as keyof typeof checkpointPolicies] } : o);
// The transformations that wrap a function; those in OUTERMOST call it, so they can only be outermost.
const TRANSFORMS: Record<string, Wrap> = {
  grad: (f, o) => grad(f, o),
  value_and_grad: (f, o) => valueAndGrad(f, o),
  jacfwd: (f, o) => jacfwd(f, o),
  jacrev: (f, o) => jacrev(f, o),
  jacobian: (f, o) => jacobian(f, o),
  hessian: (f, o) => hessian(f, o),
  vmap: (f, o) => vmap(f, o),
  jit: (f, o) => jit(f, o) as Fn,
  checkpoint: (f, o) => checkpoint(f, rematOptions(o)) as Fn,
  remat: (f, o) => remat(f, rematOptions(o)) as Fn,
};
// `call` is no transformation: f(...args) (catalogue.py OUTERMOST).
const OUTERMOST = ['jvp', 'vjp', 'linearize', 'linear_transpose', 'call'];

/** `jit(vmap(grad))` → ['jit', 'vmap', 'grad'], outermost first (catalogue.py::chain). */
function chain(name: string): string[] {
  const names = name.match(/[a-z_]+/g) ?? [];
  if (names.slice(0, -1).map((n) => `${n}(`).join('') + names.at(-1) + ')'.repeat(names.length - 1) !== name) throw new Error(`parity: bad transformation chain ${name}`);
  return names;
}

/** `transforms.<chain>`: the chain applied to the catalogue function kwargs.f (catalogue.py::apply). */
function transformCase(name: string): Resolved {
  const names = chain(name);
  const missing = names.find((n) => !(n in TRANSFORMS) && !OUTERMOST.includes(n));
  if (missing) return { unsupported: `transformation ${missing} is not mapped by the parity suite` };
  return {
    via: `transforms.${name}`,
    invoke: (args, kwargs) => {
      const { f: fname, cotangent, options, ...single } = kwargs;
      const opts = (names.length === 1 ? [single] : ((options as Record<string, Arg>[] | undefined) ?? names.map(() => ({})))).map(camelKeys);
      let f = CATALOGUE[fname as string];
      if (!f) throw new Error(`parity: no catalogue function ${String(fname)}`);
      const [outer, ...inner] = names;
      const wrapped = OUTERMOST.includes(outer!) ? inner : names;
      for (let i = names.length - 1; i >= names.length - wrapped.length; i--) {
        if (OUTERMOST.includes(names[i]!)) throw new Error(`parity: ${names[i]} must be the outermost transformation`);
        f = TRANSFORMS[names[i]!]!(f, opts[i]!);
      }
      const o = opts[0]!;
      const hasOptions = Object.keys(o).length > 0;
      if (outer === 'jvp') return hasOptions ? jvp(f, args[0] as never, args[1] as unknown[], o) : jvp(f, args[0] as never, args[1] as unknown[]);
      if (outer === 'linearize') {
        // [out, fJvp(...tangents)] (and aux), as catalogue.py
        const [out, fJvp, ...aux] = (linearize as (f: Fn, ...a: unknown[]) => unknown[])(f, ...(args[0] as unknown[]), ...(hasOptions ? [o] : []));
        return [out, (fJvp as (...t: unknown[]) => unknown)(...(args[1] as unknown[])), ...aux];
      }
      if (outer === 'linear_transpose') return (linearTranspose as (f: Fn, ...a: unknown[]) => (ct: unknown) => unknown)(f, ...args)(cotangent);
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

// jax.nn.initializers factory arguments jaxts takes positionally; the rest go in the options object.
const INITIALIZER_POSITIONAL: Record<string, string[]> = { constant: ['value', 'dtype'], variance_scaling: ['scale', 'mode', 'distribution'] };

/** `nn.initializers.<name>`: factory(kwargs)(key, shape, dtype); zeros and ones are initializers themselves. */
function initializerCall(name: string): Resolved {
  const f = (nn.initializers as Record<string, unknown>)[camel(name)];
  if (typeof f !== 'function') return { unsupported: `nn.initializers.${camel(name)} is not a function` };
  const factory = f as (...a: unknown[]) => (...a: unknown[]) => unknown;
  if (name === 'zeros' || name === 'ones') return { via: `nn.initializers.${name}`, invoke: (args) => factory(...args) };
  const positional = INITIALIZER_POSITIONAL[name] ?? [];
  return {
    via: `nn.initializers.${camel(name)}`,
    invoke: (args, kwargs) => {
      const options = camelKeys(Object.fromEntries(Object.entries(kwargs).filter(([k]) => !positional.includes(k))));
      return factory(...positional.map((k) => kwargs[k]), ...(Object.keys(options).length ? [options] : []))(...args);
    },
  };
}

/** How jaxts runs `fn`, or why it cannot yet. */
export function resolve(fn: string): Resolved {
  const dot = fn.indexOf('.');
  const [namespace, name] = [fn.slice(0, dot), fn.slice(dot + 1)];
  if (namespace === 'numpy') return namespaceFunction(jnp, 'jnp', name);
  if (namespace === 'random') return namespaceFunction(random, 'random', name);
  if (namespace === 'nn' && name.startsWith('initializers.')) return initializerCall(name.slice('initializers.'.length));
  if (namespace === 'nn') return namespaceFunction(nn, 'nn', name);
  if (namespace === 'indexing') return indexingCase(name); // x[idx] and x.at[idx] (indexing_calls.ts)
  if (namespace === 'optim') return optimCall(name);
  if (namespace === 'transforms') return transformCase(name);
  if (namespace === 'parallel') return parallelCase(name); // collectives and pmap over 4 devices (parallel.ts)
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
    if (LAX_CLASSES.has(jsName)) {
      const C = f as new (...a: unknown[]) => unknown;
      return { via: `new lax.${jsName}`, invoke: (args, kwargs) => new C(...args, ...(Object.keys(kwargs).length ? [kwargs] : [])) };
    }
    const call = callFunction(f as (...a: unknown[]) => unknown);
    const convert = LAX_ARGS[name];
    return { invoke: convert ? (args, kwargs) => call(...convert(args, kwargs)) : call, via: `lax.${jsName}` };
  }
  return { unsupported: `namespace ${namespace} is not mapped by the parity suite yet` };
}

export type { Json };
