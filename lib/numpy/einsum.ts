// einsum: parses the subscripts, then contracts operands pairwise, left to right, with
// dot_general; labels only one side needs are summed first and repeated labels (diagonals)
// are masked with an iota-built identity and reduced, as jax/_src/numpy/einsum.py does.
import { Array, type ArrayLike } from '../core/array.js';
import { shapeStr } from '../core/aval.js';
import { canonicalizeDType, checkDType, isBool, resultType, type DType } from '../core/dtypes.js';
import * as lax from '../lax/index.js';
import { asarray, broadcastTo, convertTo } from './convert.js';

/** An operand with one label per axis (ellipsis axes get private labels). */
interface Term {
  x: Array;
  labels: string[];
}

const LETTER = /^[A-Za-z]$/;

/** Parses one comma-separated term into labels, expanding '...' to `ellipsis` (right-aligned). */
function termLabels(term: string, ndim: number, ellipsis: string[], fail: (why: string) => never, what: string): string[] {
  const parts = term.split('...');
  if (parts.length > 2) fail(`${what} has more than one ellipsis`);
  for (const ch of parts.join('')) if (!LETTER.test(ch)) fail(`${what} has the invalid character '${ch}'`);
  const named = parts.join('').length;
  if (parts.length === 1) {
    if (named !== ndim) fail(`${what} names ${named} axes but the operand has ${ndim}`);
    return [...term];
  }
  const extra = ndim - named;
  if (extra < 0) fail(`${what} names ${named} axes but the operand has ${ndim}`);
  return [...parts[0]!, ...ellipsis.slice(ellipsis.length - extra), ...parts[1]!];
}

