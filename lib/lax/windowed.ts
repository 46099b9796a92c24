// Windowed ops: reduce_window (sum/max/min monoids and a generic form with an init operand, whose
// jvp reduces (primal, tangent) pairs),
// conv_general_dilated with JAX's ConvDimensionNumbers, and copy.
import { Array } from '../core/array.js';
import { ArrayImpl } from '../core/array_impl.js';
import { ShapedArray, shapeStr } from '../core/aval.js';
import {
  canonicalizeDType, checkDType, iinfo, isBool, isComplex, isFloating, isInteger, isSignedInteger, itemsize, type DType,
} from '../core/dtypes.js';
import { toRawHost } from '../core/host.js';
import { Primitive, UndefinedPrimal, type Params } from '../core/primitive.js';
import { defjvp, deflinear, defrules, fullOf, zerosLike } from '../interpreters/ad.js';
import { axisSizeOf, defvectorized, matchAxis, mappedAval, type BatchDim, type BatchResult } from '../interpreters/batching.js';
import { i64Array, type LoweringContext, type Value } from '../lowering/context.js';
import { insertAt } from './batch_helpers.js';
import { convertElementType } from './convert.js';
import { checkDTypes } from './rules.js';
import { reshape, rev, transpose } from './shape.js';
import { pad, slice } from './slicing.js';

// ---- shared window geometry ----

/** Per-dimension (low, high) padding. */
export type Padding = [number, number][];
/** JAX's padding strings, or explicit pairs. */
export type PaddingLike = 'VALID' | 'SAME' | 'SAME_LOWER' | readonly (readonly [number, number])[];

/** Params of the reduce_window primitives, as JAX names them. */
export interface WindowParams {
  window_dimensions: number[];
  window_strides: number[];
  padding: Padding;
  base_dilation: number[];
  window_dilation: number[];
}

const dilateDim = (d: number, r: number): number => (d === 0 ? 0 : 1 + r * (d - 1));
/** max(0, (d - w) // s + 1), as JAX's core.stride_dim. */
const strideDim = (d: number, w: number, s: number): number => Math.max(0, Math.floor((d - w) / s) + 1);

/** lax.padtype_to_pads: explicit (low, high) pads for 'VALID', 'SAME' or 'SAME_LOWER'. */
export function padtypeToPads(inShape: readonly number[], windowShape: readonly number[], windowStrides: readonly number[], padding: string): Padding {
  const kind = padding.toUpperCase();
  if (kind === 'VALID') return inShape.map(() => [0, 0]);
  if (kind !== 'SAME' && kind !== 'SAME_LOWER') {
    throw new RangeError(`Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got ${padding}.`);
  }
  return inShape.map((d, i) => {
    const s = windowStrides[i]!;
    const total = Math.max(0, (Math.ceil(d / s) - 1) * s + windowShape[i]! - d);
    const small = Math.floor(total / 2);
    return kind === 'SAME' ? [small, total - small] : [total - small, small];
  });
}

function checkShapelike(op: string, what: string, xs: readonly number[], nonZero: boolean): void {
  if (xs.some((x) => !Number.isInteger(x) || x < 0 || (nonZero && x === 0))) {
    throw new TypeError(`${op} ${what} must have every element be ${nonZero ? 'strictly positive' : 'nonnegative'}, got ${shapeStr(xs)}.`);
  }
}

/** The output shape of a reduce_window, with JAX's errors. */
function reduceWindowShape(op: string, x: ShapedArray, p: WindowParams): number[] {
  const { window_dimensions: w, window_strides: s, padding, base_dilation: bd, window_dilation: wd } = p;
  checkShapelike(op, 'window_dimensions', w, true);
  checkShapelike(op, 'window_strides', s, true);
  checkShapelike(op, 'base_dilation', bd, true);
  checkShapelike(op, 'window_dilation', wd, true);
  if (x.ndim !== w.length) {
    throw new TypeError(`${op} got the wrong number of window_dimensions for operand: got operand shape ${shapeStr(x.shape)} with window_dimensions ${shapeStr(w)}.`);
  }
  for (const [name, list] of [['window_strides', s], ['base_dilation', bd], ['window_dilation', wd], ['padding', padding]] as const) {
    if (list.length !== w.length) {
      throw new TypeError(`${op} got inconsistent ${name} and window_dimensions: got ${name} ${JSON.stringify(list)} and window_dimensions ${shapeStr(w)}.`);
    }
  }
  return x.shape.map((d, i) => {
    const padded = dilateDim(d, bd[i]!) + padding[i]![0] + padding[i]![1];
    return strideDim(padded, dilateDim(w[i]!, wd[i]!), s[i]!);
  });
}

// ---- reduce_window ----

export type WindowComputation = 'add' | 'mul' | 'max' | 'min';

/** The identity of `kind` in `dtype` (bigint for 64-bit integers, so literals stay exact). */
export function monoidIdentity(kind: WindowComputation, dtype: DType): number | boolean | bigint {
  if (kind === 'add') return isBool(dtype) ? false : 0;
  if (kind === 'mul') return isBool(dtype) ? true : 1;
  if (isBool(dtype)) return kind === 'min';
  if (isInteger(dtype)) {
    const info = iinfo(dtype);
    return kind === 'max' ? info.min : info.max;
  }
  return kind === 'max' ? -Infinity : Infinity;
}

/** One scalar application of `kind`; complex max/min compare (real, imag) lexicographically as JAX does. */
export function monoidCombine(ctx: LoweringContext, kind: WindowComputation, a: Value, b: Value): Value {
  const aval = a.aval;
  if (kind === 'add') return ctx.op1('stablehlo.add', [a, b], aval);
  if (kind === 'mul') return ctx.op1('stablehlo.multiply', [a, b], aval);
  if (!isComplex(aval.dtype)) return ctx.op1(kind === 'max' ? 'stablehlo.maximum' : 'stablehlo.minimum', [a, b], aval);
  const part = new ShapedArray(aval.shape, aval.dtype === 'complex64' ? 'float32' : 'float64');
  const pred = new ShapedArray(aval.shape, 'bool');
  const cmp = (x: Value, y: Value, dir: string) =>
    ctx.op1('stablehlo.compare', [x, y], pred, {
      comparison_direction: `#stablehlo<comparison_direction ${dir}>`,
      compare_type: '#stablehlo<comparison_type FLOAT>',
    });
  const [ra, rb] = [ctx.op1('stablehlo.real', [a], part), ctx.op1('stablehlo.real', [b], part)];
  const dir = kind === 'max' ? 'GT' : 'LT';
  const imagCmp = cmp(ctx.op1('stablehlo.imag', [a], part), ctx.op1('stablehlo.imag', [b], part), dir);
  const which = ctx.op1('stablehlo.select', [cmp(ra, rb, 'EQ'), imagCmp, cmp(ra, rb, dir)], pred);
  return ctx.op1('stablehlo.select', [which, a, b], aval);
}

