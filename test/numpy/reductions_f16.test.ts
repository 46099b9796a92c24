// JAX sums, multiplies and averages float16/bfloat16 in float32 and rounds once at the end
// (_upcast_f16); accumulating in half precision drifts. Values from JAX 0.10.2.
import { numpy as jnp } from '../../lib/index.js';

const x = jnp.linspace(0.1, 70.3, 301).astype('float16');
const b = x.astype('bfloat16');

test('half-precision reductions accumulate in float32', () => {
  const results = [jnp.sum, jnp.mean, jnp.var, jnp.std].map((f) => [f(x), f(b)]);
  expect(results.map(([h, bf]) => [h!.dtype, bf!.dtype])).toEqual(globalThis.Array(4).fill(['float16', 'bfloat16']));
  expect(results.map(([h, bf]) => [h!.item(), bf!.item()])).toEqual([
    [10592, 10624],
    [35.1875, 35.25],
    [413.5, 414],
    [20.328125, 20.375],
  ]);
  // An explicit dtype computes in that dtype, as JAX does.
  expect(jnp.sum(x, { dtype: 'float16' }).dtype).toBe('float16');
});
