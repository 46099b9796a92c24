// Reads the parameter and result types of `@main` from StableHLO text, so that arguments
// are checked (count, dtype, shape) before they reach PJRT, which would otherwise accept a
// buffer of the wrong element type silently.
import { elementTypeOfMlir, type ElementType } from './element_types.js';

export interface TensorType {
  dtype: ElementType;
  shape: number[];
}

export interface ProgramSignature {
  params: TensorType[];
  results: TensorType[];
}

/** Parses `tensor<2x3xf32>` (static shapes only); undefined for anything else. */
export function parseTensorType(text: string): TensorType | undefined {
  const m = /^tensor<(.*)>$/.exec(text.trim());
  if (!m) return undefined;
  const body = m[1]!;
  // Dimensions are the leading `NNNx` groups; the element type follows (it may contain `<...>`).
  const dims = /^((?:\d+x)*)(.+)$/.exec(body);
  if (!dims) return undefined;
  const dtype = elementTypeOfMlir(dims[2]!.replace(/,.*$/, '').trim()); // drop any encoding after a comma
  if (!dtype) return undefined;
  const shape = dims[1] ? dims[1].slice(0, -1).split('x').map(Number) : [];
  return { dtype, shape };
}

/** Splits `text` at top-level commas (outside <>, (), [], {} and strings). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ('<([{'.includes(c)) depth++;
    else if ('>)]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const last = text.slice(start);
  if (last.trim()) parts.push(last);
  return parts;
}

/** Index just past the bracket matching the one at `open`. */
function matching(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ('<([{'.includes(c)) depth++;
    else if ('>)]}'.includes(c)) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** A type with its trailing attribute dictionary removed: `tensor<f32> {jax.result_info = ""}`. */
function typeOf(entry: string): TensorType | undefined {
  const withoutName = entry.replace(/^\s*%[\w.$-]+\s*:/, '');
  const brace = withoutName.indexOf('{');
  return parseTensorType(brace >= 0 ? withoutName.slice(0, brace) : withoutName);
}

/** The signature of `func.func public @main`, or undefined when it cannot be read. */
export function parseMainSignature(mlir: string): ProgramSignature | undefined {
  const head = /func\.func\s+(?:public\s+)?@main\s*\(/.exec(mlir);
  if (!head) return undefined;
  const open = head.index + head[0].length - 1;
  const close = matching(mlir, open);
  if (close < 0) return undefined;
  const params = splitTopLevel(mlir.slice(open + 1, close - 1)).map(typeOf);
  let rest = mlir.slice(close).trimStart();
  let results: (TensorType | undefined)[] = [];
  if (rest.startsWith('->')) {
    rest = rest.slice(2).trimStart();
    if (rest.startsWith('(')) {
      const end = matching(rest, 0);
      results = splitTopLevel(rest.slice(1, end - 1)).map(typeOf);
    } else {
      const end = rest.search(/\s(attributes\s|\{)/);
      results = [typeOf(end >= 0 ? rest.slice(0, end) : rest)];
    }
  }
  if (params.some((p) => !p) || results.some((r) => !r)) return undefined;
  return { params: params as TensorType[], results: results as TensorType[] };
}