/** `stablehlo.reduce_window` of `operand` from `init` with a scalar `body`. */
export function lowerReduceWindow(
  ctx: LoweringContext, operand: Value, init: Value, p: WindowParams, out: ShapedArray,
  body: (inner: LoweringContext, a: Value, b: Value) => Value,
): Value {
  const region = ctx.region([init.aval, init.aval], (inner, [a, b]) => [body(inner, a!, b!)]);
  return ctx.op1('stablehlo.reduce_window', [operand, init], out, windowAttrs(p), [region]);
}

/** The window attributes of stablehlo.reduce_window. */
const windowAttrs = (p: WindowParams): Record<string, string> => ({
  base_dilations: i64Array(p.base_dilation),
  padding: `dense<${JSON.stringify(p.padding)}> : tensor<${p.padding.length}x2xi64>`,
  window_dilations: i64Array(p.window_dilation),
  window_dimensions: i64Array(p.window_dimensions),
  window_strides: i64Array(p.window_strides),
});

const windowParams = (params: Params): WindowParams => params as unknown as WindowParams;

/** reduce_window_{sum,max,min}[window_dimensions, window_strides, padding, base_dilation, window_dilation] */
function monoidReduceWindow(kind: 'add' | 'max' | 'min', name: string): Primitive {
  const prim: Primitive = new Primitive(name, {
    abstractEval: ([x], params) => {
      if (kind === 'add' && isBool(x!.dtype)) throw new TypeError(`operand to ${name} must have a number dtype, got ${x!.dtype}`);
      return [new ShapedArray(reduceWindowShape('reduce_window', x!, windowParams(params)), x!.dtype, x!.weakType)];
    },
    lower: (ctx, [x], params, [out]) => {
      const init = ctx.constant(monoidIdentity(kind, x!.aval.dtype), new ShapedArray([], x!.aval.dtype));
      return [lowerReduceWindow(ctx, x!, init, windowParams(params), out!, (inner, a, b) => monoidCombine(inner, kind, a, b))];
    },
    batch: ([x], [bdim], params) => [[prim.bind1([x!], withBatchWindow(params, bdim!))], [bdim!]],
  });
  return prim;
}

/** reduce_window_sum is linear; its transpose spreads each cotangent back over its window. */
export const reduceWindowSumP: Primitive = deflinear(monoidReduceWindow('add', 'reduce_window_sum'), reduceWindowSumTranspose);
/** reduce_window_max/min: the tangent of each window's first extreme element (JAX's select_and_gather_add). */
export const reduceWindowMaxP: Primitive = defjvp(monoidReduceWindow('max', 'reduce_window_max'), (g, [x], _ans, params) => selectAndGatherAdd(g, x!, 'ge', params));
export const reduceWindowMinP: Primitive = defjvp(monoidReduceWindow('min', 'reduce_window_min'), (g, [x], _ans, params) => selectAndGatherAdd(g, x!, 'le', params));

// ---- select_and_gather_add, select_and_scatter_add: max/min pooling's derivatives ----

type SelectPrim = 'ge' | 'le';

function compareScalars(ctx: LoweringContext, direction: string, a: Value, b: Value): Value {
  const d = a.aval.dtype;
  return ctx.op1('stablehlo.compare', [a, b], new ShapedArray(a.aval.shape, 'bool'), {
    comparison_direction: `#stablehlo<comparison_direction ${direction}>`,
    compare_type: `#stablehlo<comparison_type ${isFloating(d) || isComplex(d) ? 'FLOAT' : isSignedInteger(d) ? 'SIGNED' : 'UNSIGNED'}>`,
  });
}

/** The value that never wins a 'ge' (max) or 'le' (min) selection. */
const selectIdentity = (select: SelectPrim, dtype: DType) => monoidIdentity(select === 'ge' ? 'max' : 'min', dtype);

/**
 * select_and_gather_add[select_prim, ...window params](tangents, operand): in each window, the
 * tangent at the operand's first maximum ('ge') or minimum ('le'). Linear in the tangents.
 */
export const selectAndGatherAddP: Primitive = defrules(defjvp(new Primitive('select_and_gather_add', {
  abstractEval: ([t, x], params) => {
    if (t!.shape.length !== x!.shape.length || t!.shape.some((d, i) => d !== x!.shape[i])) {
      throw new TypeError(`select_and_gather_add tangents and operand shapes must match, got ${shapeStr(t!.shape)} and ${shapeStr(x!.shape)}.`);
    }
    return [new ShapedArray(reduceWindowShape('select_and_gather_add', x!, windowParams(params)), t!.dtype, t!.weakType)];
  },
  lower: (ctx, [t, x], params, [out]) => {
    // a variadic reduce_window over (operand, tangent) pairs that keeps the selected pair
    const select = params.select_prim as SelectPrim;
    const p = windowParams(params);
    const key = new ShapedArray([], x!.aval.dtype);
    const value = new ShapedArray([], t!.aval.dtype);
    const region = ctx.region([key, value, key, value], (inner, [ka, va, kb, vb]) => {
      const which = compareScalars(inner, select === 'ge' ? 'GE' : 'LE', ka!, kb!);
      return [inner.op1('stablehlo.select', [which, ka!, kb!], key), inner.op1('stablehlo.select', [which, va!, vb!], value)];
    });
    const inits = [ctx.constant(selectIdentity(select, key.dtype), key), ctx.constant(0, value)];
    const [, gathered] = ctx.op('stablehlo.reduce_window', [x!, t!, ...inits], [new ShapedArray(out!.shape, key.dtype), out!], {
      base_dilations: i64Array(p.base_dilation),
      padding: `dense<${JSON.stringify(p.padding)}> : tensor<${p.padding.length}x2xi64>`,
      window_dilations: i64Array(p.window_dilation),
      window_dimensions: i64Array(p.window_dimensions),
      window_strides: i64Array(p.window_strides),
    }, [region]);
    return [gathered!];
  },
  batch: (args, dims, params) => alignedWindowBatch(selectAndGatherAddP, args, dims, params),
}), (g, [, x], _ans, params) => selectAndGatherAddP.bind1([g, x!], params), null), {
  transpose: ([ct], [, x], params) => {
    const p = windowParams(params);
    const select = params.select_prim as SelectPrim;
    if (p.window_dilation.some((d) => d !== 1)) {
      throw new Error(`VJP not implemented for select_and_gather (MaxPool) with window dilation, got window_dilation=${shapeStr(p.window_dilation)}.`);
    }
    // base dilation: scatter into the dilated operand (holes never selected), then drop the holes
    const dilated = p.base_dilation.some((d) => d !== 1);
    let operand = x as Array;
    if (dilated) {
      const hole = fullOf(new ShapedArray([], operand.dtype), selectIdentity(select, operand.dtype) as number);
      operand = pad.bind1([operand, hole], { padding_config: p.base_dilation.map((d) => [0, 0, d - 1]) });
    }
    let out = selectAndScatterAddP.bind1([ct!, operand], {
      padding: p.padding, select_prim: select, window_dimensions: p.window_dimensions, window_strides: p.window_strides,
    });
    if (dilated) out = slice.bind1([out], { start_indices: out.shape.map(() => 0), limit_indices: out.shape, strides: p.base_dilation });
    return [out, null];
  },
});

