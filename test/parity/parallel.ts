// The parallel family's calls, operation for operation as scripts/parity/parallel.py makes them:
// `parallel.<collective>` applies lax.<collective> (camelCased, JAX's positional parameters
// positional, the others in an options object) under pmap / vmap with axis names 'i' (and 'j'),
// optionally differentiated; `parallel.pmap` calls pmap with its options on a small body.
// Convention: scripts/parity/README.md ("The parallel family").
import { camel, camelKeys } from './names.js';
import { grad, jit, jvp, lax, makeMesh, NamedSharding, numpy as jnp, P, pmap, vmap, type Array, type SpecEntry } from '../../lib/index.js';
import type { Arg, Invoke, Resolved } from './calls.js';
import { leaves } from './compare.js';

type Fn = (...args: never[]) => unknown;
type Kwargs = Record<string, Arg>;


// Each collective's parameters (parallel.py::PARAMS); `positional` ones follow the axis name, as in JAX.
const PARAMS: Record<string, { positional?: string[]; keyword?: string[] }> = {
  psum: {}, pmean: {}, pmax: {}, pmin: {}, axis_index: {}, axis_size: {},
  all_gather: { keyword: ['axis', 'tiled'] },
  all_to_all: { positional: ['split_axis', 'concat_axis'], keyword: ['tiled'] },
  ppermute: { positional: ['perm'] },
  psum_scatter: { keyword: ['scatter_dimension', 'tiled'] },
};
const OWN = ['map', 'axis_name', 'ad'];

/** x => lax.<name>(x, axisName, ...positional, { keywords }) (axisIndex/axisSize take only the name). */
function collective(f: (...a: unknown[]) => unknown, name: string, axisName: Arg, kwargs: Kwargs): (x: unknown) => unknown {
  const { positional = [], keyword = [] } = PARAMS[name]!;
  const pos = positional.map((k) => kwargs[k]);
  const options = Object.fromEntries(keyword.filter((k) => k in kwargs).map((k) => [camel(k), kwargs[k]]));
  const rest = Object.keys(options).length ? [options] : [];
  if (name === 'axis_index' || name === 'axis_size') return () => f(axisName);
  return (x) => f(x, axisName, ...pos, ...rest);
}

/** f mapped over axis 0 (parallel.py::mapped). */
function mapped(f: Fn, how: string): Fn {
  if (how === 'pmap') return pmap(f, { axisName: 'i' });
  if (how === 'vmap') return vmap(f, { axisName: 'i' });
  if (how === 'pmap_vmap') return pmap(vmap(f, { axisName: 'j' }), { axisName: 'i' });
  if (how === 'none') return f;
  throw new Error(`parity: unknown map ${how}`);
}

/** sum over the output leaves of sum(sin(leaf)) (parallel.py::sin_sum). */
const sinSum = (out: unknown): Array =>
  (leaves(out) as Array[]).map((l) => jnp.sum(jnp.sin(l))).reduce((a, b) => a.add(b));

function collectiveCase(name: string): Resolved {
  const f = (lax as Record<string, unknown>)[camel(name)];
  if (typeof f !== 'function') return { unsupported: `lax.${camel(name)} is not a function` };
  const invoke: Invoke = (args, kwargs) => {
    const known = new Set([...OWN, ...Object.values(PARAMS).flatMap((p) => [...(p.positional ?? []), ...(p.keyword ?? [])])]);
    const unknown = Object.keys(kwargs).filter((k) => !known.has(k));
    if (unknown.length) throw new Error(`parity: parallel.${name}: unknown keywords ${unknown.join(', ')}`);
    const c = collective(f as (...a: unknown[]) => unknown, name, kwargs.axis_name ?? 'i', kwargs) as Fn;
    const how = (kwargs.map as string | undefined) ?? 'pmap';
    switch (kwargs.ad as string | undefined) {
      case undefined:
        return (mapped(c, how) as (...a: unknown[]) => unknown)(...args);
      case 'grad': // each device's (example's) loss, differentiated inside the map
        return (mapped(grad((x: Array) => sinSum((c as (x: Array) => unknown)(x))), how) as (x: unknown) => unknown)(args[0]);
      case 'grad_of_map': // a loss of the mapped function's whole output
        return grad((x: Array) => sinSum((mapped(c, how) as (x: Array) => unknown)(x)))(args[0] as Array);
      case 'jvp':
        return jvp(mapped(c, how) as (x: Array) => Array, [args[0] as Array], [args[1] as Array]);
      default:
        throw new Error(`parity: unknown ad ${String(kwargs.ad)}`);
    }
  };
  return { invoke, via: `lax.${camel(name)} (mapped)` };
}

// pmap bodies for `parallel.pmap` (parallel.py::BODIES).
const BODIES: Record<string, Fn> = {
  affine: (x: Array, y: Array) => x.mul(y).add(lax.psum(y, 'i')),
  pair: (x: Array) => [x.mul(2.5), lax.psum(x, 'i')],
  tree: (p: { u: Array; w: Array }, s: number) => [p.u.mul(p.w).mul(s), lax.psum(p.u, 'i')],
};

const pmapCase: Resolved = {
  via: 'pmap',
  invoke: (args, kwargs) => {
    const { body, ...options } = kwargs;
    const f = BODIES[body as string];
    if (!f) throw new Error(`parity: no pmap body ${String(body)}`);
    const opts = camelKeys(options);
    return (pmap(f, { axisName: 'i', ...opts }) as (...a: unknown[]) => unknown)(...args);
  },
};

// bodies for `parallel.sharded_jit` (parallel.py::SHARDED_BODIES).
const SHARDED_BODIES: Record<string, Fn> = {
  dense: (u: Array, w: Array) => jnp.tanh(jnp.dot(u, w)).add(1),
  reduce: (u: Array, w: Array) => jnp.sum(u.mul(2), 1).add(jnp.sum(w)),
};

const shardedJitCase: Resolved = {
  via: 'jit(f, { inShardings, outShardings })',
  invoke: (args, kwargs) => {
    const mesh = makeMesh(kwargs.mesh as number[], kwargs.axes as string[]);
    const sharding = (spec: Arg) => new NamedSharding(mesh, P(...(spec as SpecEntry[])));
    let body = SHARDED_BODIES[kwargs.body as string]!;
    if (kwargs.constraint !== undefined) {
      const inner = body;
      const c = sharding(kwargs.constraint);
      body = (...a: never[]) => lax.withShardingConstraint(inner(...a) as Array, c);
    }
    const inShardings = (kwargs.in_specs as Arg[]).map(sharding);
    const options = kwargs.out_spec != null ? { inShardings, outShardings: sharding(kwargs.out_spec) } : { inShardings };
    return (jit(body, options) as unknown as (...a: unknown[]) => unknown)(...args);
  },
};

/** How jaxts runs `parallel.<name>`. */
export function parallelCase(name: string): Resolved {
  if (name === 'pmap') return pmapCase;
  if (name === 'sharded_jit') return shardedJitCase;
  if (!(name in PARAMS)) return { unsupported: `parallel.${name} is not mapped by the parity suite` };
  return collectiveCase(name);
}
