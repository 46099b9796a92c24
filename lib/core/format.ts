// Array printing like JAX's repr: `Array([1., 2.], dtype=float32)`, summarised when large.
import type { HostArray } from '../runtime/element_types.js';
import type { ShapedArray } from './aval.js';

const THRESHOLD = 1000; // NumPy's print threshold
const EDGE = 3;

function formatNumber(x: number | bigint, dtype: string): string {
  if (typeof x === 'bigint') return x.toString();
  if (dtype === 'bool') return x ? 'True' : 'False';
  if (!dtype.startsWith('float') && dtype !== 'bfloat16') return String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.`;
  const digits = dtype === 'float64' ? 8 : dtype === 'float32' ? 8 : 4;
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  return String(Number(x.toPrecision(digits)));
}

export function formatArray(data: HostArray, aval: ShapedArray): string {
  const { shape, dtype } = aval;
  const complex = dtype.startsWith('complex');
  const element = (i: number): string =>
    complex
      ? `${formatNumber(data[2 * i] as number, 'float64')}${(data[2 * i + 1] as number) < 0 ? '-' : '+'}${formatNumber(Math.abs(data[2 * i + 1] as number), 'float64')}j`
      : formatNumber(data[i]!, dtype);
  const summarise = aval.size > THRESHOLD;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const cells: string[] = [];
  const collect = (dim: number, offset: number) => {
    if (dim === shape.length) return void cells.push(element(offset));
    const n = shape[dim]!;
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i === EDGE) i = n - EDGE;
      collect(dim + 1, offset + i * strides[dim]!);
    }
  };
  collect(0, 0);
  const width = Math.max(0, ...cells.map((c) => c.length));
  let next = 0;
  const render = (dim: number, indent: string): string => {
    if (dim === shape.length) return cells[next++]!.padStart(width);
    const n = shape[dim]!;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i === EDGE) {
        parts.push('...');
        i = n - EDGE;
      }
      parts.push(render(dim + 1, `${indent} `));
    }
    const sep = dim === shape.length - 1 ? ', ' : `,${'\n'.repeat(shape.length - dim - 1)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? cells[0]! : render(0, '      ');
  const weak = aval.weakType ? ', weak_type=True' : '';
  return `Array(${body}, dtype=${dtype}${weak})`;
}