/**
 * select_and_scatter_add[select_prim, window_dimensions, window_strides, padding](source, operand):
 * each source value added at its window's selected operand position (the transpose of
 * select_and_gather_add). Linear in the source.
 */
export const selectAndScatterAddP: Primitive = defrules(defjvp(new Primitive('select_and_scatter_add', {
  abstractEval: ([source, x]) => [new ShapedArray(x!.shape, source!.dtype, source!.weakType)],
  lower: (ctx, [source, x], params, [out]) => {
    // padding expanded by hand, as JAX does on CPU (XLA's own padding here is unreliable there)
    const select = params.select_prim as SelectPrim;
    const pads = params.padding as Padding;
    const shape = x!.aval.shape;
    const key = new ShapedArray([], x!.aval.dtype);
    const value = new ShapedArray([], source!.aval.dtype);
    const paddedShape = shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
    const padded = ctx.op1('stablehlo.pad', [x!, ctx.constant(selectIdentity(select, key.dtype), key)], new ShapedArray(paddedShape, key.dtype), {
      edge_padding_low: i64Array(pads.map((p) => p[0])),
      edge_padding_high: i64Array(pads.map((p) => p[1])),
      interior_padding: i64Array(pads.map(() => 0)),
    });
    const selectRegion = ctx.region([key, key], (inner, [a, b]) => [compareScalars(inner, select === 'ge' ? 'GE' : 'LE', a!, b!)]);
    const scatterRegion = ctx.region([value, value], (inner, [a, b]) => [inner.op1('stablehlo.add', [a!, b!], value)]);
    const scattered = ctx.op1('stablehlo.select_and_scatter', [padded, source!, ctx.constant(0, value)], new ShapedArray(paddedShape, value.dtype), {
      padding: `dense<${JSON.stringify(pads.map(() => [0, 0]))}> : tensor<${pads.length}x2xi64>`,
      window_dimensions: i64Array(params.window_dimensions as number[]),
      window_strides: i64Array(params.window_strides as number[]),
    }, [selectRegion, scatterRegion]);
    return [ctx.op1('stablehlo.slice', [scattered], out!, {
      start_indices: i64Array(pads.map((p) => p[0])),
      limit_indices: i64Array(pads.map((p, i) => p[0] + shape[i]!)),
      strides: i64Array(shape.map(() => 1)),
    })];
  },
  batch: (args, dims, params) => alignedWindowBatch(selectAndScatterAddP, args, dims, params),
}), (g, [, x], _ans, params) => selectAndScatterAddP.bind1([g, x!], params), null), {
  transpose: ([ct], [, x], params) => {
    const ones = (params.window_dimensions as number[]).map(() => 1);
    return [selectAndGatherAddP.bind1([ct!, x as Array], { ...params, base_dilation: ones, window_dilation: ones }), null];
  },
});

/** select_and_gather_add of `g` by `x` with a reduce_window's params (in alphabetical order, as JAX prints them). */
function selectAndGatherAdd(g: Array, x: Array, select: SelectPrim, params: Params): Array {
  const p = windowParams(params);
  return selectAndGatherAddP.bind1([g, x], {
    base_dilation: p.base_dilation,
    padding: p.padding,
    select_prim: select,
    window_dilation: p.window_dilation,
    window_dimensions: p.window_dimensions,
    window_strides: p.window_strides,
  });
}

/** reduce_window[computation, ...window params](operand, init_value): any start value. */
export const reduceWindowP: Primitive = new Primitive('reduce_window', {
  abstractEval: ([x, init], params) => {
    if (x!.dtype !== init!.dtype) {
      throw new TypeError(`reduce_window got inconsistent dtypes for operands and init_values: got operand dtypes [${x!.dtype}] and init_value dtypes [${init!.dtype}].`);
    }
    if (init!.ndim !== 0) throw new TypeError(`reduce_window expected init_values to be scalars but init_values have shapes [${shapeStr(init!.shape)}].`);
    const computation = params.computation as WindowComputation;
    if (!['add', 'mul', 'max', 'min'].includes(computation)) throw new TypeError(`reduce_window: unknown computation ${String(computation)}; expected add, mul, max or min`);
    if ((computation === 'add' || computation === 'mul') && isBool(x!.dtype)) {
      throw new TypeError(`reduce_window with computation ${computation} does not accept dtype bool`);
    }
    return [new ShapedArray(reduceWindowShape('reduce_window', x!, windowParams(params)), x!.dtype, x!.weakType)];
  },
  lower: (ctx, [x, init], params, [out]) => [
    lowerReduceWindow(ctx, x!, init!, windowParams(params), out!, (inner, a, b) => monoidCombine(inner, params.computation as WindowComputation, a, b)),
  ],
  batch: ([x, init], [xd, initd], params) => {
    if (initd !== null) throw new Error('reduce_window batching is not implemented for initial values');
    return [[reduceWindowP.bind1([x!, init!], withBatchWindow(params, xd!))], [xd!]];
  },
});

// ---- reduce_window's jvp (JAX's _reduce_window_jvp_rule) ----

/**
 * The jvp of one application of `kind` to (primal, tangent) pairs, as JAX's jvp of the reducer:
 * add and mul by their product rule; max and min as lax.max's jvp, each side weighted by
 * [side == result] / (1 + [other side == result]), so ties share the tangent equally.
 */
function pairCombine(ctx: LoweringContext, kind: WindowComputation, a: Value, ta: Value, b: Value, tb: Value): [Value, Value] {
  const c = monoidCombine(ctx, kind, a, b);
  const aval = ta.aval;
  const add = (x: Value, y: Value) => ctx.op1('stablehlo.add', [x, y], aval);
  const mul = (x: Value, y: Value) => ctx.op1('stablehlo.multiply', [x, y], aval);
  if (kind === 'add') return [c, add(ta, tb)];
  if (kind === 'mul') return [c, add(mul(ta, b), mul(a, tb))];
  const [zero, half, one] = [0, 0.5, 1].map((v) => ctx.constant(v, aval));
  const select = (pred: Value, x: Value, y: Value) => ctx.op1('stablehlo.select', [pred, x, y], aval);
  const [aWins, bWins] = [compareScalars(ctx, 'EQ', a, c), compareScalars(ctx, 'EQ', b, c)];
  const weight = (wins: Value, otherWins: Value) => select(wins, select(otherWins, half!, one!), zero!);
  return [c, add(mul(ta, weight(aWins, bWins)), mul(tb, weight(bWins, aWins)))];
}

