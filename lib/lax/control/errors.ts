// JAX's errors for control flow whose branches or carries disagree: structural differences
// between pytrees and type differences per leaf, named by key path.
import { sameShape, type ShapedArray } from '../../core/aval.js';
import { flattenWithPath, keystr, type KeyPath, type PathEntry, type TreeDef } from '../../core/pytree.js';
import { avalStr, typematch } from './common.js';

type Diff = [path: KeyPath, thing1: string, thing2: string, explanation: string];

function thing(def: TreeDef): string {
  const node = def.node;
  switch (node.kind) {
    case 'leaf':
      return 'pytree leaf';
    case 'none':
      return 'null';
    case 'list':
      return 'list';
    case 'object':
      return 'object';
    case 'custom':
      return node.type.name;
    default:
      return node.kind;
  }
}

function childEntry(def: TreeDef, i: number): PathEntry {
  const node = def.node;
  if (node.kind === 'object') return { kind: 'key', key: node.keys[i]! };
  if (node.kind === 'custom') {
    const name = node.type.childNames?.[i];
    return name === undefined ? { kind: 'flat', index: i } : { kind: 'attr', name };
  }
  return { kind: 'index', index: i };
}

const children = (n: number) => `${n} child${n === 1 ? '' : 'ren'}`;

/** Where two structures differ, as JAX's equality_errors_pytreedef. */
export function structureDiffs(a: TreeDef, b: TreeDef, path: PathEntry[] = []): Diff[] {
  const [na, nb] = [a.node, b.node];
  if (na.kind === 'leaf' && nb.kind === 'leaf') return [];
  if (na.kind !== nb.kind || (na.kind === 'custom' && nb.kind === 'custom' && na.type !== nb.type)) {
    return [[[...path], thing(a), thing(b), 'their types differ']];
  }
  const [ca, cb] = [a.children(), b.children()];
  if (na.kind === 'list' && ca.length !== cb.length) {
    return [[[...path], `list of length ${ca.length}`, `list of length ${cb.length}`, 'the lengths do not match']];
  }
  if (na.kind === 'object' && nb.kind === 'object') {
    const diff = [...na.keys.filter((k) => !nb.keys.includes(k)), ...nb.keys.filter((k) => !na.keys.includes(k))].map((k) => `'${k}'`).join(' ');
    if (ca.length !== cb.length) {
      return [[[...path], `object with ${children(ca.length)}`, `object with ${children(cb.length)}`, `the numbers of children do not match${diff ? `, with the symmetric difference of key sets: {${diff}}` : ''}`]];
    }
    if (diff) return [[[...path], `object with keys ${na.keys.join(', ')}`, `object with keys ${nb.keys.join(', ')}`, 'the pytree node metadata does not match']];
  }
  if (na.kind === 'custom' && nb.kind === 'custom') {
    if (ca.length !== cb.length) return [[[...path], `${thing(a)} with ${children(ca.length)}`, `${thing(b)} with ${children(cb.length)}`, 'the numbers of children do not match']];
    const [ma, mb] = [na.type.auxToString(na.aux), nb.type.auxToString(nb.aux)];
    if (ma !== mb) return [[[...path], `${thing(a)} with pytree metadata ${ma}`, `${thing(b)} with pytree metadata ${mb}`, 'the pytree node metadata does not match']];
  }
  return ca.flatMap((c, i) => structureDiffs(c, cb[i]!, [...path, childEntry(a, i)]));
}

/** The key path of each leaf of `tree`. */
export function leafPaths(tree: TreeDef): KeyPath[] {
  return flattenWithPath(tree.unflatten(globalThis.Array.from({ length: tree.numLeaves }, () => 0)))[0].map(([p]) => p);
}

