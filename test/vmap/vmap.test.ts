// vmap's API: inAxes / outAxes as ints, null or pytree prefixes, negative axes, nested vmap,
// unbatched outputs, axisSize, and JAX's errors. Expected values are hand computations.
import { jit, lax, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const list = (x: unknown) => (x as Array).tolistSync();
const f32 = (values: unknown) => jnp.array(values as number[], { dtype: 'float32' });
/** [[0, 1, 2], [3, 4, 5]] */
const x23 = () => jnp.arange(6, { dtype: 'float32' }).reshape([2, 3]);

describe('vmap', () => {
  test('maps over the leading axis by default, as one computation', () => {
    expect(list(vmap((x: Array) => x.sum())(x23()))).toEqual([3, 12]);
    const jaxpr = makeJaxpr(vmap((x: Array) => x.sum()))(x23());
    expect(jaxpr.jaxpr.eqns.map((e) => e.primitive.name)).toEqual(['reduce_sum']);
    expect(String(jaxpr)).toContain('reduce_sum[axes=(1,)]');
  });

  test('inAxes: an int for every argument, or one entry per argument with null for shared ones', () => {
    expect(list(vmap((x: Array) => x.sum(), { inAxes: 1 })(x23()))).toEqual([3, 5, 7]);
    const y = f32([1, 10, 100]);
    expect(list(vmap((a: Array, b: Array) => a.mul(b).sum(), { inAxes: [0, null] })(x23(), y))).toEqual([210, 543]);
    expect(list(vmap((a: Array, b: Array) => a.mul(b), { inAxes: [1, 0] })(x23(), y))).toEqual([[0, 3], [10, 40], [200, 500]]);
  });

  test('inAxes: pytree prefixes of the arguments', () => {
    const params = { w: f32([[1, 2], [3, 4], [5, 6]]), b: f32([10, 20]) };
    const f = (p: { w: Array; b: Array }, x: Array) => jnp.dot(x, p.w).add(p.b);
    // w mapped along its axis 1 (one column per example), b shared, x mapped along axis 0:
    // [1,1,1]·[1,3,5] + [10,20] and [0,1,0]·[2,4,6] + [10,20]
    const out = vmap(f, { inAxes: [{ w: 1, b: null }, 0] })(params, f32([[1, 1, 1], [0, 1, 0]]));
    expect(list(out)).toEqual([[19, 29], [14, 24]]);
    // a whole subtree mapped with one entry; JS arrays of arrays
    const g = (pair: [Array, Array]) => pair[0].sub(pair[1]);
    expect(list(vmap(g, { inAxes: [[0, 1]] })([x23(), f32([[1, 2], [3, 4], [5, 6]])]))).toEqual([[-1, -2, -3], [1, 0, -1]]);
  });

  test('negative axes count from the end', () => {
    const x = x23();
    expect(list(vmap((r: Array) => r.sum(), { inAxes: -1 })(x))).toEqual(list(vmap((r: Array) => r.sum(), { inAxes: 1 })(x)));
    expect(list(vmap((r: Array) => r.mul(2), { outAxes: -1 })(x))).toEqual([[0, 6], [2, 8], [4, 10]]);
    expect(list(vmap((r: Array) => r.mul(2), { inAxes: -2, outAxes: -2 })(x))).toEqual([[0, 2, 4], [6, 8, 10]]);
  });

  test('outAxes: an int, null for unmapped outputs, or a pytree prefix of the outputs', () => {
    const f = (r: Array) => ({ doubled: r.mul(2), total: r.sum(), one: jnp.ones([2]) });
    const out = vmap(f, { outAxes: { doubled: 1, total: 0, one: null } })(x23()) as unknown as { doubled: Array; total: Array; one: Array };
    expect(list(out.doubled)).toEqual([[0, 6], [2, 8], [4, 10]]);
    expect(list(out.total)).toEqual([3, 12]);
    expect(list(out.one)).toEqual([1, 1]); // unmapped, returned as is
    const [a, b] = vmap((r: Array) => [r, r.sum()] as const, { outAxes: [1, 0] })(x23());
    expect(a.shape).toEqual([3, 2]);
    expect(list(b)).toEqual([3, 12]);
  });

  test('outputs that do not depend on a mapped argument are broadcast, as JAX does', () => {
    const f = (_x: Array) => jnp.array([7, 8], { dtype: 'int32' });
    expect(list(vmap(f)(x23()))).toEqual([[7, 8], [7, 8]]);
    expect(list(vmap(f, { outAxes: 1 })(x23()))).toEqual([[7, 7], [8, 8]]);
    const weak = vmap((_x: Array) => 2.5)(x23());
    expect([list(weak), weak.dtype, weak.weakType]).toEqual([[2.5, 2.5], 'float32', true]);
    // an argument returned unchanged is mapped where it came in
    expect(list(vmap((x: Array) => x, { inAxes: 1 })(x23()))).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  test('axisSize maps functions of unmapped (or no) arguments', () => {
    expect(list(vmap(() => jnp.arange(3), { axisSize: 2 })())).toEqual([[0, 1, 2], [0, 1, 2]]);
    expect(list(vmap((x: Array) => x.mul(2), { inAxes: null, axisSize: 3 })(f32([1, 2])))).toEqual([[2, 4], [2, 4], [2, 4]]);
    expect(list(vmap((x: Array) => x.sum(), { axisSize: 2 })(x23()))).toEqual([3, 12]);
  });

  test('JS numbers are arguments too (weakly typed), mapped or not', () => {
    const out = vmap((x: Array, s: Array) => x.mul(s), { inAxes: [0, null] })(x23(), 2 as never);
    expect([list(out), out.dtype]).toEqual([[[0, 2, 4], [6, 8, 10]], 'float32']);
  });

  test('nested vmap: an outer product, and maps over two axes in either order', () => {
    const mul = (a: Array, b: Array) => a.mul(b);
    const outer = vmap(vmap(mul, { inAxes: [0, null] }), { inAxes: [null, 0] });
    expect(list(outer(f32([1, 2, 3]), f32([10, 100])))).toEqual([[10, 20, 30], [100, 200, 300]]);
    const x = x23();
    expect(list(vmap(vmap((v: Array) => v.add(1)))(x))).toEqual([[1, 2, 3], [4, 5, 6]]);
    // inner over columns, outer over rows of the result: the transpose, plus one
    expect(list(vmap(vmap((v: Array) => v.add(1)), { inAxes: 1 })(x))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(list(vmap(vmap((v: Array) => v.add(1), { outAxes: 0 }), { inAxes: 1, outAxes: 1 })(x))).toEqual([[1, 2, 3], [4, 5, 6]]);
    // the inner vmap maps an axis of the outer one's per-example values
    const rowsThenCols = vmap(vmap((v: Array) => v.mul(10), { inAxes: 0 }), { inAxes: 0 });
    expect(list(rowsThenCols(x))).toEqual([[0, 10, 20], [30, 40, 50]]);
  });

  test('under jit: the same values, one program', () => {
    const f = vmap((a: Array, b: Array) => jnp.dot(a, b), { inAxes: [1, null] });
    const b = f32([[1, 0], [0, 1]]);
    const x = x23();
    expect(list(jit(f)(x, b))).toEqual(list(f(x, b)));
    expect(list(f(x, b))).toEqual([[0, 3], [1, 4], [2, 5]]);
    // named after the mapped function, as functools.wraps does in JAX
    const dot = (a: Array, c: Array) => jnp.dot(a, c);
    expect(vmap(dot).name).toBe('dot');
    expect(jit(vmap(dot, { inAxes: [1, null] })).lower(x, b).asText()).toContain('@jit_dot');
  });

  test('lax functions written with numpy broadcasting work per example', () => {
    const f = (x: Array) => jnp.where(x.greater(2), x, jnp.zeros([])).add(lax.iota.bind1([], { dtype: 'float32', shape: [3], dimension: 0 }));
    expect(list(vmap(f)(x23()))).toEqual([[0, 1, 2], [3, 5, 7]]);
  });
});

describe("vmap errors, as JAX's", () => {
  const ones = (...shape: number[]) => jnp.ones(shape);
  const add = (x: Array, y: Array) => x.add(y);

  test('inconsistent sizes name the arguments, axes, sizes and types', () => {
    expect(() => vmap(add)(ones(3), ones(4))).toThrow(
      'vmap got inconsistent sizes for array axes to be mapped:\n' +
        '  * one axis had size 3: axis 0 of args[0] of type float32[3];\n' +
        '  * one axis had size 4: axis 0 of args[1] of type float32[4]',
    );
    expect(() => vmap((a: Array, b: Array, c: Array) => a.add(b).add(c), { inAxes: [0, 1, 0] })(ones(3), ones(2, 3), jnp.ones([4], { dtype: 'int32' }))).toThrow(
      'vmap got inconsistent sizes for array axes to be mapped:\n' +
        '  * most axes (2 of them) had size 3, e.g. axis 0 of args[0] of type float32[3];\n' +
        '  * one axis had size 4: axis 0 of args[2] of type int32[4]',
    );
    expect(() => vmap((p: { a: Array; b: Array }) => p.a)({ a: ones(3), b: ones(2, 5) })).toThrow(
      "  * one axis had size 3: axis 0 of args[0]['a'] of type float32[3];\n  * one axis had size 2: axis 0 of args[0]['b'] of type float32[2,5]",
    );
    expect(() => vmap((x: Array) => x, { axisSize: 5 })(ones(3))).toThrow(
      'vmap got inconsistent sizes for array axes to be mapped:\n  * the `axisSize` argument was 5;\n  * one axis had size 3: axis 0 of args[0] of type float32[3]',
    );
  });

  test('an axis out of range names it, and the rank and shape', () => {
    expect(() => vmap((x: Array) => x, { inAxes: 2 })(ones(3, 4))).toThrow(
      'vmap was requested to map its argument along axis 2, which implies that its rank should be at least 3, but is only 2 (its shape is (3, 4))',
    );
    expect(() => vmap((x: Array) => x, { inAxes: -3 })(ones(3, 4))).toThrow('along axis -3, which implies that its rank should be at least 3, but is only 2 (its shape is (3, 4))');
    expect(() => vmap((x: Array) => x)(2 as never)).toThrow('along axis 0, which implies that its rank should be at least 1, but is only 0 (its shape is ())');
    expect(() => vmap((x: Array) => x, { outAxes: 2 })(ones(3, 4))).toThrow('axis 2 is out of bounds for array of dimension 2');
  });

  test('nothing mapped and no axisSize', () => {
    expect(() => vmap((x: Array) => x, { inAxes: null })(ones(3))).toThrow('vmap must have at least one non-null value in inAxes or axisSize must be specified');
    expect(() => vmap(() => 1)()).toThrow('vmap wrapped function must be passed at least one argument containing an array or axisSize must be specified, got empty args=[]');
  });

  test('malformed axis specifications', () => {
    expect(() => vmap(add, { inAxes: [0] })(ones(3), ones(3))).toThrow(
      'vmap inAxes must be an int, null, or an array of entries corresponding to the positional arguments passed to the function, but got inAxes.length=1, args.length=2.',
    );
    expect(() => vmap(add, { inAxes: { x: 0 } })).toThrow('vmap inAxes must be an int, null, or an array of entries corresponding to the positional arguments passed to the function, but got {"x":0}.');
    expect(() => vmap(add, { inAxes: [0.5, 0] })).toThrow('vmap inAxes must be an int, null, or (nested) container with those types as leaves, but got [0.5,0].');
    expect(() => vmap(add, { outAxes: ['0'] as never })).toThrow('vmap outAxes must be an int, null, or (nested) container with those types as leaves');
    expect(() => vmap((x: Array) => x, { inAxes: [[0, 0]] })(ones(3))).toThrow('vmap inAxes specification must be a tree prefix of the corresponding value;');
    expect(() => vmap((x: Array) => x, { outAxes: [0, 0] })(ones(3))).toThrow('vmap outAxes specification must be a tree prefix of the corresponding value;');
  });

  test('a mapped output with outAxes null names the output', () => {
    expect(() => vmap((x: Array) => x, { outAxes: null })(ones(3))).toThrow('at vmap outAxes, got axis spec null but output was batched on axis 0');
    expect(() => vmap((x: Array) => ({ a: x, b: x }), { outAxes: { a: 0, b: null } })(ones(3))).toThrow("at vmap outAxes['b'], got axis spec null but output was batched on axis 0");
  });

  test('values are abstract inside vmap; non-array arguments and outputs are rejected', () => {
    expect(() => vmap((x: Array) => x.item())(ones(3))).toThrow('Abstract tracer value encountered where concrete value is expected: Traced<f32[]>with<BatchTrace>');
    expect(() => vmap((x: Array, _s: string) => x, { inAxes: [0, null] })(ones(3), 'a' as never)).toThrow('Argument args[1] of type string is not a valid JAX type');
    expect(() => vmap((_x: Array) => 'a')(ones(3))).toThrow('Output from batched function at output of type string is not a valid JAX type');
  });
});