/**
 * reduce_window[computation, ...window params](operand, tangent, init_value, init_tangent): the
 * variadic reduce_window over (primal, tangent) pairs that JAX's jvp rule builds; the reducer is
 * the jvp of `computation` (pairCombine). Not transposable (nor is JAX's generic reduce_window).
 */
export const reduceWindowJvpP: Primitive = new Primitive('reduce_window', {
  abstractEval: ([x, t, init, tInit], params) => {
    if (t!.dtype !== x!.dtype || tInit!.dtype !== init!.dtype) {
      throw new TypeError(`reduce_window jvp: tangent dtypes [${t!.dtype}, ${tInit!.dtype}] must match the primal dtypes [${x!.dtype}, ${init!.dtype}]`);
    }
    const [out] = reduceWindowP.rules.abstractEval([x!, init!], params);
    return [out!, out!];
  },
  lower: (ctx, [x, t, init, tInit], params, outs) => {
    const scalar = init!.aval;
    const region = ctx.region([scalar, scalar, scalar, scalar], (inner, [a, ta, b, tb]) => pairCombine(inner, params.computation as WindowComputation, a!, ta!, b!, tb!));
    return ctx.op('stablehlo.reduce_window', [x!, t!, init!, tInit!], outs, windowAttrs(windowParams(params)), [region]);
  },
  batch: (args, dims, params) => {
    if (dims[2] !== null || dims[3] !== null) throw new Error('reduce_window batching is not implemented for initial values');
    // as JAX: both operands batched along the same axis, which gets a window of one
    const size = axisSizeOf(args, dims);
    const d = (dims[0] ?? dims[1])!;
    const [x, t] = [0, 1].map((i) => matchAxis(args[i]!, dims[i] ?? null, d, size));
    return [reduceWindowJvpP.bind([x!, t!, args[2]!, args[3]!], withBatchWindow(params, d)), [d, d]];
  },
});

defrules(reduceWindowP, {
  jvp: ([x, init], [t, tInit], params) => {
    if (tInit) throw new TypeError('reduce_window jvp does not support non-zero init_value_tangent.');
    if (!t) return [[reduceWindowP.bind1([x!, init!], params)], [null]];
    const [out, tOut] = reduceWindowJvpP.bind([x!, t, init!, zerosLike(init!.aval)], params);
    return [[out!], [tOut!]];
  },
});

export interface ReduceWindowOptions {
  baseDilation?: readonly number[];
  windowDilation?: readonly number[];
}

function scalarLike(value: number | boolean | bigint, dtype: DType): Array {
  return new ArrayImpl(new ShapedArray([], dtype), toRawHost(dtype, [value]));
}

/**
 * lax.reduce_window: reduces padded windows of `operand` with `computation`, starting from
 * `initValue`. A JS-number start equal to the computation's identity uses the monoid primitive
 * (reduce_window_sum/max/min), as JAX does for concrete identities.
 */
export function reduceWindow(
  operand: Array, initValue: Array | number | boolean | bigint, computation: WindowComputation,
  windowDimensions: readonly number[], windowStrides?: readonly number[] | null,
  padding: PaddingLike = 'VALID', options: ReduceWindowOptions = {},
): Array {
  const ones = windowDimensions.map(() => 1);
  const strides = windowStrides ? [...windowStrides] : ones;
  const windowDilation = options.windowDilation ? [...options.windowDilation] : ones;
  const pads = typeof padding === 'string'
    ? padtypeToPads(operand.shape, windowDimensions.map((w, i) => dilateDim(w, windowDilation[i] ?? 1)), strides, padding)
    : padding.map(([lo, hi]) => [lo, hi] as [number, number]);
  // params in alphabetical order, so jaxprs print as JAX's do
  const params = {
    base_dilation: options.baseDilation ? [...options.baseDilation] : ones,
    padding: pads,
    window_dilation: windowDilation,
    window_dimensions: [...windowDimensions],
    window_strides: strides,
  };
  if (!(initValue instanceof Array)) {
    const identity = monoidIdentity(computation, operand.dtype);
    const monoid = { add: reduceWindowSumP, max: reduceWindowMaxP, min: reduceWindowMinP }[computation as 'add' | 'max' | 'min'];
    // loose equality: a bigint identity equals the same number
    if (monoid && initValue == identity) return monoid.bind1([operand], params);
    initValue = scalarLike(initValue, operand.dtype);
  }
  const { base_dilation, ...rest } = params;
  return reduceWindowP.bind1([operand, initValue], { base_dilation, computation, ...rest });
}

// ---- conv_general_dilated ----

/** JAX's ConvDimensionNumbers: (batch, feature, *spatial) positions of lhs, rhs (out, in, *spatial) and output. */
export class ConvDimensionNumbers {
  constructor(
    readonly lhs_spec: readonly number[],
    readonly rhs_spec: readonly number[],
    readonly out_spec: readonly number[],
  ) {}

