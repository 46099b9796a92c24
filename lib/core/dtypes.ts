// JAX's dtype system: names, kinds, x64 canonicalization, defaults, the type promotion lattice
// with weak types (jax/_src/dtypes.py, standard mode), and finfo/iinfo.

import { config } from './config.js';
import { byteSizeOf, type ElementType } from '../runtime/element_types.js';

export type DType = ElementType;

export const DTYPES: readonly DType[] = [
  'bool',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'float16',
  'bfloat16',
  'float32',
  'float64',
  'complex64',
  'complex128',
];

/** The dtype names as constants, so that `jnp.float32 === 'float32'`. */
export const dtypes = {
  bool: 'bool',
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  uint8: 'uint8',
  uint16: 'uint16',
  uint32: 'uint32',
  uint64: 'uint64',
  float16: 'float16',
  bfloat16: 'bfloat16',
  float32: 'float32',
  float64: 'float64',
  complex64: 'complex64',
  complex128: 'complex128',
} as const satisfies { [K in DType]: K };

const DTYPE_SET: ReadonlySet<unknown> = new Set(DTYPES);

export function isDType(name: unknown): name is DType {
  return DTYPE_SET.has(name);
}

/** `name` as a DType, or a TypeError naming it and the operation `what`. */
export function checkDType(name: unknown, what: string): DType {
  if (!isDType(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name) : String(name);
    throw new TypeError(`${what}: unknown dtype ${shown}; expected one of ${DTYPES.join(', ')}`);
  }
  return name;
}

// ---- kinds ----

export const isBool = (d: DType): boolean => d === 'bool';
export const isSignedInteger = (d: DType): boolean => d === 'int8' || d === 'int16' || d === 'int32' || d === 'int64';
export const isUnsignedInteger = (d: DType): boolean =>
  d === 'uint8' || d === 'uint16' || d === 'uint32' || d === 'uint64';
export const isInteger = (d: DType): boolean => isSignedInteger(d) || isUnsignedInteger(d);
export const isFloating = (d: DType): boolean =>
  d === 'float16' || d === 'bfloat16' || d === 'float32' || d === 'float64';
export const isComplex = (d: DType): boolean => d === 'complex64' || d === 'complex128';
export const isInexact = (d: DType): boolean => isFloating(d) || isComplex(d);

/** Bytes per element. */
export const itemsize = (d: DType): number => byteSizeOf(d);

// ---- x64 ----

const TO_32_BIT: Partial<Record<DType, DType>> = {
  int64: 'int32',
  uint64: 'uint32',
  float64: 'float32',
  complex128: 'complex64',
};

/** With x64 off, 64-bit dtypes become their 32-bit counterparts (read at call time). */
export function canonicalizeDType(d: DType): DType {
  return config.enableX64 ? d : (TO_32_BIT[d] ?? d);
}

export const defaultIntDType = (): DType => (config.enableX64 ? 'int64' : 'int32');
/** JAX's to_inexact_dtype: integers and bools up to 32 bits become float32 (even with x64), 64-bit ones float64. */
export function toInexactDType(d: DType): DType {
  if (isInexact(d)) return d;
  return d === 'int64' || d === 'uint64' ? canonicalizeDType('float64') : 'float32';
}
export const defaultUIntDType = (): DType => (config.enableX64 ? 'uint64' : 'uint32');
export const defaultFloatDType = (): DType => (config.enableX64 ? 'float64' : 'float32');
export const defaultComplexDType = (): DType => (config.enableX64 ? 'complex128' : 'complex64');

// ---- promotion ----

/** A dtype with JAX's weak-type flag (a Python scalar, or an array derived only from scalars). */
export interface DTypeWithWeak {
  dtype: DType;
  weak: boolean;
}

/** What `resultType` accepts: dtypes, dtype+weak pairs, array-likes with `weakType`, JS scalars. */
export type DTypeOperand = DType | DTypeWithWeak | { dtype: DType; weakType: boolean } | number | boolean | bigint;

// Weak nodes stand for Python's int, float and complex.
type WeakNode = 'i*' | 'f*' | 'c*';
type Node = DType | WeakNode;

// jax/_src/dtypes.py::_type_promotion_lattice (standard mode): each node's immediate supertypes.
const LATTICE: Record<Node, readonly Node[]> = {
  bool: ['i*'],
  'i*': ['uint8', 'int8'],
  uint8: ['int16', 'uint16'],
  uint16: ['int32', 'uint32'],
  uint32: ['int64', 'uint64'],
  uint64: ['f*'],
  int8: ['int16'],
  int16: ['int32'],
  int32: ['int64'],
  int64: ['f*'],
  'f*': ['bfloat16', 'float16', 'c*'],
  bfloat16: ['float32'],
  float16: ['float32'],
  float32: ['float64', 'complex64'],
  float64: ['complex128'],
  'c*': ['complex64'],
  complex64: ['complex128'],
  complex128: [],
};