function parse(subscripts: string, operands: Array[]): { terms: Term[]; output: string[] } {
  const spec = subscripts.replace(/\s+/g, '');
  const describe = `'${subscripts}' with operand shapes ${operands.map((x) => shapeStr(x.shape)).join(', ')}`;
  const fail = (why: string): never => {
    throw new TypeError(`einsum: ${why}, in subscripts ${describe}`);
  };
  const sides = spec.split('->');
  if (sides.length > 2) fail("more than one '->'");
  const inputs = sides[0]!.split(',');
  if (inputs.length !== operands.length) fail(`the subscripts name ${inputs.length} operand(s) but ${operands.length} were given`);
  // the widest ellipsis fixes how many broadcast axes there are; their labels are not letters
  const width = Math.max(0, ...inputs.map((t, i) => (t.includes('...') ? operands[i]!.ndim - t.replace('...', '').length : 0)));
  const ellipsis = [...globalThis.Array(width).keys()].map((i) => String.fromCharCode(0x100 + i));
  const terms = inputs.map((t, i) => ({ x: operands[i]!, labels: termLabels(t, operands[i]!.ndim, ellipsis, fail, `term ${i} '${t}'`) }));
  const counts = new Map<string, number>();
  for (const t of terms) for (const l of t.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let output: string[];
  if (sides.length === 2) {
    const out = sides[1]!;
    const parts = out.split('...');
    if (parts.length > 2) fail("the output has more than one ellipsis");
    for (const ch of parts.join('')) if (!LETTER.test(ch)) fail(`the output has the invalid character '${ch}'`);
    output = parts.length === 2 ? [...parts[0]!, ...ellipsis, ...parts[1]!] : [...out];
    for (const l of output) if (!counts.has(l)) fail(`output label '${l}' does not appear in the inputs`);
    if (new Set(output).size !== output.length) fail('an output label appears more than once');
  } else {
    // implicit output: broadcast axes, then the labels used once, in alphabetical order
    const once = [...counts].filter(([l, n]) => n === 1 && LETTER.test(l)).map(([l]) => l).sort();
    output = [...ellipsis, ...once];
  }
  checkSizes(terms, fail);
  return { terms, output };
}

/** Every label has one size (1 broadcasts against others), and repeats within a term agree. */
function checkSizes(terms: Term[], fail: (why: string) => never): void {
  const size = new Map<string, number>();
  terms.forEach((t, i) => {
    const own = new Map<string, number>();
    t.labels.forEach((l, ax) => {
      const d = t.x.shape[ax]!;
      if (own.has(l) && own.get(l) !== d) fail(`label '${l}' is repeated in term ${i} with different sizes ${own.get(l)} and ${d}`);
      own.set(l, d);
      const seen = size.get(l);
      if (seen === undefined || seen === 1) size.set(l, d);
      else if (d !== 1 && d !== seen) fail(`size of label '${label(l)}' for operand ${i} (${d}) does not match previous terms (${seen})`);
    });
  });
}

const label = (l: string): string => (LETTER.test(l) ? l : '...');
const positions = (labels: string[], l: string): number[] => labels.flatMap((m, i) => (m === l ? [i] : []));

/** Sums x over axes (logical OR for bools). */
function sumAxes(t: Term, axes: number[]): Term {
  if (axes.length === 0) return t;
  const x = (isBool(t.x.dtype) ? lax.reduceOr : lax.reduceSum).bind1([t.x], { axes });
  return { x, labels: t.labels.filter((_, i) => !axes.includes(i)) };
}

/** Sums out the labels not in `keep` that occur once in t and nowhere in `others`. */
function sumUniques(t: Term, keep: Set<string>, others: string[]): Term {
  const axes = t.labels.flatMap((l, i) => (!keep.has(l) && !others.includes(l) && positions(t.labels, l).length === 1 ? [i] : []));
  return sumAxes(t, axes);
}

/** Repeated labels: keep the diagonal (iota == iota mask), then sum it out or keep one axis. */
function sumRepeats(t: Term, keep: Set<string>): Term {
  for (const l of new Set(t.labels)) {
    const axes = positions(t.labels, l);
    if (axes.length < 2) continue;
    const base = axes.map((a) => t.x.shape[a]!);
    const iotas = axes.map((_, i) => lax.iota.bind1([], { dtype: 'uint32', shape: base, dimension: i }));
    let mask = lax.eq.bind1([iotas[0]!, iotas[1]!]);
    for (let i = 2; i < iotas.length; i++) mask = lax.and.bind1([mask, lax.eq.bind1([iotas[i - 1]!, iotas[i]!])]);
    mask = lax.broadcastInDim.bind1([mask], { shape: t.x.shape, broadcast_dimensions: axes });
    const zeros = broadcastTo(convertTo(asarray(0), t.x.dtype, false), t.x.shape);
    const masked = { x: lax.selectN.bind1([mask, zeros, t.x]), labels: t.labels };
    t = sumAxes(masked, keep.has(l) ? axes.slice(0, -1) : axes);
  }
  return t;
}

/** Drops size-1 axes whose label the other operand has with a larger size (broadcasting). */
function squeezeBroadcast(t: Term, other: Term): Term {
  const dims = t.labels.flatMap((l, i) => {
    const j = other.labels.indexOf(l);
    return t.x.shape[i] === 1 && j >= 0 && other.x.shape[j] !== 1 ? [i] : [];
  });
  if (dims.length === 0) return t;
  return { x: lax.squeeze.bind1([t.x], { dimensions: dims }), labels: t.labels.filter((_, i) => !dims.includes(i)) };
}

/** One operand: sum unneeded labels and diagonals. */
function reduceTerm(t: Term, keep: Set<string>): Term {
  return sumRepeats(sumUniques(t, keep, []), keep);
}

/** Contracts two operands, keeping the labels in `keep`; `target` is the final order if this is the last step. */
function contractPair(lhs: Term, rhs: Term, keep: Set<string>, target?: string[]): Term {
  lhs = squeezeBroadcast(lhs, rhs);
  rhs = squeezeBroadcast(rhs, lhs);
  lhs = sumUniques(lhs, keep, rhs.labels);
  rhs = sumUniques(rhs, keep, lhs.labels);
  lhs = sumRepeats(lhs, new Set([...keep, ...rhs.labels]));
  rhs = sumRepeats(rhs, new Set([...keep, ...lhs.labels]));
  const shared = lhs.labels.filter((l) => rhs.labels.includes(l));
  const batch = (target ?? [...keep]).filter((l) => shared.includes(l));
  const contracted = shared.filter((l) => !keep.has(l));
  const lb = batch.map((l) => lhs.labels.indexOf(l));
  const rb = batch.map((l) => rhs.labels.indexOf(l));
  const lc = contracted.map((l) => lhs.labels.indexOf(l));
  const rc = contracted.map((l) => rhs.labels.indexOf(l));
  const rest = (t: Term) => t.labels.filter((l) => !shared.includes(l));
  // as JAX: (rhs, lhs) when that order already is the result's, saving a transpose
  const swapped = [...batch, ...rest(rhs), ...rest(lhs)];
  if (target && swapped.join('\u0000') === target.join('\u0000')) {
    return { x: lax.dotGeneral.bind1([rhs.x, lhs.x], { dimension_numbers: [[rc, lc], [rb, lb]], preferred_element_type: null }), labels: swapped };
  }
  const x = lax.dotGeneral.bind1([lhs.x, rhs.x], { dimension_numbers: [[lc, rc], [lb, rb]], preferred_element_type: null });
  return { x, labels: [...batch, ...rest(lhs), ...rest(rhs)] };
}

export interface EinsumOptions {
  /** The result (and accumulation) dtype; default: the operands' promoted dtype. */
  preferredElementType?: DType;
}

/** A sublist of the interleaved form: axis numbers (0-51) and '...'. */
export type Sublist = readonly (number | '...')[];

const isOptions = (v: unknown): v is EinsumOptions =>
  typeof v === 'object' && v !== null && !(v instanceof Array) && !globalThis.Array.isArray(v);

const SYMBOLS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** einsum(x, [0, 1], y, [1, 2], [0, 2]) as subscripts ('ab,bc->ac') and operands. */
function fromSublists(args: unknown[]): [string, ArrayLike[]] {
  const term = (sub: unknown): string => {
    if (!globalThis.Array.isArray(sub)) throw new TypeError(`einsum: expected a sublist of axis numbers, got ${String(sub)}`);
    return sub.map((s: unknown) => {
      if (s === '...') return '...';
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= SYMBOLS.length) throw new TypeError(`einsum: sublist entries must be integers in [0, 52) or '...', got ${String(s)}`);
      return SYMBOLS[s];
    }).join('');
  };
  const operands: ArrayLike[] = [];
  const terms: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    operands.push(args[i] as ArrayLike);
    terms.push(term(args[i + 1]));
  }
  const out = args.length % 2 === 1 ? `->${term(args.at(-1))}` : '';
  return [terms.join(',') + out, operands];
}