  toString(): string {
    const t = (xs: readonly number[]) => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`;
    return `ConvDimensionNumbers(lhs_spec=${t(this.lhs_spec)}, rhs_spec=${t(this.rhs_spec)}, out_spec=${t(this.out_spec)})`;
  }
}

/** Strings such as ['NCHW', 'OIHW', 'NCHW'], a ConvDimensionNumbers, or null for the identity layout. */
export type ConvDimensionNumbersLike =
  | ConvDimensionNumbers
  | { lhs_spec: readonly number[]; rhs_spec: readonly number[]; out_spec: readonly number[] }
  | readonly [string, string, string]
  | null;

/** lax.conv_general_permutations: index tuples from the string form. */
function convGeneralPermutations(specs: readonly [string, string, string]): ConvDimensionNumbers {
  const pairs: [string, string][] = [['N', 'C'], ['O', 'I'], ['N', 'C']];
  specs.forEach((spec, i) => {
    const [a, b] = pairs[i]!;
    const count = (c: string) => spec.split('').filter((x) => x === c).length;
    if (count(a) !== 1 || count(b) !== 1) {
      throw new TypeError(`convolution dimension_numbers[${i}] must contain the characters '${a}' and '${b}' exactly once, got ${spec}.`);
    }
    if (new Set(spec).size !== spec.length) throw new TypeError(`convolution dimension_numbers[${i}] cannot have duplicate characters, got ${spec}.`);
  });
  const spatial = (spec: string, i: number) => [...spec].filter((c) => !pairs[i]!.includes(c)).sort().join('');
  if (spatial(specs[0], 0) !== spatial(specs[1], 1) || spatial(specs[1], 1) !== spatial(specs[2], 2)) {
    throw new TypeError(`convolution dimension_numbers elements must each have the same set of spatial characters, got ${JSON.stringify(specs)}.`);
  }
  const rhs = specs[1];
  const perm = (spec: string, i: number) => {
    const [a, b] = pairs[i]!;
    let dims = [...spec].flatMap((c, j) => (c === a || c === b ? [] : [j]));
    // spatial dimensions follow their order in the rhs spec
    if (i !== 1) dims = dims.sort((x, y) => rhs.indexOf(spec[x]!) - rhs.indexOf(spec[y]!));
    return [spec.indexOf(a), spec.indexOf(b), ...dims];
  };
  return new ConvDimensionNumbers(perm(specs[0], 0), perm(specs[1], 1), perm(specs[2], 2));
}

/** lax.conv_dimension_numbers */
export function convDimensionNumbers(lhsShape: readonly number[], rhsShape: readonly number[], dimensionNumbers: ConvDimensionNumbersLike = null): ConvDimensionNumbers {
  if (dimensionNumbers instanceof ConvDimensionNumbers) return dimensionNumbers;
  if (lhsShape.length !== rhsShape.length) {
    throw new TypeError(`convolution requires lhs and rhs ndim to be equal, got ${lhsShape.length} and ${rhsShape.length}.`);
  }
  if (dimensionNumbers === null) {
    const iota = lhsShape.map((_, i) => i);
    return new ConvDimensionNumbers(iota, iota, iota);
  }
  if (!globalThis.Array.isArray(dimensionNumbers)) {
    const d = dimensionNumbers as { lhs_spec: number[]; rhs_spec: number[]; out_spec: number[] };
    return new ConvDimensionNumbers([...d.lhs_spec], [...d.rhs_spec], [...d.out_spec]);
  }
  const specs = dimensionNumbers as readonly string[];
  if (specs.length !== 3) throw new TypeError(`convolution dimension_numbers list/tuple must be length 3, got ${specs.length}.`);
  if (!specs.every((s) => typeof s === 'string')) throw new TypeError('convolution dimension_numbers elements must be strings');
  specs.forEach((s, i) => {
    if (s.length !== lhsShape.length) {
      throw new TypeError(`convolution dimension_numbers[${i}] must have len equal to the ndim of lhs and rhs, got ${s.length} for lhs and rhs shapes ${shapeStr(lhsShape)} and ${shapeStr(rhsShape)}.`);
    }
  });
  return convGeneralPermutations(specs as unknown as [string, string, string]);
}

export type Precision = 'DEFAULT' | 'HIGH' | 'HIGHEST';

/** The compatibility checks of JAX's _validate_preferred_element_type. */
function checkPreferred(input: DType, preferred: DType): void {
  const kind = (d: DType) => (isInteger(d) ? 'integral' : isFloating(d) ? 'floating' : isComplex(d) ? 'complex' : 'bool');
  if (!(isInteger(input) && isFloating(preferred))) {
    if (kind(input) !== kind(preferred)) {
      throw new TypeError('Input type is incompatible with `preferred_element_type`. The compatible combinations of (input_type, preferred_element_type) are (integral, integral), (integral, floating), (floating, floating), (complex, complex).');
    }
    if (isSignedInteger(input) && !isSignedInteger(preferred)) throw new TypeError('`preferred_element_type` must have the same signedness as the original type.');
  }
  if (itemsize(preferred) < itemsize(input)) throw new TypeError('`preferred_element_type` must not be narrower than the original type.');
}

/** The conv output shape in the operands' own layouts (JAX's _conv_general_dilated_shape_rule). */
function convShape(lhs: ShapedArray, rhs: ShapedArray, params: Params): number[] {
  const op = 'conv_general_dilated';
  const dn = params.dimension_numbers as ConvDimensionNumbers;
  const strides = params.window_strides as number[];
  const padding = params.padding as Padding;
  const fgc = params.feature_group_count as number;
  const bgc = params.batch_group_count as number;
  if (lhs.ndim !== rhs.ndim) throw new TypeError(`${op} lhs and rhs must have the same number of dimensions, but got ${shapeStr(lhs.shape)} and ${shapeStr(rhs.shape)}.`);
  for (const spec of [dn.lhs_spec, dn.rhs_spec, dn.out_spec]) {
    if (spec.length !== lhs.ndim || new Set(spec).size !== spec.length || spec.some((d) => !(d >= 0 && d < lhs.ndim))) {
      throw new TypeError(`${op} dimension_numbers ${String(dn)} do not fit operands of rank ${lhs.ndim}`);
    }
  }
  if (!(Number.isInteger(fgc) && fgc > 0)) throw new TypeError(`${op} feature_group_count must be a positive integer, got ${fgc}.`);
  const lhsFeatures = lhs.shape[dn.lhs_spec[1]!]!;
  const rhsIn = rhs.shape[dn.rhs_spec[1]!]!;
  const rhsOut = rhs.shape[dn.rhs_spec[0]!]!;
  if (lhsFeatures % fgc) throw new TypeError(`${op} feature_group_count must divide lhs feature dimension size, but ${fgc} does not divide ${lhsFeatures}.`);
  if (lhsFeatures / fgc !== rhsIn) {
    throw new TypeError(`${op} lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but ${lhsFeatures} // ${fgc} != ${rhsIn}.`);
  }
  if (rhsOut % fgc) throw new TypeError(`${op} rhs output feature dimension size must be a multiple of feature_group_count, but ${rhsOut} is not a multiple of ${fgc}.`);
  if (!(Number.isInteger(bgc) && bgc > 0)) throw new TypeError(`${op} batch_group_count must be a positive integer, got ${bgc}.`);
  const lhsBatch = lhs.shape[dn.lhs_spec[0]!]!;
  if (bgc > 1 && lhsBatch % bgc) throw new TypeError(`${op} batch_group_count must divide lhs batch dimension size, but ${bgc} does not divide ${lhsBatch}.`);
  if (rhsOut % bgc) throw new TypeError(`${op} rhs output feature dimension size must be a multiple of batch_group_count, but ${rhsOut} is not a multiple of ${bgc}.`);
  if (bgc > 1 && fgc > 1) throw new TypeError(`At most one of batch_group_count and feature_group_count may be > 1, got batch_group_count=${bgc} and feature_group_count=${fgc}`);
  const nSpatial = lhs.ndim - 2;
  if (strides.length !== nSpatial) throw new TypeError(`${op} window and window_strides must have the same number of dimensions, but got ${nSpatial} and ${strides.length}`);
  if (padding.length !== nSpatial) throw new TypeError(`Wrong number of explicit pads for convolution: expected ${nSpatial}, got ${padding.length}.`);
  const lhsDil = params.lhs_dilation as number[];
  const rhsDil = params.rhs_dilation as number[];
  const out: number[] = new globalThis.Array(lhs.ndim);
  out[dn.out_spec[0]!] = bgc > 1 ? lhsBatch / bgc : lhsBatch;
  out[dn.out_spec[1]!] = rhsOut;
  for (let i = 0; i < nSpatial; i++) {
    const padded = dilateDim(lhs.shape[dn.lhs_spec[i + 2]!]!, lhsDil[i]!) + padding[i]![0] + padding[i]![1];
    if (padded < 0) {
      throw new RangeError(`Negative padding is larger than the size of the corresponding dimension: got padding=${JSON.stringify(padding)} for lhs_shape[2:]=${shapeStr(dn.lhs_spec.slice(2).map((d) => lhs.shape[d]!))}`);
    }
    out[dn.out_spec[i + 2]!] = strideDim(padded, dilateDim(rhs.shape[dn.rhs_spec[i + 2]!]!, rhsDil[i]!), strides[i]!);
  }
  return out;
}

