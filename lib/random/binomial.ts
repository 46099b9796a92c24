// Binomial variates as JAX draws them (after TensorFlow): inversion (summing geometric waiting
// times) where n q <= 10, Hormann's BTRS transformed rejection elsewhere, with q = min(p, 1 - p).
// Both loops are primitives for the reason poisson's is (see sampler.ts): vmap cannot see through
// a while loop, so leading key axes are independent problems, each stopping on its own.
import type { Array, ArrayLike } from '../core/array.js';
import { ShapedArray } from '../core/aval.js';
import { isInexact, toInexactDType, type DType } from '../core/dtypes.js';
import type { Params } from '../core/primitive.js';
import { jit } from '../api/jit.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { asarray, convertTo } from '../numpy/convert.js';
import { convert, floatDType, parseArgs } from './common.js';
import { uniformImpl } from './continuous.js';
import { checkKey, range, subkeys } from './keys.js';
import { batchedWhile, samplerPrimitive } from './sampler.js';
import { required, sampleShape, type Shape, type ShapeDTypeOptions } from './args.js';

const select = (pred: Array, onTrue: Array, onFalse: Array): Array => lax.selectN.bind1([pred, onFalse, onTrue]);

/** Per key (leading axes `nb` of `flags`), whether any of its elements is still going. */
const anyPerKey = (flags: Array, nb: number): Array =>
  flags.ndim === nb ? flags : lax.reduceOr.bind1([flags], { axes: range(flags.ndim - nb).map((i) => i + nb) });

/** Stirling's series tail log(k!) - (k + 1/2) log(k + 1) + (k + 1) - log(2 pi)/2: tabulated for k <= 9. */
const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

/** JAX's _stirling_approx_tail, including its clamp of k to [0, 9] before the series (so k > 9 reads k = 9). */
function stirlingTail(kIn: Array): Array {
  const dtype = kIn.dtype;
  const useTable = jnp.lessEqual(kIn, 9);
  const k = lax.clamp.bind1([jnp.full([], 0, { dtype }), kIn, jnp.full([], 9, { dtype })]);
  const kp1 = jnp.add(k, 1);
  const kp1sq = jnp.multiply(kp1, kp1);
  const approx = jnp.divide(jnp.subtract(1 / 12, jnp.divide(jnp.subtract(1 / 360, jnp.divide(1 / 1260, kp1sq)), kp1sq)), kp1);
  const index = jnp.floor(k);
  let table = jnp.full(k.shape, STIRLING_TAIL[0]!, { dtype });
  for (let i = 1; i < STIRLING_TAIL.length; i++) table = jnp.where(jnp.equal(index, i), jnp.full(k.shape, STIRLING_TAIL[i]!, { dtype }), table);
  return select(useTable, table, approx);
}

/** Inversion: count geometric(q) waiting times until their sum exceeds n. */
function inversion(keys: Array, count: Array, q: Array, dtype: DType): Array {
  const nb = keys.ndim - 1;
  const shape = q.shape.slice(nb);
  const logOneMinusQ = jnp.log1p(jnp.negative(q));
  const going = (geomSum: Array): Array => jnp.lessEqual(geomSum, count);
  const [numGeom] = batchedWhile(
    ([, geomSum]) => anyPerKey(going(geomSum!), nb),
    ([numGeom, geomSum, key]) => {
      const [sub, next] = subkeys(key!, 2);
      const counted = select(going(geomSum!), jnp.add(numGeom!, 1), numGeom!);
      const u = uniformImpl(sub!, 0, 1, shape, q.dtype);
      const geom = jnp.ceil(jnp.divide(jnp.log(u), logOneMinusQ));
      return [counted, jnp.add(geomSum!, geom), next!];
    },
    [jnp.zeros(q.shape, { dtype: q.dtype }), jnp.zeros(q.shape, { dtype: q.dtype }), keys],
  );
  return convert(jnp.subtract(numGeom!, 1), dtype);
}

