// A primitive is one definition with all its rules (DESIGN.md): abstract evaluation and
// lowering now; jvp, transpose and batching slots for the transformations built on them.
import type { LoweringContext, Value } from '../lowering/context.js';
import type { Array } from './array.js';
import type { ShapedArray } from './aval.js';
import { bind } from './trace.js';

/** Parameters of one application: plain JSON-like data (they key the compile caches). */
export type Params = Readonly<Record<string, unknown>>;

export interface PrimitiveRules {
  /** Output avals from input avals; throws a clear error naming the op, shapes and dtypes. */
  abstractEval(avals: ShapedArray[], params: Params): ShapedArray[];
  /** Eager evaluation, for primitives that are not a single compiled op (e.g. jit's call). */
  impl?(args: Array[], params: Params): Array[];
  /** StableHLO for one application. */
  lower(ctx: LoweringContext, args: Value[], params: Params, outAvals: ShapedArray[]): Value[];
  /** Forward mode: tangents out from primals and tangents in (null: a symbolic zero). */
  jvp?(primals: Array[], tangents: (Array | null)[], params: Params): [Array[], (Array | null)[]];
  /** Reverse mode for linear primitives: cotangents of the linear inputs. */
  transpose?(cotangents: (Array | null)[], args: (Array | UndefinedPrimal)[], params: Params): (Array | null)[];
  /** vmap: outputs and their batch dimensions (null: unbatched). */
  batch?(args: Array[], dims: (number | null)[], params: Params): [Array[], (number | null)[]];
}

/** The placeholder for a linear input in a transpose rule. */
export class UndefinedPrimal {
  constructor(readonly aval: ShapedArray) {}
}

export class Primitive {
  readonly name: string;
  readonly rules: PrimitiveRules;
  readonly multipleResults: boolean;

  constructor(name: string, rules: PrimitiveRules, options: { multipleResults?: boolean } = {}) {
    this.name = name;
    this.rules = rules;
    this.multipleResults = options.multipleResults ?? false;
  }

  /** Applies the primitive through the current trace stack. */
  bind(args: Array[], params: Params = {}): Array[] {
    return bind(this, args, params);
  }

  /** `bind` for single-result primitives. */
  bind1(args: Array[], params: Params = {}): Array {
    return bind(this, args, params)[0]!;
  }

  toString(): string {
    return this.name;
  }
}

/** A stable text for params, for cache keys and jaxpr printing. */
export function paramsKey(params: Params): string {
  // JSON writes NaN and ±Infinity as null and -0 as 0: spell them out so they key apart.
  return JSON.stringify(params, (_k, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? `#${Object.is(v, -0) ? '-0' : v}` : v,
  );
}