/**
 * conv_general_dilated[window_strides, padding, lhs_dilation, rhs_dilation, dimension_numbers,
 * feature_group_count, batch_group_count, precision, preferred_element_type]
 */
export const convGeneralDilatedP: Primitive = defrules(defjvp(new Primitive('conv_general_dilated', {
  abstractEval: ([lhs, rhs], params) => {
    if (lhs!.dtype !== rhs!.dtype) {
      throw new TypeError(`lax.conv_general_dilated requires arguments to have the same dtypes, got ${lhs!.dtype}, ${rhs!.dtype}.`);
    }
    checkDTypes('conv_general_dilated', [lhs!], (d) => !isBool(d), 'number');
    const preferred = params.preferred_element_type as DType | null;
    if (preferred) checkPreferred(lhs!.dtype, checkDType(preferred, 'conv_general_dilated'));
    return [new ShapedArray(convShape(lhs!, rhs!, params), preferred ?? lhs!.dtype, lhs!.weakType && rhs!.weakType)];
  },
  lower: (ctx, [lhs, rhs], params, [out]) => {
    const dn = params.dimension_numbers as ConvDimensionNumbers;
    const layout = (spec: readonly number[], a: string, b: string) => {
      const labels: string[] = new globalThis.Array(spec.length);
      spec.forEach((d, i) => (labels[d] = i === 0 ? a : i === 1 ? b : String(i - 2)));
      return `[${labels.join(', ')}]`;
    };
    const nSpatial = dn.lhs_spec.length - 2;
    const padding = params.padding as Padding;
    const precision = (params.precision as [Precision, Precision] | null) ?? ['DEFAULT', 'DEFAULT'];
    return [
      ctx.op1('stablehlo.convolution', [lhs!, rhs!], out!, {
        batch_group_count: `${params.batch_group_count as number} : i64`,
        dimension_numbers: `#stablehlo.conv<${layout(dn.lhs_spec, 'b', 'f')}x${layout(dn.rhs_spec, 'o', 'i')}->${layout(dn.out_spec, 'b', 'f')}>`,
        feature_group_count: `${params.feature_group_count as number} : i64`,
        lhs_dilation: i64Array(params.lhs_dilation as number[]),
        padding: `dense<${nSpatial ? JSON.stringify(padding) : '[]'}> : tensor<${nSpatial}x2xi64>`,
        precision_config: `[${precision.map((p) => `#stablehlo<precision ${p}>`).join(', ')}]`,
        rhs_dilation: i64Array(params.rhs_dilation as number[]),
        window_reversal: nSpatial ? `array<i1: ${new globalThis.Array(nSpatial).fill('false').join(', ')}>` : 'array<i1>',
        window_strides: i64Array(params.window_strides as number[]),
      }),
    ];
  },
  batch: convBatch,
}), (g, [, rhs], _ans, params) => convGeneralDilatedP.bind1([g, rhs!], params), (g, [lhs], _ans, params) => convGeneralDilatedP.bind1([lhs!, g], params),
), {
  // bilinear: the cotangent of whichever operand is linear, the other one fixed
  transpose: ([ct], [lhs, rhs], params) =>
    lhs instanceof UndefinedPrimal
      ? [convTransposeLhs(ct!, lhs.aval, rhs as Array, params), null]
      : [null, convTransposeRhs(ct!, lhs as Array, (rhs as UndefinedPrimal).aval, params)],
});

export interface ConvOptions {
  lhsDilation?: readonly number[] | null;
  rhsDilation?: readonly number[] | null;
  dimensionNumbers?: ConvDimensionNumbersLike;
  featureGroupCount?: number;
  batchGroupCount?: number;
  precision?: Precision | readonly [Precision, Precision] | null;
  preferredElementType?: DType | null;
}

/** lax.conv_general_dilated: general n-d convolution with strides, padding and dilations. */
export function convGeneralDilated(lhs: Array, rhs: Array, windowStrides: readonly number[], padding: PaddingLike, options: ConvOptions = {}): Array {
  const dn = convDimensionNumbers(lhs.shape, rhs.shape, options.dimensionNumbers ?? null);
  const nSpatial = lhs.ndim - 2;
  const lhsDilation = options.lhsDilation ? [...options.lhsDilation] : new globalThis.Array<number>(nSpatial).fill(1);
  const rhsDilation = options.rhsDilation ? [...options.rhsDilation] : new globalThis.Array<number>(nSpatial).fill(1);
  let pads: Padding;
  if (typeof padding === 'string') {
    if (lhsDilation.some((d) => d !== 1)) {
      throw new TypeError('String padding is not implemented for transposed convolution using this op. Please either exactly specify the required padding or use conv_transpose.');
    }
    const spatial = (x: Array, spec: readonly number[]) => spec.slice(2).map((d) => x.shape[d]!);
    const effectiveRhs = spatial(rhs, dn.rhs_spec).map((k, i) => dilateDim(k, rhsDilation[i] ?? 1));
    pads = padtypeToPads(spatial(lhs, dn.lhs_spec), effectiveRhs, windowStrides, padding);
  } else {
    if (!globalThis.Array.isArray(padding) || padding.some((p) => !globalThis.Array.isArray(p) || p.length !== 2 || !p.every(Number.isInteger))) {
      throw new TypeError(`padding argument to conv_general_dilated should be a string or a sequence of (low, high) pairs, got ${JSON.stringify(padding)}`);
    }
    pads = padding.map(([lo, hi]) => [lo, hi] as [number, number]);
  }
  const p = options.precision ?? null;
  return convGeneralDilatedP.bind1([lhs, rhs], {
    batch_group_count: options.batchGroupCount ?? 1,
    dimension_numbers: dn,
    feature_group_count: options.featureGroupCount ?? 1,
    lhs_dilation: lhsDilation,
    padding: pads,
    precision: p === null ? null : typeof p === 'string' ? [p, p] : [...p],
    preferred_element_type: options.preferredElementType ? canonicalizeDType(checkDType(options.preferredElementType, 'conv_general_dilated')) : null,
    rhs_dilation: rhsDilation,
    window_strides: [...windowStrides],
  });
}

