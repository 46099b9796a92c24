// What the batching rules emit: batch axes move only where an operation needs them somewhere
// in particular (reshape, transpose, two differently batched operands), as JAX's rules do.
// Checked on the jaxprs of vmapped functions; the values are checked in primitives.test.ts.
import { lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const ones = (...shape: number[]) => jnp.ones(shape, { dtype: 'float32' });
/** The primitive names of the jaxpr of `fn` at `args`, in order. */
const prims = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => makeJaxpr(fn as (...xs: Array[]) => Array)(...args).jaxpr.eqns.map((e) => e.primitive.name);
const text = (fn: (...xs: Array[]) => unknown, ...args: Array[]) => String(makeJaxpr(fn as (...xs: Array[]) => Array)(...args));
const add = (x: Array, y: Array) => lax.add.bind1([x, y]);

describe('batching rules move batch axes only when needed', () => {
  test('elementwise: an unbatched operand is broadcast at the batched one\'s axis; differing axes cost one transpose', () => {
    expect(prims(vmap(add, { inAxes: [1, null], outAxes: 1 }), ones(2, 5), ones(2))).toEqual(['broadcast_in_dim', 'add']);
    expect(text(vmap(add, { inAxes: [1, null], outAxes: 1 }), ones(2, 5), ones(2))).toContain('broadcast_in_dim[broadcast_dimensions=(0,) shape=(2, 5)]');
    expect(prims(vmap(add, { inAxes: [1, 1], outAxes: 1 }), ones(2, 5), ones(2, 5))).toEqual(['add']);
    expect(prims(vmap(add, { inAxes: [1, 0], outAxes: 1 }), ones(2, 5), ones(5, 2))).toEqual(['transpose', 'add']);
    // unary ops keep the axis; the output is moved only if outAxes asks for another place
    expect(prims(vmap((x: Array) => lax.sin.bind1([x]), { inAxes: 1, outAxes: 1 }), ones(2, 5))).toEqual(['sin']);
    expect(prims(vmap((x: Array) => lax.sin.bind1([x]), { inAxes: 1 }), ones(2, 5))).toEqual(['sin', 'transpose']);
  });

  test('select_n and clamp: unbatched scalar predicates and bounds stay scalar', () => {
    const sel = (x: Array, y: Array) => lax.selectN.bind1([jnp.asarray(true), x, y]);
    expect(prims(vmap(sel, { inAxes: [2, 2], outAxes: 2 }), ones(2, 3, 4), ones(2, 3, 4))).toEqual(['select_n']);
    const clamp = (x: Array) => lax.clamp.bind1([jnp.asarray(0, 'float32'), x, jnp.asarray(1, 'float32')]);
    expect(prims(vmap(clamp, { inAxes: 1, outAxes: 1 }), ones(2, 3))).toEqual(['clamp']);
    // a batched scalar predicate is spread along the cases' batch axis
    const selScalar = (p: Array, x: Array, y: Array) => lax.selectN.bind1([p, x, y]);
    expect(text(vmap(selScalar, { inAxes: [0, 1, 1], outAxes: 1 }), jnp.array([true, false, true, false]), ones(2, 4), ones(2, 4))).toContain(
      'broadcast_in_dim[broadcast_dimensions=(1,) shape=(2, 4)]',
    );
  });

  test('broadcast_in_dim, squeeze, rev and reductions keep the batch axis where it is', () => {
    const bcast = (x: Array) => lax.broadcastInDim.bind1([x], { shape: [2, 7, 3], broadcast_dimensions: [0, 2] });
    const t = text(vmap(bcast, { inAxes: 1, outAxes: 1 }), ones(2, 5, 3));
    expect(t).toContain('broadcast_in_dim[broadcast_dimensions=(0, 1, 3) shape=(2, 5, 7, 3)]');
    expect(prims(vmap(bcast, { inAxes: 1, outAxes: 1 }), ones(2, 5, 3))).toEqual(['broadcast_in_dim']);
    const sq = (x: Array) => lax.squeeze.bind1([x], { dimensions: [0, 2] });
    expect(text(vmap(sq, { inAxes: 2, outAxes: 1 }), ones(1, 3, 5, 1))).toContain('squeeze[dimensions=(0, 3)]');
    expect(prims(vmap(sq, { inAxes: 2, outAxes: 1 }), ones(1, 3, 5, 1))).toEqual(['squeeze']);
    expect(text(vmap((x: Array) => lax.rev.bind1([x], { dimensions: [1] }), { inAxes: 1, outAxes: 1 }), ones(2, 5, 3))).toContain('rev[dimensions=(2,)]');
    expect(text(vmap((x: Array) => x.sum(0), { inAxes: 1, outAxes: 0 }), ones(2, 5, 3))).toMatch(/reduce_sum\[axes=\(0,\)\] a\n/);
    expect(prims(vmap((x: Array) => lax.argmax.bind1([x], { axes: [1], index_dtype: 'int32' }), { inAxes: 1, outAxes: 1 }), ones(2, 5, 3))).toEqual(['argmax']);
  });

  test('reshape and transpose move the batch axis to the front, as in JAX', () => {
    const rs = (x: Array) => lax.reshape.bind1([x], { new_sizes: [6] });
    expect(prims(vmap(rs), ones(5, 2, 3))).toEqual(['reshape']);
    expect(prims(vmap(rs, { inAxes: 1 }), ones(2, 5, 3))).toEqual(['transpose', 'reshape']);
    const tr = (x: Array) => lax.transpose.bind1([x], { permutation: [1, 0] });
    expect(text(vmap(tr, { inAxes: 1 }), ones(2, 5, 3))).toContain('transpose[permutation=(1, 2, 0)]');
  });

  test("dot_general: two batched operands gain a batch dimension; one batched operand's axis is a free one", () => {
    const mm = (a: Array, b: Array) => lax.dotGeneral.bind1([a, b], { dimension_numbers: [[[1], [0]], [[], []]] });
    expect(text(vmap(mm, { inAxes: [2, 0] }), ones(2, 3, 5), ones(5, 3, 4))).toContain('dot_general[dimension_numbers=(((1,), (1,)), ((2,), (0,)))');
    expect(prims(vmap(mm, { inAxes: [2, 0] }), ones(2, 3, 5), ones(5, 3, 4))).toEqual(['dot_general']);
    // lhs batched at 0: its batch axis is the first free lhs dimension, so the output's axis 0
    expect(prims(vmap(mm, { inAxes: [0, null] }), ones(5, 2, 3), ones(3, 4))).toEqual(['dot_general']);
    // rhs batched at 1: a free rhs dimension after the lhs ones: output axis 2 moved to 0 by outAxes only
    expect(prims(vmap(mm, { inAxes: [null, 2], outAxes: 2 }), ones(2, 3), ones(3, 4, 5))).toEqual(['dot_general']);
    expect(prims(vmap(mm, { inAxes: [null, 2], outAxes: 1 }), ones(2, 3), ones(3, 4, 5))).toEqual(['dot_general', 'transpose']);
  });
});