const capitalize = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** One difference as a sentence, several as a bulleted list (JAX's layout). */
function listOf(diffs: string[], bulletEnd: string): string {
  if (diffs.length === 1) return `${capitalize(diffs[0]!)}.\n`;
  return `${diffs.slice(0, -1).map((d) => `  * ${d};${bulletEnd}`).join('\n')}\n  * ${diffs[diffs.length - 1]}.\n`;
}

function mismatchExtra(a: ShapedArray, b: ShapedArray): string {
  const what = [...(a.dtype !== b.dtype ? ['the dtypes do not match'] : []), ...(sameShape(a.shape, b.shape) ? [] : ['the shapes do not match'])];
  return what.length === 0 ? '' : what.length === 1 ? `, so ${what[0]}` : `, so ${what[0]}, and ${what[1]}`;
}

/** How a function is named in errors: JAX writes `<name> defined at <file>:<line>`. */
export const describeFn = (fn: unknown): string => {
  const name = typeof fn === 'function' ? fn.name : '';
  return name ? `function ${name}` : 'an anonymous function';
};

export interface Outputs {
  fn: unknown;
  name: string;
  tree: TreeDef;
  avals: ShapedArray[];
}

/** Branches of cond/switch must agree in structure and types (JAX's _check_branch_outputs). */
export function checkBranchOutputs(api: string, a: Outputs, b: Outputs): void {
  const paths = leafPaths(a.tree);
  const at = (p: KeyPath) => (p.length ? ` at path ${keystr(p)}` : '');
  const header = `${a.name} is ${describeFn(a.fn)}\n${b.name} is ${describeFn(b.fn)}\n\n`;
  if (!a.tree.equals(b.tree)) {
    const diffs = structureDiffs(a.tree, b.tree).map(([p, t1, t2, why]) => `${a.name} output${at(p)} is a ${t1} but ${b.name} output${at(p)} is a ${t2}, so ${why}`);
    const differences = diffs.length === 1 ? `${diffs[0]}.\n` : listOf(diffs, '\n');
    throw new TypeError(
      `${api} branch outputs must have the same pytree structure, but they differ:\n\n${header}${differences}\n` +
        `Revise ${a.name} and/or ${b.name} so that they have the same pytree structure.`,
    );
  }
  const diffs = a.avals.flatMap((x, i) => {
    const y = b.avals[i]!;
    return typematch(x, y) ? [] : [`the output of ${a.name}${at(paths[i]!)} has type ${avalStr(x)} but the corresponding output of ${b.name} has type ${avalStr(y)}${mismatchExtra(x, y)}`];
  });
  if (diffs.length) {
    throw new TypeError(`${api} branches must have equal output types but they differ.\n\n${header}${listOf(diffs, '')}\nRevise ${a.name} and/or ${b.name} so that all output types match.`);
  }
}

/** A loop body's carry output must match its input in structure and types (JAX's _check_carry_type). */
export function checkCarryType(name: string, inTree: TreeDef, inAvals: ShapedArray[], outTree: TreeDef, outAvals: ShapedArray[]): void {
  const component = (p: KeyPath) => (p.length ? `the input carry at path ${keystr(p)}` : 'the input carry');
  if (!inTree.equals(outTree)) {
    const diffs = structureDiffs(inTree, outTree).map(([p, t1, t2, why]) => `${component(p)} is a ${t1} but the corresponding component of the carry output is a ${t2}, so ${why}`);
    throw new TypeError(
      `${name} function carry input and carry output must have the same pytree structure, but they differ:\n\n${listOf(diffs, '\n')}\n` +
        'Revise the function so that the carry output has the same pytree structure as the carry input.',
    );
  }
  const paths = leafPaths(inTree);
  const diffs = inAvals.flatMap((a, i) => {
    const b = outAvals[i]!;
    return typematch(a, b) ? [] : [`${component(paths[i]!)} has type ${avalStr(a)} but the corresponding output carry component has type ${avalStr(b)}${mismatchExtra(a, b)}`];
  });
  if (diffs.length) {
    throw new TypeError(
      `${name} function carry input and carry output must have equal types, but they differ:\n\n${listOf(diffs, '\n')}\n` +
        'Revise the function so that all output types match the corresponding input types.',
    );
  }
}

const avalRepr = (a: ShapedArray) => `ShapedArray(${avalStr(a)}${a.weakType ? ', weak_type=True' : ''})`;

/** A pytree of strings as Python prints it: a lone string bare, strings in containers quoted. */
function pyRepr(tree: TreeDef, leaves: string[]): string {
  let next = 0;
  const walk = (def: TreeDef, top: boolean): string => {
    const node = def.node;
    const cs = def.children();
    switch (node.kind) {
      case 'leaf':
        return top ? leaves[next++]! : `'${leaves[next++]!}'`;
      case 'none':
        return 'None';
      case 'list':
        return `[${cs.map((c) => walk(c, false)).join(', ')}]`;
      case 'object':
        return `{${node.keys.map((k, i) => `'${k}': ${walk(cs[i]!, false)}`).join(', ')}}`;
      case 'custom':
        return `${node.type.name}(${cs.map((c) => walk(c, false)).join(', ')})`;
      default:
        return node.kind;
    }
  };
  return walk(tree, true);
}

/** while_loop's carry check, in the words the issue asks for (JAX's _check_tree_and_avals). */
export function checkWhileCarry(inTree: TreeDef, inAvals: ShapedArray[], outTree: TreeDef, outAvals: ShapedArray[]): void {
  const what = 'body_fun output and input';
  if (!outTree.equals(inTree)) throw new TypeError(`${what} must have same type structure, got ${outTree} and ${inTree}.`);
  if (outAvals.every((a, i) => typematch(a, inAvals[i]!))) return;
  const diff = outAvals.map((a, i) => (typematch(a, inAvals[i]!) ? avalRepr(a) : `DIFFERENT ${avalRepr(a)} vs. ${avalRepr(inAvals[i]!)}`));
  throw new TypeError(`${what} must have identical types, got\n${pyRepr(outTree, diff)}.`);
}
