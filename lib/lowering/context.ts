// Emits StableHLO text in MLIR's generic op form (`%0 = "stablehlo.add"(%a, %b) : (...) -> ...`),
// the form least exposed to the custom-assembly drift between StableHLO versions.
import type { ShapedArray } from '../core/aval.js';
import { mlirTypeOf } from '../runtime/element_types.js';

/** An SSA value of the function being emitted. */
export interface Value {
  ref: string;
  aval: ShapedArray;
}

export const tensorType = (aval: ShapedArray): string =>
  `tensor<${aval.shape.map((d) => `${d}x`).join('')}${mlirTypeOf(aval.dtype)}>`;

/** `array<i64: 0, 1>` */
export const i64Array = (values: readonly number[]): string => (values.length ? `array<i64: ${values.join(', ')}>` : 'array<i64>');

/** A scalar written as an MLIR dense literal element of `aval`'s element type. */
export function scalarLiteral(value: number | boolean | bigint, aval: ShapedArray): string {
  const t = aval.dtype;
  if (t === 'bool') return value ? 'true' : 'false';
  if (t.startsWith('complex')) {
    const part = t === 'complex64' ? 'float32' : 'float64';
    return `(${formatFloat(Number(value), part)}, 0.0)`;
  }
  if (t.startsWith('float') || t === 'bfloat16') return formatFloat(Number(value), t);
  return typeof value === 'bigint' ? value.toString() : String(Math.trunc(Number(value)));
}

// MLIR writes non-finite floats as hex bit patterns of the element type: [nan, +inf, -inf].
const NON_FINITE: Record<string, [string, string, string]> = {
  float16: ['0x7E00', '0x7C00', '0xFC00'],
  bfloat16: ['0x7FC0', '0x7F80', '0xFF80'],
  float32: ['0x7FC00000', '0x7F800000', '0xFF800000'],
  float64: ['0x7FF8000000000000', '0x7FF0000000000000', '0xFFF0000000000000'],
};

function formatFloat(x: number, dtype: string): string {
  const special = NON_FINITE[dtype];
  if (special && !Number.isFinite(x)) return Number.isNaN(x) ? special[0] : x > 0 ? special[1] : special[2];
  if (Object.is(x, -0)) return '-0.0';
  return x.toExponential().replace(/e\+?/, 'E').replace(/^(-?\d+)E/, '$1.0E');
}

export class LoweringContext {
  private readonly lines: string[] = [];
  private counter: { next: number };
  readonly indent: string;
  /** Adds a private function to the module and returns its symbol name. */
  readonly addFunction: (name: string, text: (symbol: string) => string) => string;

  constructor(addFunction: LoweringContext['addFunction'], counter = { next: 0 }, indent = '    ') {
    this.addFunction = addFunction;
    this.counter = counter;
    this.indent = indent;
  }

  /** Emits one op; returns its results. `attrs` are written verbatim (`name = value`). */
  op(name: string, operands: Value[], outAvals: ShapedArray[], attrs: Record<string, string> = {}, regions: string[] = []): Value[] {
    const id = `%${this.counter.next++}`;
    const attrText = Object.keys(attrs).length ? ` {${Object.entries(attrs).map(([k, v]) => `${k} = ${v}`).join(', ')}}` : '';
    const regionText = regions.length ? ` (${regions.join(', ')})` : '';
    const results = outAvals.length > 1 ? `${id}:${outAvals.length} = ` : outAvals.length === 1 ? `${id} = ` : '';
    const resultTypes = outAvals.length === 1 ? tensorType(outAvals[0]!) : `(${outAvals.map(tensorType).join(', ')})`;
    this.lines.push(
      `${this.indent}${results}"${name}"(${operands.map((v) => v.ref).join(', ')})${regionText}${attrText} : (${operands
        .map((v) => tensorType(v.aval))
        .join(', ')}) -> ${resultTypes}`,
    );
    return outAvals.map((aval, i) => ({ ref: outAvals.length > 1 ? `${id}#${i}` : id, aval }));
  }

  op1(name: string, operands: Value[], outAval: ShapedArray, attrs: Record<string, string> = {}, regions: string[] = []): Value {
    return this.op(name, operands, [outAval], attrs, regions)[0]!;
  }

  /** A constant of `aval`'s shape filled with `value`. */
  constant(value: number | boolean | bigint, aval: ShapedArray): Value {
    return this.op1('stablehlo.constant', [], aval, { value: `dense<${scalarLiteral(value, aval)}> : ${tensorType(aval)}` });
  }

  /** A region `{ ^bb0(args): body; stablehlo.return }` for reduce, sort, while and friends. */
  region(argAvals: ShapedArray[], body: (ctx: LoweringContext, args: Value[]) => Value[]): string {
    const inner = new LoweringContext(this.addFunction, this.counter, `${this.indent}    `);
    const args = argAvals.map((aval) => ({ ref: `%${this.counter.next++}`, aval }));
    const results = body(inner, args);
    inner.lines.push(
      `${inner.indent}"stablehlo.return"(${results.map((r) => r.ref).join(', ')}) : (${results.map((r) => tensorType(r.aval)).join(', ')}) -> ()`,
    );
    const header = `${this.indent}  ^bb0(${args.map((a) => `${a.ref}: ${tensorType(a.aval)}`).join(', ')}):`;
    return `{\n${header}\n${inner.lines.join('\n')}\n${this.indent}}`;
  }

  /** `func.call` of a private function. */
  call(symbol: string, operands: Value[], outAvals: ShapedArray[]): Value[] {
    const id = `%${this.counter.next++}`;
    const results = outAvals.length > 1 ? `${id}:${outAvals.length} = ` : outAvals.length === 1 ? `${id} = ` : '';
    this.lines.push(
      `${this.indent}${results}func.call @${symbol}(${operands.map((v) => v.ref).join(', ')}) : (${operands
        .map((v) => tensorType(v.aval))
        .join(', ')}) -> (${outAvals.map(tensorType).join(', ')})`,
    );
    return outAvals.map((aval, i) => ({ ref: outAvals.length > 1 ? `${id}#${i}` : id, aval }));
  }

  /** The emitted body lines. */
  text(): string {
    return this.lines.join('\n');
  }
}