/** lax.conv: NCHW inputs, OIHW kernels, no dilation. */
export function conv(lhs: Array, rhs: Array, windowStrides: readonly number[], padding: PaddingLike, options: Pick<ConvOptions, 'precision' | 'preferredElementType'> = {}): Array {
  return convGeneralDilated(lhs, rhs, windowStrides, padding, options);
}

// ---- copy ----

/** copy: a fresh array with the same value (jnp.array(x, copy=True)); lowers to its input. */
export const copyP: Primitive = deflinear(defvectorized(new Primitive('copy', {
  abstractEval: ([x]) => [x!],
  lower: (_ctx, [x]) => [x!],
})), (ct) => copyP.bind1([ct]));

export const copy = (x: Array): Array => copyP.bind1([x]);

// ---- transpose rules (JAX's, in windowed_reductions.py and convolution.py) ----

/** The padding that makes a strided, dilated window's transpose a plain window op (JAX's _conv_general_vjp_lhs_padding). */
function vjpLhsPadding(
  inShape: readonly number[], window: readonly number[], strides: readonly number[], outShape: readonly number[],
  padding: Padding, lhsDilation: readonly number[], rhsDilation: readonly number[],
): Padding {
  return inShape.map((d, i) => {
    const before = dilateDim(window[i]!, rhsDilation[i]!) - padding[i]![0] - 1;
    const after = dilateDim(d, lhsDilation[i]!) + dilateDim(window[i]!, rhsDilation[i]!) - 1 - dilateDim(outShape[i]!, strides[i]!) - before;
    return [before, after];
  });
}

/** JAX's _conv_general_vjp_rhs_padding. */
function vjpRhsPadding(
  inShape: readonly number[], window: readonly number[], strides: readonly number[], outShape: readonly number[],
  padding: Padding, lhsDilation: readonly number[], rhsDilation: readonly number[],
): Padding {
  return inShape.map((d, i) => {
    const lo = padding[i]![0];
    const fromLhs = dilateDim(outShape[i]!, strides[i]!) - dilateDim(d, lhsDilation[i]!);
    const fromRhs = dilateDim(window[i]!, rhsDilation[i]!) - lo - 1;
    return [lo, fromLhs + fromRhs];
  });
}

/** reduce_window_sum: the cotangent, spread by its strides and padded, summed over the same windows. */
function reduceWindowSumTranspose(ct: Array, x: Array | UndefinedPrimal, params: Params): Array {
  const p = windowParams(params);
  const shape = x.aval.shape;
  const pads = vjpLhsPadding(shape, p.window_dimensions, p.window_strides, ct.shape, p.padding, p.base_dilation, p.window_dilation);
  const zero = fullOf(new ShapedArray([], ct.dtype, true), 0);
  const padded = pad.bind1([ct, zero], { padding_config: pads.map(([lo, hi], i) => [lo, hi, p.window_strides[i]! - 1]) });
  const ones = shape.map(() => 1);
  return reduceWindowSumP.bind1([padded], {
    base_dilation: ones,
    padding: shape.map(() => [0, 0]),
    window_dilation: p.window_dilation,
    window_dimensions: p.window_dimensions,
    window_strides: p.base_dilation,
  });
}

const spatial = (spec: readonly number[]): number[] => spec.slice(2);
const takeDims = (shape: readonly number[], dims: readonly number[]): number[] => dims.map((d) => shape[d]!);
/** Swaps the first two entries (batch and feature, or out and in features) of a conv spec. */
const swapSpec = (spec: readonly number[]): number[] => [spec[1]!, spec[0]!, ...spec.slice(2)];

/** Splits dimension `src` into (size, rest) (JAX's _reshape_axis_out_of). */
function reshapeAxisOutOf(src: number, size: number, x: Array): Array {
  const shape = [...x.shape];
  shape.splice(src, 1, size, shape[src]! / size);
  return reshape.bind1([x], { new_sizes: shape });
}

/** Merges dimension `src` into dimension `dst` (numbered without `src`) as its major part (JAX's _reshape_axis_into). */
function reshapeAxisInto(src: number, dst: number, x: Array): Array {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const shape = x.shape.filter((_, i) => i !== src);
  shape[dst] = shape[dst]! * x.shape[src]!;
  // src === dst: the axes are already in place, a reshape alone merges them
  const moved = src === dst ? x : transpose.bind1([x], { permutation: perm });
  return reshape.bind1([moved], { new_sizes: shape });
}

const convertTo = (x: Array, dtype: DType, weakType = false): Array =>
  x.dtype === dtype ? x : convertElementType.bind1([x], { new_dtype: dtype, weak_type: weakType });

/** The lhs cotangent: the output cotangent convolved with the spatially reversed, in/out-swapped kernel. */
function convTransposeLhs(g: Array, lhs: ShapedArray, rhs: Array, params: Params): Array {
  const dn = params.dimension_numbers as ConvDimensionNumbers;
  const { lhs_spec: lhsSpec, rhs_spec: rhsSpec, out_spec: outSpec } = dn;
  const batchGroups = params.batch_group_count as number;
  let featureGroups = params.feature_group_count as number;
  let kernel = rhs;
  if (featureGroups > 1 || batchGroups > 1) {
    // the group axis moves from the kernel's output features into its input features
    kernel = reshapeAxisInto(rhsSpec[0]!, rhsSpec[1]!, reshapeAxisOutOf(rhsSpec[0]!, Math.max(featureGroups, batchGroups), kernel));
    featureGroups = Math.max(featureGroups, batchGroups);
  }
  const padding = vjpLhsPadding(
    takeDims(lhs.shape, spatial(lhsSpec)), takeDims(rhs.shape, spatial(rhsSpec)), params.window_strides as number[],
    takeDims(g.shape, spatial(outSpec)), params.padding as Padding, params.lhs_dilation as number[], params.rhs_dilation as number[],
  );
  const reversed = convertTo(rev.bind1([kernel], { dimensions: spatial(rhsSpec) }), g.dtype);
  let out = convGeneralDilatedP.bind1([g, reversed], {
    ...params,
    batch_group_count: 1,
    dimension_numbers: new ConvDimensionNumbers(outSpec, swapSpec(rhsSpec), lhsSpec),
    feature_group_count: featureGroups,
    lhs_dilation: params.window_strides,
    padding,
    window_strides: params.lhs_dilation,
  });
  out = convertTo(out, lhs.dtype, lhs.weakType);
  if (batchGroups > 1) out = reshapeAxisInto(lhsSpec[1]!, lhsSpec[0]!, reshapeAxisOutOf(lhsSpec[1]!, batchGroups, out));
  return out;
}

