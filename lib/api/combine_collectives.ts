// Before a pmap's body is lowered, independent psums over the same axis become one psum (one
// variadic all_reduce: one rendezvous of the devices instead of several). A training step's
// pmean of the loss and pmean of the gradients are the usual pair. XLA's CPU pipeline does not
// combine all-reduces of replica programs itself.
import { Jaxpr, Var, type Atom, type JaxprEqn } from '../core/jaxpr.js';

const COMBINABLE = new Set(['psum']);

/** `jaxpr` with its independent same-axis psums merged; the jaxpr itself when nothing merges. */
export function combineCollectives(jaxpr: Jaxpr): Jaxpr {
  const eqns = jaxpr.eqns;
  // The psums each equation depends on, transitively (by index among the psums).
  const dependsOn = new Map<Var, Set<number>>();
  const psums: number[] = []; // equation indices of the psums
  const groups: { key: string; members: number[] }[] = [];
  const inputDeps = (eqn: JaxprEqn): Set<number> => {
    const deps = new Set<number>();
    for (const a of eqn.inputs) if (a instanceof Var) for (const d of dependsOn.get(a) ?? []) deps.add(d);
    return deps;
  };
  eqns.forEach((eqn, e) => {
    const deps = inputDeps(eqn);
    if (COMBINABLE.has(eqn.primitive.name)) {
      const id = psums.push(e) - 1;
      const key = `${eqn.primitive.name}:${eqn.params.axis_name as string}:${eqn.params.axis_size as number}`;
      // Join the first group of the same kind that this psum does not depend on.
      const g = groups.findIndex((grp) => grp.key === key && grp.members.every((m) => !deps.has(m)));
      if (g >= 0) groups[g]!.members.push(id);
      else groups.push({ key, members: [id] });
      deps.add(id);
    }
    for (const v of eqn.outVars) dependsOn.set(v, deps);
  });
  if (groups.every((g) => g.members.length === 1)) return jaxpr;

  // Nodes: each non-merged equation, and one merged equation per group (at its last member).
  interface Node {
    eqn: JaxprEqn;
    order: number;
  }
  const nodes: Node[] = [];
  const merged = new Set<number>();
  for (const g of groups) {
    if (g.members.length === 1) continue;
    const members = g.members.map((m) => eqns[psums[m]!]!);
    g.members.forEach((m) => merged.add(psums[m]!));
    nodes.push({
      eqn: { primitive: members[0]!.primitive, params: members[0]!.params, inputs: members.flatMap((m) => m.inputs), outVars: members.flatMap((m) => m.outVars) },
      order: psums[g.members.at(-1)!]!,
    });
  }
  eqns.forEach((eqn, e) => {
    if (!merged.has(e)) nodes.push({ eqn, order: e });
  });
  const sorted = topologicalOrder(nodes);
  return sorted ? new Jaxpr(jaxpr.constVars, jaxpr.inVars, sorted, jaxpr.outs) : jaxpr;
}

/** Equations in dependency order, earliest original position first; null on a cycle. */
function topologicalOrder(nodes: { eqn: JaxprEqn; order: number }[]): JaxprEqn[] | null {
  const producer = new Map<Var, number>();
  nodes.forEach((n, i) => n.eqn.outVars.forEach((v) => producer.set(v, i)));
  const consumers: number[][] = nodes.map(() => []);
  const waiting = nodes.map((n, i) => {
    const from = new Set<number>();
    for (const a of n.eqn.inputs as Atom[]) {
      const p = a instanceof Var ? producer.get(a) : undefined;
      if (p !== undefined && p !== i) from.add(p);
    }
    for (const p of from) consumers[p]!.push(i);
    return from.size;
  });
  const ready = nodes.map((_, i) => i).filter((i) => waiting[i] === 0);
  const out: JaxprEqn[] = [];
  while (ready.length) {
    // The ready node that came first in the original program.
    let best = 0;
    for (let k = 1; k < ready.length; k++) if (nodes[ready[k]!]!.order < nodes[ready[best]!]!.order) best = k;
    const i = ready.splice(best, 1)[0]!;
    out.push(nodes[i]!.eqn);
    for (const c of consumers[i]!) if (--waiting[c]! === 0) ready.push(c);
  }
  return out.length === nodes.length ? out : null;
}
