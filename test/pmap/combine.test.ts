// Independent psums over the same axis are merged into one before a pmap's body is lowered (one
// all_reduce rendezvous); psums that feed each other, or over other axes, stay apart.
import { makeJaxpr, numpy as jnp, type Array, type ClosedJaxpr, type Jaxpr } from '../../lib/index.js';
import { combineCollectives } from '../../lib/api/combine_collectives.js';
import { pmap } from '../../lib/api/pmap.js';
import { pmean, psum } from '../../lib/lax/parallel.js';
import { configureBackends } from '../../lib/runtime/registry.js';

configureBackends({ cpuDeviceCount: 4 });

/** The per-device body of the (single) pmap in `f`'s jaxpr. */
function body(f: (x: Array) => unknown, x: Array): Jaxpr {
  const outer = makeJaxpr(f)(x).jaxpr;
  const eqn = outer.eqns.find((e) => e.primitive.name === 'xla_pmap')!;
  return (eqn.params.jaxpr as ClosedJaxpr).jaxpr;
}
const psumCounts = (j: Jaxpr): number[] => j.eqns.filter((e) => e.primitive.name === 'psum').map((e) => e.inputs.length);
const x = jnp.arange(8, { dtype: 'float32' }).reshape([4, 2]);

test('a loss pmean and a gradient pmean become one psum', () => {
  const step = pmap((v: Array) => {
    const loss = v.square().sum();
    return [pmean(loss, 'i'), pmean(v.mul(2), 'i')];
  }, { axisName: 'i' });
  const before = body(step, x);
  expect(psumCounts(before)).toEqual([1, 1]);
  const after = combineCollectives(before);
  expect(psumCounts(after)).toEqual([2]);
  expect(after.eqns.length).toBe(before.eqns.length - 1);
  const [m, g] = step(x) as Array[];
  expect([m!.tolistSync(), g!.tolistSync()]).toEqual([[35, 35, 35, 35], [[6, 8], [6, 8], [6, 8], [6, 8]]]);
});

test('a psum of a psum, and psums over different axes, stay apart', () => {
  const chained = body(pmap((v: Array) => psum(psum(v, 'i').mul(2), 'i'), { axisName: 'i' }), x);
  expect(combineCollectives(chained)).toBe(chained);
  const f = pmap((v: Array) => pmap((u: Array) => [psum(u, 'i'), psum(u, 'j')], { axisName: 'j' })(v), { axisName: 'i' });
  const outerBody = body(f, jnp.ones([2, 2, 2]));
  const inner = (outerBody.eqns.find((e) => e.primitive.name === 'xla_pmap')!.params.jaxpr as ClosedJaxpr).jaxpr;
  expect(psumCounts(inner)).toEqual([1, 1]);
  expect(combineCollectives(inner)).toBe(inner);
});
