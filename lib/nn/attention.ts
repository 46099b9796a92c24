// Scaled dot-product attention in JAX's BTNH layout, as jax.nn.dot_product_attention's 'xla' path.
import { Array, type ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import { finfo, promoteTypes, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import * as jnp from '../numpy/index.js';
import { logsumexp } from './functions.js';
import { softmax } from './softmax.js';

export interface DotProductAttentionOptions {
  /** Added to the logits; 4-d (or fewer, padded in front), broadcastable to (B, N, T, S). */
  bias?: ArrayLike | null;
  /** Boolean, true where attention is allowed; broadcastable to (B, N, T, S). */
  mask?: ArrayLike | null;
  /** Logit scale (default 1 / sqrt(H)). */
  scale?: number | null;
  /** Each query position attends only to key positions at or before it. */
  isCausal?: boolean;
  /** int32 (B,): valid query lengths; outputs past them are 0. */
  querySeqLengths?: ArrayLike | null;
  /** int32 (B,): valid key/value lengths. */
  keyValueSeqLengths?: ArrayLike | null;
  /** (left, right) window around each query position (a number: both sides). */
  localWindowSize?: number | readonly [number, number] | null;
  /** Only 'xla' (the default) exists in jaxts. */
  implementation?: 'xla' | null;
  /** Also return the logsumexp of the logits, shaped like query without H. */
  returnResidual?: boolean;
}

type Options = DotProductAttentionOptions;
type NoResidual = Options & { returnResidual?: false };
type WithResidual = Options & { returnResidual: true };
const isOptions = (v: unknown): v is Options => typeof v === 'object' && v !== null && !globalThis.Array.isArray(v) && !(v instanceof Array);

/** Python's repr of a shape list (JAX's messages print the expected shape as a list). */
const listStr = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

function ensure4d(t: ArrayLike): Array {
  const a = jnp.asarray(t);
  return a.ndim >= 4 ? a : jnp.reshape(a, [...globalThis.Array(4 - a.ndim).fill(1), ...a.shape]);
}

function checkShapeAndDType(t: Array | null, shape: readonly number[], dtype: DType | null, name: string): void {
  if (t === null) return;
  if (t.ndim !== shape.length) throw new TypeError(`${name} ndim should be ${shape.length}, but got ${t.ndim}`);
  if (dtype !== null && t.dtype !== dtype) throw new TypeError(`${name} dtype should be ${dtype}, but got ${t.dtype}`);
  if (shape.some((d, i) => d !== -1 && t.shape[i] !== d)) throw new TypeError(`${name} shape should be ${listStr(shape)}: but got ${shapeStr(t.shape)}`);
}

/** A very negative logit that softmax turns into exactly 0 without inf - inf = NaN. */
const largeNegative = (dtype: DType): Array => jnp.asarray(-0.7 * Math.min(finfo(dtype).max, finfo('float32').max), dtype);

/**
 * dot_product_attention(query, key, value, bias?, mask?, { scale, isCausal, ... }):
 * softmax(Q Kᵀ · scale + bias, masked) V per head, with query (B, T, N, H) and key/value
 * (B, S, K, H); N a multiple of K gives grouped-query attention. The options object may come
 * after any of the positional arguments and may also hold bias and mask. Logits and softmax are
 * float32 (or wider); probabilities take key's dtype.
 */
export function dotProductAttention(query: ArrayLike, key: ArrayLike, value: ArrayLike, bias?: ArrayLike | null | NoResidual, mask?: ArrayLike | null | NoResidual, options?: NoResidual): Array;
export function dotProductAttention(query: ArrayLike, key: ArrayLike, value: ArrayLike, bias: ArrayLike | null | WithResidual, mask?: ArrayLike | null | WithResidual, options?: WithResidual): [Array, Array];
export function dotProductAttention(query: ArrayLike, key: ArrayLike, value: ArrayLike, bias?: ArrayLike | null | Options, mask?: ArrayLike | null | Options, options: Options = {}): Array | [Array, Array] {
  let o: Options;
  if (isOptions(bias)) o = bias;
  else if (isOptions(mask)) o = { ...mask, bias: bias ?? mask.bias };
  else o = { ...options, bias: bias ?? options.bias, mask: mask ?? options.mask };
  const outputShape = jnp.asarray(query).shape;
  const q = ensure4d(query);
  const k = ensure4d(key);
  const v = ensure4d(value);
  const b = o.bias === undefined || o.bias === null ? null : ensure4d(o.bias);
  const m = o.mask === undefined || o.mask === null ? null : ensure4d(o.mask);
  const qLen = o.querySeqLengths === undefined || o.querySeqLengths === null ? null : jnp.asarray(o.querySeqLengths);
  const kvLen = o.keyValueSeqLengths === undefined || o.keyValueSeqLengths === null ? null : jnp.asarray(o.keyValueSeqLengths);
  const window = o.localWindowSize === undefined || o.localWindowSize === null ? null
    : typeof o.localWindowSize === 'number' ? [o.localWindowSize, o.localWindowSize] as const : o.localWindowSize;

  const [B, S, K, H] = k.shape as [number, number, number, number];
  checkShapeAndDType(v, [B, S, K, H], k.dtype, 'value');
  checkShapeAndDType(q, [B, -1, -1, H], k.dtype, 'query');
  checkShapeAndDType(m, [-1, -1, -1, -1], 'bool', 'mask');
  checkShapeAndDType(b, [-1, -1, -1, -1], null, 'bias');
  checkShapeAndDType(qLen, [B], 'int32', 'query_seq_lengths');
  checkShapeAndDType(kvLen, [B], 'int32', 'key_value_seq_lengths');
  if (q.shape[2]! % K !== 0) {
    throw new TypeError(`The number of query heads must be a multiple of key/value heads, but got ${q.shape[2]} vs ${K}`);
  }
  const scale = o.scale ?? 1.0 / Math.sqrt(H);
  if (o.implementation !== undefined && o.implementation !== null && o.implementation !== 'xla') {
    throw new TypeError(`Unsupported implementation option: ${String(o.implementation)} (jaxts has only 'xla')`);
  }
  const [out, residual] = attentionXla(q, k, v, b, m, o.isCausal ?? false, scale, qLen, kvLen, window, o.returnResidual ?? false);
  const encoded = jnp.reshape(out, outputShape);
  return residual === null ? encoded : [encoded, jnp.reshape(residual, outputShape.slice(0, -1))];
}

/**
 * The 'xla' implementation. JAX vmaps a per-group core over the G = N / K query heads that share
 * a key/value head; here the group is an explicit axis: logits are (B, K, G, T, S).
 */
function attentionXla(
  query: Array, key: Array, value: Array, bias: Array | null, mask: Array | null, isCausal: boolean, scale: number,
  qLen: Array | null, kvLen: Array | null, window: readonly [number, number] | null, returnResidual: boolean,
): [Array, Array | null] {
  const [B, T, N, H] = query.shape as [number, number, number, number];
  const [, S, K] = key.shape as [number, number, number];
  const G = N / K;
  const grouped = (t: Array | null): Array | null => {
    if (t === null) return null;
    const [tB, tN, tT, tS] = t.shape as [number, number, number, number];
    if (tN === 1) return jnp.reshape(t, [tB, 1, 1, tT, tS]);
    if (tN !== N) throw new TypeError(`dot_product_attention: bias/mask head dimension ${tN} must be 1 or the number of query heads ${N}`);
    return jnp.reshape(t, [tB, K, G, tT, tS]);
  };
  const q = jnp.reshape(query, [B, T, K, G, H]);
  const logitsDType = promoteTypes(query.dtype, 'float32');
  let logits = jnp.einsum('BTKGH,BSKH->BKGTS', q, key, { preferredElementType: logitsDType });
  logits = jnp.multiply(logits, jnp.asarray(scale, logits.dtype));
  const b = grouped(bias);
  if (b !== null) logits = jnp.astype(jnp.add(logits, b), logits.dtype);

  // Masks broadcast against (B, K, G, T, S).
  const masks: Array[] = [];
  const m = grouped(mask);
  if (m !== null) masks.push(m);
  const qPos = jnp.reshape(jnp.arange(T), [T, 1]);
  const kPos = jnp.reshape(jnp.arange(S), [1, S]);
  if (isCausal) masks.push(jnp.greaterEqual(qPos, kPos)); // tril(ones(T, S))
  if (window !== null) {
    const [left, right] = window;
    masks.push(jnp.logicalAnd(jnp.greaterEqual(qPos, jnp.subtract(kPos, right)), jnp.lessEqual(qPos, jnp.add(kPos, left))));
  }
  if (qLen !== null) masks.push(jnp.less(jnp.reshape(jnp.arange(T), [1, 1, 1, T, 1]), jnp.reshape(qLen, [B, 1, 1, 1, 1])));
  if (kvLen !== null) masks.push(jnp.less(jnp.reshape(jnp.arange(S), [1, 1, 1, 1, S]), jnp.reshape(kvLen, [B, 1, 1, 1, 1])));
  if (masks.length > 0) {
    const combined = masks.reduce((acc, x) => jnp.logicalAnd(acc, x), jnp.onesLike(logits, { dtype: 'bool' }));
    logits = jnp.where(combined, logits, largeNegative(logits.dtype));
  }
  const padded = jnp.astype(logits, 'float32');
  const probs = jnp.astype(softmax(padded, -1), key.dtype);
  let encoded = jnp.einsum('BKGTS,BSKH->BTKGH', probs, value);
  if (qLen !== null) {
    const valid = jnp.less(jnp.reshape(jnp.arange(T), [1, T, 1, 1, 1]), jnp.reshape(qLen, [B, 1, 1, 1, 1]));
    encoded = jnp.multiply(encoded, jnp.astype(valid, encoded.dtype));
  }
  encoded = jnp.reshape(encoded, [B, T, N, H]);
  if (!returnResidual) return [encoded, null];
  const lse = lax.stopGradient(jnp.astype(logsumexp(padded, -1), key.dtype)); // (B, K, G, T)
  return [encoded, jnp.reshape(jnp.transpose(lse, [0, 3, 1, 2]), [B, T, N])];
}
