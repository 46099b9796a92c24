// Host-side conversions between JS values and the raw layouts devices use.
import type { HostArray } from '../runtime/element_types.js';
import type { DType } from './dtypes.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → bfloat16 bits, rounding to nearest even (NaN stays a quiet NaN). */
export function floatToBFloat16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  if (Number.isNaN(x)) return 0x7fc0 | ((bits >>> 16) & 0x8000);
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bfloat16BitsToFloat(bits: number): number {
  u32[0] = bits << 16;
  return f32[0]!;
}

/** float → IEEE half bits, rounding to nearest even. */
export function floatToHalfBits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  let a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // rounds to infinity
  if (a < 2 ** -24 * 0.5) return sign; // rounds to zero
  let exp = Math.floor(Math.log2(a));
  if (exp < -14) {
    // subnormal: units of 2^-24
    return sign | roundEven(a / 2 ** -24);
  }
  let mant = roundEven((a / 2 ** exp - 1) * 1024);
  if (mant === 1024) {
    mant = 0;
    exp += 1;
  }
  if (exp > 15) return sign | 0x7c00;
  return sign | ((exp + 15) << 10) | mant;
}

function roundEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function halfBitsToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** The values of `raw` (a device layout) as a user-facing TypedArray: 16-bit floats widen to float32. */
export function userView(dtype: DType, raw: HostArray): HostArray {
  if (dtype === 'float16') return Float32Array.from(raw as Uint16Array, halfBitsToFloat);
  if (dtype === 'bfloat16') return Float32Array.from(raw as Uint16Array, bfloat16BitsToFloat);
  return raw;
}

/** A flat list of JS values in `dtype`'s device layout. */
export function toRawHost(dtype: DType, values: readonly (number | boolean | bigint)[]): HostArray {
  const n = values.length;
  switch (dtype) {
    case 'bool':
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
    case 'int8':
      return Int8Array.from(values, Number);
    case 'int16':
      return Int16Array.from(values, Number);
    case 'int32':
      return Int32Array.from(values, Number);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))));
    case 'uint8':
      return Uint8Array.from(values, Number);
    case 'uint16':
      return Uint16Array.from(values, Number);
    case 'uint32':
      return Uint32Array.from(values, Number);
    case 'uint64':
      return BigUint64Array.from(values, (v) => BigInt.asUintN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)))));
    case 'float16':
      return Uint16Array.from(values, (v) => floatToHalfBits(Number(v)));
    case 'bfloat16':
      return Uint16Array.from(values, (v) => floatToBFloat16Bits(Number(v)));
    case 'float32':
      return Float32Array.from(values, Number);
    case 'float64':
      return Float64Array.from(values, Number);
    case 'complex64':
    case 'complex128': {
      const out = dtype === 'complex64' ? new Float32Array(2 * n) : new Float64Array(2 * n);
      values.forEach((v, i) => (out[2 * i] = Number(v)));
      return out;
    }
  }
}