/** Hormann's BTRS (1993): transformed rejection with a squeeze and Stirling-corrected bound. */
function btrs(keys: Array, count: Array, q: Array, dtype: DType): Array {
  const nb = keys.ndim - 1;
  const shape = q.shape.slice(nb);
  const { add, subtract: sub, multiply: mul, divide: div, log } = jnp;
  const stddev = jnp.sqrt(mul(mul(count, q), sub(1, q)));
  const b = add(1.15, mul(2.53, stddev));
  const a = add(add(-0.0873, mul(0.0248, b)), mul(0.01, q));
  const c = add(mul(count, q), 0.5);
  const vR = sub(0.92, div(4.2, b));
  const r = div(q, sub(1, q));
  const alpha = mul(add(2.83, div(5.1, b)), stddev);
  const m = jnp.floor(mul(add(count, 1), q));
  const [kOut] = batchedWhile(
    ([, accepted]) => anyPerKey(jnp.logicalNot(accepted!), nb),
    ([kOut, accepted, key]) => {
      const [next, k0, k1] = subkeys(key!, 3);
      const u = sub(uniformImpl(k0!, 0, 1, shape, q.dtype), 0.5);
      const v0 = uniformImpl(k1!, 0, 1, shape, q.dtype);
      const us = sub(0.5, jnp.abs(u));
      const accept1 = jnp.logicalAnd(jnp.greaterEqual(us, 0.07), jnp.lessEqual(v0, vR));
      const k = jnp.floor(add(mul(add(div(mul(2, a), us), b), u), c));
      const reject = jnp.logicalOr(jnp.less(k, 0), jnp.greater(k, count));
      const v = log(div(mul(v0, alpha), add(div(a, mul(us, us)), b)));
      const nm1 = add(sub(count, m), 1);
      const nk1 = add(sub(count, k), 1);
      let ub = mul(add(m, 0.5), log(div(add(m, 1), mul(r, nm1))));
      ub = add(ub, mul(add(count, 1), log(div(nm1, nk1))));
      ub = add(ub, mul(add(k, 0.5), log(div(mul(r, nk1), add(k, 1)))));
      ub = add(add(ub, stirlingTail(m)), stirlingTail(sub(count, m)));
      ub = sub(sub(ub, stirlingTail(k)), stirlingTail(sub(count, k)));
      const accept = jnp.logicalOr(accept1, jnp.logicalAnd(jnp.logicalNot(reject), jnp.lessEqual(v, ub)));
      return [select(accept, k, kOut!), jnp.logicalOr(accepted!, accept), next!];
    },
    [jnp.full(q.shape, -1, { dtype: q.dtype }), jnp.full(q.shape, false), keys],
  );
  return convert(kOut!, dtype);
}

const loopPrimitive = (name: string, loop: typeof inversion) =>
  samplerPrimitive(
    name,
    ([, count], params) => new ShapedArray(count!.shape, params.dtype as DType),
    ([keys, count, q]: Array[], params: Params) => loop(keys!, count!, q!, params.dtype as DType),
  );

/** random_binomial_inversion[dtype](keys [...B, 2], n [...B, ...S], q [...B, ...S]). */
export const randomBinomialInversionP = loopPrimitive('random_binomial_inversion', inversion);
/** random_binomial_btrs[dtype](keys [...B, 2], n [...B, ...S], q [...B, ...S]). */
export const randomBinomialBtrsP = loopPrimitive('random_binomial_btrs', btrs);

function binomialImpl(k: Array, n: Array, p: Array, shape: number[], dtype: DType): Array {
  const prob0 = isInexact(p.dtype) ? p : convertTo(p, toInexactDType(p.dtype), p.weakType);
  let count = jnp.broadcastTo(convert(n, prob0.dtype), shape);
  const prob = jnp.broadcastTo(prob0, shape);
  const full = (v: number): Array => jnp.full(shape, v, { dtype: prob.dtype });
  const pLtHalf = jnp.less(prob, 0.5);
  let q = select(pLtHalf, prob, jnp.subtract(1, prob));
  const countNanOrNeg = jnp.logicalOr(jnp.isnan(count), jnp.less(count, 0));
  const countInf = jnp.isinf(count);
  const qIsNan = jnp.isnan(q);
  const qLessZero = jnp.less(q, 0);
  q = select(jnp.logicalOr(qIsNan, qLessZero), full(0.01), q);
  const useInversion = jnp.logicalOr(countNanOrNeg, jnp.lessEqual(jnp.multiply(count, q), 10));
  count = jnp.floor(count); // as numpy does for a float count
  const countInv = select(useInversion, count, full(0));
  const countBtrs = select(useInversion, full(1e4), count);
  const qBtrs = select(useInversion, full(0.5), q);
  let samples = select(
    useInversion,
    randomBinomialInversionP.bind1([k, countInv, q], { dtype }),
    randomBinomialBtrsP.bind1([k, countBtrs, qBtrs], { dtype }),
  );
  // NaN for a NaN or negative q or n, inf for an infinite n
  const invalid = jnp.logicalOr(jnp.logicalOr(qLessZero, qIsNan), countNanOrNeg);
  samples = select(invalid, jnp.full(shape, NaN, { dtype }), samples);
  samples = select(jnp.logicalAnd(countInf, jnp.logicalNot(invalid)), jnp.full(shape, Infinity, { dtype }), samples);
  // draws were of min(p, 1 - p): count the failures where p > 1/2
  const direct = jnp.logicalOr(jnp.logicalOr(jnp.logicalOr(pLtHalf, countNanOrNeg), qIsNan), countInf);
  return select(direct, samples, jnp.subtract(convert(count, dtype), samples));
}

const binomialJit = jit(binomialImpl, { staticArgnums: [3, 4], name: 'binomial' });

export interface BinomialOptions extends ShapeDTypeOptions {
  n?: ArrayLike;
  p?: ArrayLike;
}

/** `random.binomial(key, n, p, shape?, dtype)`: Binomial(n, p) counts as floats (n is floored). */
export function binomial(key: ArrayLike, ...args: (ArrayLike | Shape | null | DType | BinomialOptions | undefined)[]): Array {
  const o = parseArgs<BinomialOptions>(['n', 'p', 'shape', 'dtype'], args);
  const k = checkKey('binomial', key);
  const n = asarray(required('binomial', 'n', o.n));
  const p = asarray(required('binomial', 'p', o.p));
  const dtype = floatDType('binomial', o.dtype);
  return binomialJit(k, n, p, sampleShape('binomial', o.shape, n, p), dtype);
}