/** The rhs cotangent: the lhs convolved with the output cotangent, batch and features swapped. */
function convTransposeRhs(g: Array, lhs: Array, rhs: ShapedArray, params: Params): Array | null {
  if (g.size === 0) return null; // avoids a degenerate convolution with an empty kernel
  const dn = params.dimension_numbers as ConvDimensionNumbers;
  const { lhs_spec: lhsSpec, rhs_spec: rhsSpec, out_spec: outSpec } = dn;
  const groups = Math.max(params.feature_group_count as number, params.batch_group_count as number);
  // feature groups become batch groups and vice versa
  const featureGroups = (params.batch_group_count as number) > 1 ? groups : 1;
  const batchGroups = (params.feature_group_count as number) > 1 ? groups : 1;
  const padding = vjpRhsPadding(
    takeDims(lhs.shape, spatial(lhsSpec)), takeDims(rhs.shape, spatial(rhsSpec)), params.window_strides as number[],
    takeDims(g.shape, spatial(outSpec)), params.padding as Padding, params.lhs_dilation as number[], params.rhs_dilation as number[],
  );
  const out = convGeneralDilatedP.bind1([convertTo(lhs, g.dtype), g], {
    ...params,
    batch_group_count: batchGroups,
    dimension_numbers: new ConvDimensionNumbers(swapSpec(lhsSpec), swapSpec(outSpec), swapSpec(rhsSpec)),
    feature_group_count: featureGroups,
    padding,
    rhs_dilation: params.window_strides,
    window_strides: params.rhs_dilation,
  });
  return convertTo(out, rhs.dtype, rhs.weakType);
}

// ---- batching rules (JAX's, in windowed_reductions.py and convolution.py) ----

/** Window params with a size-1, stride-1, unpadded, undilated window dimension at `d` (the batch axis). */
function withBatchWindow(params: Params, d: number): Params {
  const one: Record<string, unknown> = {
    window_dimensions: 1, window_strides: 1, padding: [0, 0], base_dilation: 1, window_dilation: 1,
  };
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, k in one ? insertAt(v as unknown[], d, one[k]) : v]));
}

/**
 * select_and_gather_add and select_and_scatter_add: both operands aligned on the first batched
 * one's axis (JAX moves both to the front), which gets a window of one.
 */
function alignedWindowBatch(prim: Primitive, args: Array[], dims: BatchDim[], params: Params): BatchResult {
  const size = axisSizeOf(args, dims);
  const d = dims.find((b) => b !== null)!;
  return [[prim.bind1(args.map((x, i) => matchAxis(x, dims[i] ?? null, d, size)), withBatchWindow(params, d))], [d]];
}

/**
 * conv_general_dilated (JAX's _conv_general_dilated_batch_rule): the batch axis is folded into a
 * conv dimension and split out of the result. A batched lhs alone folds into the lhs batch
 * dimension; a batched rhs alone into the output features; both into the features, with
 * feature_group_count (or batch_group_count) multiplied so each example convolves its own kernel.
 * With the batch axis next to the dimension it folds into, the fold is a reshape alone.
 */
function convBatch([lhs, rhs]: Array[], [lb, rb]: BatchDim[], params: Params): BatchResult {
  const { lhs_spec: lhsSpec, rhs_spec: rhsSpec, out_spec: outSpec } = params.dimension_numbers as ConvDimensionNumbers;
  const size = axisSizeOf([lhs!, rhs!], [lb ?? null, rb ?? null]);
  const fgc = params.feature_group_count as number;
  const bgc = params.batch_group_count as number;
  const conv = (l: Array, r: Array, groups: Params = {}) => convGeneralDilatedP.bind1([l, r], { ...params, ...groups });
  if (size === 0) {
    // folding an empty axis loses the other sizes: the (empty) result from the per-example shape
    const [out] = convGeneralDilatedP.rules.abstractEval([mappedAval(lhs!.aval, lb ?? null), mappedAval(rhs!.aval, rb ?? null)], params);
    return [[zerosLike(new ShapedArray([0, ...out!.shape], out!.dtype, out!.weakType))], [0]];
  }
  if (lb !== null && lb !== undefined && rb !== null && rb !== undefined) {
    const grouped = bgc > 1
      ? { l: reshapeAxisInto(lb, lhsSpec[0]!, lhs!), groups: { batch_group_count: bgc * size } }
      : { l: reshapeAxisInto(lb, lhsSpec[1]!, lhs!), groups: { feature_group_count: fgc * size } };
    const out = conv(grouped.l, reshapeAxisInto(rb, rhsSpec[0]!, rhs!), grouped.groups);
    return [[reshapeAxisOutOf(outSpec[1]!, size, out)], [outSpec[1]!]];
  }
  if (lb !== null && lb !== undefined) {
    let l: Array;
    if (bgc === 1) l = reshapeAxisInto(lb, lhsSpec[0]!, lhs!);
    else {
      // batch groups stay outermost in the lhs batch dimension: (groups, examples, rest)
      const n = lhsSpec[0]!;
      l = reshapeAxisOutOf(n + (lb <= n ? 1 : 0), bgc, lhs!);
      l = reshapeAxisInto(lb + (n < lb ? 1 : 0), n + 1, l);
      l = reshapeAxisInto(n, n, l);
    }
    return [[reshapeAxisOutOf(outSpec[0]!, size, conv(l, rhs!))], [outSpec[0]!]];
  }
  const rbd = rb!;
  if (fgc === 1 && bgc === 1) {
    return [[reshapeAxisOutOf(outSpec[1]!, size, conv(lhs!, reshapeAxisInto(rbd, rhsSpec[0]!, rhs!)))], [outSpec[1]!]];
  }
  // groups stay outermost in the kernel's output features: (groups, examples, rest), and likewise in the result
  const groups = fgc > 1 ? fgc : bgc;
  const o = rhsSpec[0]!;
  let r = reshapeAxisOutOf(o + (rbd <= o ? 1 : 0), groups, rhs!);
  r = reshapeAxisInto(rbd + (o < rbd ? 1 : 0), o + 1, r);
  r = reshapeAxisInto(o, o, r);
  const f = outSpec[1]!;
  let out = reshapeAxisOutOf(f, groups, conv(lhs!, r));
  out = reshapeAxisOutOf(f + 1, size, out);
  return [[reshapeAxisInto(f, f + 1, out)], [f]];
}