// With x64 off no promotion may form a 64-bit type from 32-bit inputs: u32 ⊔ i32 is i32.
const LATTICE_X32: Record<Node, readonly Node[]> = { ...LATTICE, uint32: ['int32', 'uint64'] };

/** Every node's upper bounds (itself included): the transitive closure of the lattice. */
function upperBounds(lattice: Record<Node, readonly Node[]>): Map<Node, ReadonlySet<Node>> {
  const bounds = new Map<Node, Set<Node>>();
  const visit = (n: Node): Set<Node> => {
    let ub = bounds.get(n);
    if (!ub) {
      ub = new Set([n]);
      for (const up of lattice[n]) for (const m of visit(up)) ub.add(m);
      bounds.set(n, ub);
    }
    return ub;
  };
  for (const n of Object.keys(lattice) as Node[]) visit(n);
  return bounds;
}

const UB_X64 = upperBounds(LATTICE);
const UB_X32 = upperBounds(LATTICE_X32);

/** The least upper bound of `nodes` on the lattice of the current x64 mode. */
function join(nodes: readonly Node[]): Node {
  const ub = config.enableX64 ? UB_X64 : UB_X32;
  const at = (n: Node) => ub.get(n)!;
  const common = [...at(nodes[0])].filter((c) => nodes.every((n) => at(n).has(c)));
  // An input that bounds all the others is the join; otherwise the common bound below all others.
  const lub = common.filter((c) => nodes.includes(c));
  const least = lub.length ? lub : common.filter((c) => common.every((d) => at(c).has(d)));
  if (least.length !== 1) throw new Error(`jaxts internal error: no unique join of ${nodes.join(', ')}`);
  return least[0];
}

const isWeakNode = (n: Node): n is WeakNode => n === 'i*' || n === 'f*' || n === 'c*';

/** The lattice node of a (dtype, weak) pair (`_jax_type`): weak non-bool types are Python's types. */
function nodeOf(d: DType, weak: boolean): Node {
  if (!weak || d === 'bool') return d;
  if (isComplex(d)) return 'c*';
  return isFloating(d) ? 'f*' : 'i*';
}

/** The default dtype of `d`'s kind (what a weak result becomes). */
function defaultOfKind(d: DType): DType {
  if (isBool(d)) return 'bool';
  if (isSignedInteger(d)) return defaultIntDType();
  if (isUnsignedInteger(d)) return defaultUIntDType();
  return isFloating(d) ? defaultFloatDType() : defaultComplexDType();
}

/** The dtype of a JS scalar, weak as a Python scalar is: an integer-valued number or bigint is a weak int. */
export function scalarDType(x: number | boolean | bigint): DTypeWithWeak {
  if (typeof x === 'boolean') return { dtype: 'bool', weak: false };
  // A JS number cannot say 2 from 2.0: integral values that fit the default int are weak ints,
  // larger ones (3.4e38) are floats rather than overflowing.
  const intLimit = config.enableX64 ? Number.MAX_SAFE_INTEGER : 2 ** 31 - 1;
  if (typeof x === 'bigint' || (Number.isInteger(x) && Math.abs(x) <= intLimit)) return { dtype: defaultIntDType(), weak: true };
  return { dtype: defaultFloatDType(), weak: true };
}

function operand(x: DTypeOperand): DTypeWithWeak {
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return scalarDType(x);
  if (typeof x === 'string') return { dtype: checkDType(x, 'resultType'), weak: false };
  if (typeof x === 'object' && x !== null) {
    const weak = 'weak' in x ? x.weak : x.weakType;
    return { dtype: checkDType(x.dtype, 'resultType'), weak: weak === true };
  }
  throw new TypeError(`resultType: cannot take the dtype of ${String(x)}`);
}

/**
 * The dtype and weak flag of an operation on `args` (jax.dtypes.result_type with
 * return_weak_type_flag). Inputs are canonicalized first; a weak result is the default dtype
 * of its kind.
 */
