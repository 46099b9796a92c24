// einsum: explicit and implicit outputs, the interleaved (sublist) form, diagonals and traces,
// batch and '...' broadcasting, chains of operands, dtypes, errors. Integer results marked
// "JAX docs" are printed in JAX 0.11's einsum docstring; float results are checked against
// matmul / elementwise compositions.
import { jit, numpy as jnp, type Array } from '../../lib/index.js';

const list = (x: Array) => x.tolistSync();

describe('einsum', () => {
  const M = jnp.arange(16).reshape([4, 4]);
  const x = jnp.arange(4);
  const y = jnp.array([5, 4, 3, 2]);

  test('vector and matrix products (JAX docs)', () => {
    expect(jnp.einsum('i,i', x, y).item()).toBe(16);
    expect(jnp.einsum('i,i->', x, y).item()).toBe(16);
    expect(jnp.einsum(x, [0], y, [0]).item()).toBe(16);
    expect(jnp.einsum(x, [0], y, [0], []).item()).toBe(16);
    expect(list(jnp.einsum('ij,j->i', M, x))).toEqual([14, 38, 62, 86]);
    expect(list(jnp.einsum('ij,j', M, x))).toEqual([14, 38, 62, 86]);
    expect(list(jnp.einsum(M, [0, 1], x, [1], [0]))).toEqual([14, 38, 62, 86]);
    const outer = [[0, 0, 0, 0], [5, 4, 3, 2], [10, 8, 6, 4], [15, 12, 9, 6]];
    expect(list(jnp.einsum('i,j->ij', x, y))).toEqual(outer);
    expect(list(jnp.einsum('i,j', x, y))).toEqual(outer);
    expect(list(jnp.einsum(x, [0], y, [1]))).toEqual(outer);
  });

  test('sums, transposes, diagonals, traces (JAX docs)', () => {
    expect(jnp.einsum('i->', x).item()).toBe(6);
    expect(list(jnp.einsum('...j->...', M))).toEqual([6, 22, 38, 54]);
    expect(list(jnp.einsum(M, ['...', 0], ['...']))).toEqual([6, 22, 38, 54]);
    const t = jnp.array([[1, 2, 3], [4, 5, 6]]);
    expect(list(jnp.einsum('ij->ji', t))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(list(jnp.einsum('ji', t))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(list(jnp.einsum('ii->i', M))).toEqual([0, 5, 10, 15]);
    expect(jnp.einsum('ii', M).item()).toBe(30);
    expect(jnp.einsum('ij->', M).item()).toBe(120);
    // a diagonal that meets another operand, and a 3-way diagonal
    expect(list(jnp.einsum('ii,i->i', M, y))).toEqual([0, 20, 30, 30]);
    expect(jnp.einsum('iii->', jnp.arange(8).reshape([2, 2, 2])).item()).toBe(7);
  });

  test('tensor products and chains (JAX docs)', () => {
    const a = jnp.arange(30).reshape([2, 3, 5]);
    const b = jnp.arange(60).reshape([3, 4, 5]);
    const expected = [[3340, 3865, 4390, 4915], [8290, 9940, 11590, 13240]];
    expect(list(jnp.einsum('ijk,jlk->il', a, b))).toEqual(expected);
    expect(list(jnp.einsum('ijk,jlk', a, b))).toEqual(expected);
    const w = jnp.arange(5, 9).reshape([2, 2]);
    const v = jnp.arange(6).reshape([2, 3]);
    const u = jnp.arange(-2, 4).reshape([3, 2]);
    const z = jnp.array([[2, 4, 6], [3, 5, 7]]);
    expect(list(jnp.einsum('ij,jk,kl,lm->im', w, v, u, z))).toEqual([[481, 831, 1181], [651, 1125, 1599]]);
  });

  test('batch dimensions and broadcasting with ...', () => {
    const a = jnp.arange(24, { dtype: 'float32' }).reshape([2, 3, 4]).div(7);
    const b = jnp.arange(40, { dtype: 'float32' }).reshape([2, 4, 5]).div(3);
    const close = (got: Array, want: Array) => expect(jnp.allclose(got, want, { rtol: 1e-6 }).item()).toBe(true);
    const batched = jnp.einsum('bij,bjk->bik', a, b);
    expect(batched.shape).toEqual([2, 3, 5]);
    close(batched, jnp.matmul(a, b));
    // the rank-2 operand's '...' is empty: it broadcasts against the batch
    const c = jnp.arange(20, { dtype: 'float32' }).reshape([4, 5]);
    close(jnp.einsum('...ij,...jk->...ik', a, c), jnp.matmul(a, c));
    close(jnp.einsum('...ij,jk', a, c), jnp.matmul(a, c));
    // size-1 axes broadcast against the other operand's size
    const col = jnp.array([[2], [3]], { dtype: 'float32' });
    expect(list(jnp.einsum('ij,ij->ij', col, jnp.ones([2, 3])))).toEqual([[2, 2, 2], [3, 3, 3]]);
    expect(list(jnp.einsum('...i,...i->...', jnp.ones([3, 1, 2]), jnp.ones([4, 2])))).toEqual([[2, 2, 2, 2], [2, 2, 2, 2], [2, 2, 2, 2]]);
  });

  test('dtypes: promotion, bools, preferredElementType, weak results', () => {
    const i8 = jnp.array([[1, 2]], { dtype: 'int8' });
    const f = jnp.array([[0.5], [0.25]], { dtype: 'float32' });
    const mixed = jnp.einsum('ij,jk->ik', i8, f);
    expect([mixed.dtype, list(mixed)]).toEqual(['float32', [[1]]]);
    const big = jnp.array([[100, 100]], { dtype: 'int8' });
    expect(list(jnp.einsum('ij,ji->i', big, jnp.array([[2], [2]], { dtype: 'int8' }), { preferredElementType: 'int32' }))).toEqual([400]);
    const b = jnp.einsum('ij,jk->ik', jnp.array([[true, false]]), jnp.array([[true], [true]]));
    expect([b.dtype, list(b)]).toEqual(['bool', [[true]]]);
    expect(jnp.einsum('ii', jnp.array([[true, false], [true, false]])).item()).toBe(true);
    const weak = jnp.einsum(',', 2, 3);
    expect([weak.item(), weak.dtype, weak.weakType]).toEqual([6, 'int32', true]);
  });

  test('errors name the subscripts and the shapes', () => {
    const a = jnp.ones([2, 3]);
    expect(() => jnp.einsum('ij,jk->ik', a, jnp.ones([4, 5]))).toThrow(
      "einsum: size of label 'j' for operand 1 (4) does not match previous terms (3), in subscripts 'ij,jk->ik' with operand shapes (2, 3), (4, 5)",
    );
    expect(() => jnp.einsum('ij,jk->ik', a)).toThrow("einsum: the subscripts name 2 operand(s) but 1 were given, in subscripts 'ij,jk->ik' with operand shapes (2, 3)");
    expect(() => jnp.einsum('ijk', a)).toThrow("einsum: term 0 'ijk' names 3 axes but the operand has 2, in subscripts 'ijk' with operand shapes (2, 3)");
    expect(() => jnp.einsum('ij->ix', a)).toThrow("einsum: output label 'x' does not appear in the inputs");
    expect(() => jnp.einsum('ij->ii', a)).toThrow('einsum: an output label appears more than once');
    expect(() => jnp.einsum('i1', a)).toThrow("einsum: term 0 'i1' has the invalid character '1'");
    expect(() => jnp.einsum('ii', a)).toThrow("einsum: label 'i' is repeated in term 0 with different sizes 2 and 3");
    expect(() => jnp.einsum('ij->i->j', a)).toThrow("einsum: more than one '->'");
  });

  test('under jit: the same results as eagerly', () => {
    const a = jnp.arange(6, { dtype: 'float32' }).reshape([2, 3]).div(3);
    const b = jnp.arange(12, { dtype: 'float32' }).reshape([3, 4]).div(7);
    const specs: [string, Array[]][] = [['ij,jk->ik', [a, b]], ['ij->ji', [a]], ['ij,ij->i', [a, a]], ['ii->i', [a.matmul(a.T)]]];
    const eager = specs.map(([s, ops]) => jnp.einsum(s, ...ops));
    const compiled = jit((...ops: Array[][]) => specs.map(([s], i) => jnp.einsum(s, ...ops[i]!)))(...specs.map(([, ops]) => ops));
    compiled.forEach((c, i) => {
      expect(c.shape).toEqual(eager[i]!.shape);
      expect(jnp.allclose(c, eager[i]!, { rtol: 1e-6 }).item()).toBe(true);
    });
  });
});
