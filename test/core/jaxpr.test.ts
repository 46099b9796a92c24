// makeJaxpr prints programs as JAX does; evalShape runs nothing.
import { evalShape, makeJaxpr, numpy as jnp, type Array } from '../../lib/index.js';

test('makeJaxpr of the seed program reads like JAX', () => {
  function predict(params: [Array, Array][], inputs: Array): Array {
    let outputs = inputs;
    for (const [W, b] of params) {
      outputs = jnp.dot(inputs, W).add(b);
      inputs = jnp.tanh(outputs);
    }
    return outputs;
  }
  const loss = (params: [Array, Array][], inputs: Array, targets: Array) => jnp.sum(predict(params, inputs).sub(targets).square());
  const params: [Array, Array][] = [
    [jnp.zeros([3, 4]), jnp.zeros([4])],
    [jnp.zeros([4, 2]), jnp.zeros([2])],
  ];
  const text = makeJaxpr(loss)(params, jnp.zeros([5, 3]), jnp.zeros([5, 2])).toString();
  expect(text).toBe(
    [
      '{ lambda ; a:f32[3,4] b:f32[4] c:f32[4,2] d:f32[2] e:f32[5,3] f:f32[5,2]. let',
      '    g:f32[5,4] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] e a',
      '    h:f32[5,4] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(5, 4)] b',
      '    i:f32[5,4] = add g h',
      '    j:f32[5,4] = tanh i',
      '    k:f32[5,2] = dot_general[dimension_numbers=(((1,), (0,)), ((), ())) preferred_element_type=None] j c',
      '    l:f32[5,2] = broadcast_in_dim[broadcast_dimensions=(1,) shape=(5, 2)] d',
      '    m:f32[5,2] = add k l',
      '    n:f32[5,2] = tanh m',
      '    o:f32[5,2] = sub m f',
      '    p:f32[5,2] = square o',
      '    q:f32[] = reduce_sum[axes=(0, 1)] p',
      '  in (q,) }',
    ].join('\n'),
  );
});

test('JS scalars become literals with their weak type resolved', () => {
  const text = makeJaxpr((x: Array) => x.mul(2).add(0.5))(jnp.zeros([3], { dtype: 'float32' })).toString();
  expect(text).toContain('mul');
  expect(text).toMatch(/broadcast_in_dim\[broadcast_dimensions=\(\) shape=\(3,\)\] 2\.0:f32\[\]/);
  expect(text).toMatch(/broadcast_in_dim\[broadcast_dimensions=\(\) shape=\(3,\)\] 0\.5:f32\[\]/);
});

test('evalShape gives shapes, dtypes and weak types without running', () => {
  const out = evalShape((x: Array, y: Array) => ({ z: jnp.matmul(x, y), s: x.sum().mul(2) }))(jnp.zeros([2, 3]), jnp.zeros([3, 5], { dtype: 'float32' }));
  expect(out).toEqual({ s: { shape: [], dtype: 'float32', weakType: false }, z: { shape: [2, 5], dtype: 'float32', weakType: false } });
});