/**
 * einsum('ij,jk->ik', a, b): Einstein summation with explicit or implicit output, repeated
 * labels (diagonals, traces), '...' broadcasting, and any number of operands (contracted
 * left to right). Also the interleaved form einsum(a, [0, 1], b, [1, 2], [0, 2]).
 */
export function einsum(subscripts: string, ...operands: (ArrayLike | EinsumOptions)[]): Array;
export function einsum(operand: ArrayLike, sublist: Sublist, ...rest: (ArrayLike | Sublist | EinsumOptions)[]): Array;
export function einsum(first: string | ArrayLike, ...rest: unknown[]): Array {
  const options = (isOptions(rest.at(-1)) ? rest.pop() : {}) as EinsumOptions;
  const [subscripts, args] = typeof first === 'string' ? [first, rest as ArrayLike[]] : fromSublists([first, ...rest]);
  let operands = args.map((x) => asarray(x));
  const { dtype, weak } = options.preferredElementType
    ? { dtype: canonicalizeDType(checkDType(options.preferredElementType, 'einsum')), weak: false }
    : resultType(...operands.map((x) => ({ dtype: x.dtype, weakType: x.weakType })));
  operands = operands.map((x) => convertTo(x, dtype, weak));
  const { terms, output } = parse(subscripts, operands);
  const outSet = new Set(output);
  let acc: Term;
  if (terms.length === 1) {
    acc = reduceTerm(terms[0]!, outSet);
  } else {
    acc = terms[0]!;
    for (let i = 1; i < terms.length; i++) {
      const later = terms.slice(i + 1).flatMap((t) => t.labels);
      const keep = new Set([...output, ...later]);
      acc = contractPair(acc, terms[i]!, keep, i === terms.length - 1 ? output : undefined);
    }
  }
  const perm = output.map((l) => acc.labels.indexOf(l));
  const x = perm.every((p, i) => p === i) ? acc.x : lax.transpose.bind1([acc.x], { permutation: perm });
  return convertTo(x, dtype, weak);
}
