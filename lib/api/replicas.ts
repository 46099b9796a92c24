// The replica layout of a program that holds pmaps: a pmap inside another pmap or inside jit is
// lowered as JAX's first pmap implementation did, with every pmap axis a factor of the
// program's replicas (replica id = position along the axes, outermost first). Each replica
// takes its slice of a pmap's mapped inputs with dynamic_slice and all-gathers the outputs.
import { ClosedJaxpr, Jaxpr } from '../core/jaxpr.js';
import type { ReplicaAxis } from '../lax/parallel.js';

const known = new WeakMap<Jaxpr, ReplicaAxis[]>();

/** Sub-jaxprs held by an equation's parameters (call bodies, branches, loop bodies). */
function* subJaxprs(value: unknown): Generator<Jaxpr> {
  if (value instanceof ClosedJaxpr) yield value.jaxpr;
  else if (value instanceof Jaxpr) yield value;
  else if (globalThis.Array.isArray(value)) for (const v of value) yield* subJaxprs(v);
}

/** The pmap axes nested in `jaxpr`, outermost first; empty when it holds no pmap. */
export function nestedPmapAxes(jaxpr: Jaxpr): ReplicaAxis[] {
  let axes = known.get(jaxpr);
  if (axes) return axes;
  let found: ReplicaAxis[] | undefined;
  const agree = (candidate: ReplicaAxis[]) => {
    if (found && JSON.stringify(found) !== JSON.stringify(candidate)) {
      const show = (a: ReplicaAxis[]) => a.map((x) => `${x.name}=${x.size}`).join(', ');
      throw new Error(`jaxts: one program holds pmaps over different axes ([${show(found)}] and [${show(candidate)}]); pmaps in one program must map the same axes`);
    }
    found = candidate;
  };
  for (const eqn of jaxpr.eqns) {
    if (eqn.primitive.name === 'xla_pmap') {
      const inner = (eqn.params.jaxpr as ClosedJaxpr).jaxpr;
      agree([{ name: eqn.params.axis_name as string, size: eqn.params.axis_size as number }, ...nestedPmapAxes(inner)]);
      continue;
    }
    for (const value of Object.values(eqn.params)) {
      for (const sub of subJaxprs(value)) {
        const inner = nestedPmapAxes(sub);
        if (inner.length) agree(inner);
      }
    }
  }
  axes = found ?? [];
  known.set(jaxpr, axes);
  return axes;
}

export const replicaCount = (axes: readonly ReplicaAxis[]): number => axes.reduce((n, a) => n * a.size, 1);
