// Abstract values: what tracing knows of an array (shape, dtype, weak type), not its data.
import type { DType } from './dtypes.js';

const SHORT: Record<DType, string> = {
  bool: 'bool', int8: 'i8', int16: 'i16', int32: 'i32', int64: 'i64',
  uint8: 'u8', uint16: 'u16', uint32: 'u32', uint64: 'u64',
  float16: 'f16', bfloat16: 'bf16', float32: 'f32', float64: 'f64',
  complex64: 'c64', complex128: 'c128',
};

export class ShapedArray {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Weakly typed, as Python scalars in JAX and JS numbers here: yields to the other operand's dtype. */
  readonly weakType: boolean;

  constructor(shape: readonly number[], dtype: DType, weakType = false) {
    this.shape = shape;
    this.dtype = dtype;
    this.weakType = weakType;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  /** JAX's short form: `f32[3,4]`, with `{weak_type=True}` shown only where asked. */
  str(showWeak = false): string {
    return `${SHORT[this.dtype]}[${this.shape.join(',')}]${showWeak && this.weakType ? '{weak_type=True}' : ''}`;
  }

  toString(): string {
    return this.str();
  }

  equals(other: ShapedArray): boolean {
    return (
      this.dtype === other.dtype &&
      this.weakType === other.weakType &&
      this.shape.length === other.shape.length &&
      this.shape.every((d, i) => d === other.shape[i])
    );
  }

  /** A key for caches: shape, dtype and weak type. */
  key(): string {
    return `${this.dtype}${this.weakType ? '~' : ''}[${this.shape.join(',')}]`;
  }

  withWeakType(weakType: boolean): ShapedArray {
    return weakType === this.weakType ? this : new ShapedArray(this.shape, this.dtype, weakType);
  }
}

export const shortDType = (d: DType): string => SHORT[d];

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of shapes (aligned at the right, size 1 stretches), or null when they clash. */
export function broadcastShapesOrNull(shapes: readonly (readonly number[])[]): number[] | null {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < ndim; i++) {
    let size = 1;
    for (const s of shapes) {
      const d = s[s.length - ndim + i] ?? 1;
      if (d === 1) continue;
      if (size !== 1 && d !== size) return null;
      size = d;
    }
    out.push(size);
  }
  return out;
}

export const shapeStr = (shape: readonly number[]): string => `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
