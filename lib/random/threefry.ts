// The Threefry-2x32 block cipher (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"),
// as JAX's threefry2x32_p computes it, written with lax ops on uint32 so that it runs under jit,
// vmap and grad like any other function. 20 rounds in 5 groups of 4, a key injection after each.
import type { Array } from '../core/array.js';
import * as lax from '../lax/index.js';
import { full } from '../numpy/creation.js';

const ROTATIONS = [
  [13, 15, 26, 6],
  [17, 29, 16, 24],
] as const;
/** The Skein key-schedule parity constant. */
const PARITY = 0x1bd11bda;

const add = (a: Array, b: Array): Array => lax.add.bind1([a, b]);
const xor = (a: Array, b: Array): Array => lax.xor.bind1([a, b]);

/** Hashes counters `(x0, x1)` under key `(k0, k1)`; all four are uint32 of one shape. */
export function threefry2x32(k0: Array, k1: Array, x0: Array, x1: Array): [Array, Array] {
  const shape = x0.shape;
  const consts = new Map<number, Array>();
  const c = (v: number): Array => {
    let a = consts.get(v);
    if (!a) consts.set(v, (a = full(shape, v, { dtype: 'uint32' })));
    return a;
  };
  const rotl = (x: Array, r: number): Array =>
    lax.or.bind1([lax.shiftLeft.bind1([x, c(r)]), lax.shiftRightLogical.bind1([x, c(32 - r)])]);
  const ks = [k0, k1, xor(xor(k0, k1), c(PARITY))] as const;
  let a = add(x0, ks[0]);
  let b = add(x1, ks[1]);
  for (let group = 1; group <= 5; group++) {
    for (const r of ROTATIONS[(group - 1) % 2]!) {
      a = add(a, b);
      b = xor(rotl(b, r), a);
    }
    a = add(a, ks[group % 3]!);
    b = add(add(b, ks[(group + 1) % 3]!), c(group));
  }
  return [a, b];
}

/**
 * The 64-bit row-major position of every element of `shape` as (hi, lo) uint32 words
 * (JAX's iota_2x32_shape). Arrays of 2**32 elements or more cannot be allocated here, so hi is 0.
 */
export function counters(shape: readonly number[]): [Array, Array] {
  const size = shape.reduce((n, d) => n * d, 1);
  if (size > 2 ** 32) throw new RangeError(`random bits array of size ${size} exceeds 2 ** 32 elements`);
  const lo = lax.reshape.bind1([lax.iota.bind1([], { dtype: 'uint32', shape: [size], dimension: 0 })], { new_sizes: [...shape] });
  return [full(shape, 0, { dtype: 'uint32' }), lo];
}