export function resultType(...args: DTypeOperand[]): DTypeWithWeak {
  if (args.length === 0) throw new TypeError('resultType: at least one dtype or value is required');
  const ops = args.map(operand).map(({ dtype, weak }) => ({ dtype: canonicalizeDType(dtype), weak }));
  let dtype: DType;
  let weak: boolean;
  if (ops.length === 1) {
    ({ dtype, weak } = ops[0]);
  } else if (ops.every((o) => o.weak)) {
    // All weak: join the strong counterparts, then flag weak (JAX's rule; e.g. weak i16 ⊔ weak i8
    // is a weak int, whatever the widths).
    dtype = nodeDType(join(ops.map((o) => o.dtype)));
    weak = true;
  } else {
    const node = join(ops.map((o) => nodeOf(o.dtype, o.weak)));
    dtype = nodeDType(node);
    weak = isWeakNode(node);
  }
  weak &&= dtype !== 'bool';
  return { dtype: weak ? defaultOfKind(dtype) : dtype, weak };
}

// A weak node's dtype is its kind's default (as `dtypes.dtype(int)` is in JAX).
function nodeDType(n: Node): DType {
  if (n === 'i*') return defaultIntDType();
  if (n === 'f*') return defaultFloatDType();
  if (n === 'c*') return defaultComplexDType();
  return canonicalizeDType(n);
}

/**
 * jnp.promote_types: the join of two strong dtypes. As in JAX, the inputs are not canonicalized
 * (only the x64-off lattice applies) and a weak join is NumPy's type of the Python scalar
 * (i* → int64, f* → float64, c* → complex128) in both modes.
 */
export function promoteTypes(a: DType, b: DType): DType {
  const node = join([checkDType(a, 'promoteTypes'), checkDType(b, 'promoteTypes')]);
  return node === 'i*' ? 'int64' : node === 'f*' ? 'float64' : node === 'c*' ? 'complex128' : node;
}

// ---- finfo / iinfo ----

export interface FInfo {
  dtype: DType;
  bits: number;
  /** 1 ulp at 1.0. */
  eps: number;
  max: number;
  min: number;
  /** The smallest positive normal number. */
  tiny: number;
  smallestSubnormal: number;
  /** 10**-precision. */
  resolution: number;
  /** Decimal digits of precision. */
  precision: number;
  nmant: number;
  nexp: number;
  maxexp: number;
  minexp: number;
}

export interface IInfo {
  dtype: DType;
  bits: number;
  /** A bigint for int64 and uint64. */
  min: number | bigint;
  max: number | bigint;
}

// Binary floats with `nmant` fraction bits and `nexp` exponent bits, all with infinities and
// subnormals; the values are NumPy's (ml_dtypes' for bfloat16), exact in a JS number.
function binaryFloat(dtype: DType, nmant: number, nexp: number, precision: number): FInfo {
  const maxexp = 2 ** (nexp - 1);
  const minexp = 2 - maxexp;
  const eps = 2 ** -nmant;
  const max = (2 - eps) * 2 ** (maxexp - 1);
  return {
    dtype,
    bits: 1 + nexp + nmant,
    eps,
    max,
    min: -max,
    tiny: 2 ** minexp,
    smallestSubnormal: 2 ** (minexp - nmant),
    resolution: 10 ** -precision,
    precision,
    nmant,
    nexp,
    maxexp,
    minexp,
  };
}

// precision (decimal digits) as NumPy computes it: floor(nmant * log10(2)).
const FINFO: Partial<Record<DType, FInfo>> = {
  float16: binaryFloat('float16', 10, 5, 3),
  bfloat16: binaryFloat('bfloat16', 7, 8, 2),
  float32: binaryFloat('float32', 23, 8, 6),
  float64: binaryFloat('float64', 52, 11, 15),
};

/** Machine limits of a floating dtype; a complex dtype gives its real part's. */
export function finfo(d: DType): FInfo {
  const real = d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d;
  const info = FINFO[real];
  if (!info) throw new TypeError(`finfo: dtype ${d} is not a floating or complex dtype`);
  return { ...info };
}

/** Machine limits of an integer dtype (bigint bounds for the 64-bit ones). */
export function iinfo(d: DType): IInfo {
  if (!isInteger(d)) throw new TypeError(`iinfo: dtype ${d} is not an integer dtype`);
  const bits = itemsize(d) * 8;
  if (bits === 64) {
    return isSignedInteger(d)
      ? { dtype: d, bits, min: -(2n ** 63n), max: 2n ** 63n - 1n }
      : { dtype: d, bits, min: 0n, max: 2n ** 64n - 1n };
  }
  return isSignedInteger(d)
    ? { dtype: d, bits, min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }
    : { dtype: d, bits, min: 0, max: 2 ** bits - 1 };
}
