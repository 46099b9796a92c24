// Pytrees, as jax.tree_util: nested JS arrays, plain objects, null/undefined and registered classes,
// flattened into a list of leaves and a TreeDef that rebuilds them. Transformations flatten their
// arguments with it, match axis specs against them with broadcastPrefix, and key caches with TreeDef.key().

/** Says whether a subtree is a leaf; called on every subtree before it is taken apart. */
export type IsLeaf = (x: unknown) => boolean;

/** One step of a key path, as JAX's SequenceKey, DictKey, GetAttrKey and FlattenedIndexKey. */
export type PathEntry =
  | { readonly kind: 'index'; readonly index: number } // JS array element: [0]
  | { readonly kind: 'key'; readonly key: string } // plain object property: ['a']
  | { readonly kind: 'attr'; readonly name: string } // named child of a registered class: .x
  | { readonly kind: 'flat'; readonly index: number }; // unnamed child of a registered class: [<flat index 0>]
export type KeyPath = readonly PathEntry[];

/** A registered class: how to take it apart and rebuild it. */
export interface NodeType {
  readonly cls: abstract new (...args: never[]) => unknown;
  readonly name: string;
  /** Registration order; distinguishes classes of the same name in TreeDef.key(). */
  readonly id: number;
  readonly flatten: (x: unknown) => [children: unknown[], aux: unknown];
  readonly unflatten: (aux: unknown, children: unknown[]) => unknown;
  /** Renders aux data for printing, equality and cache keys. */
  readonly auxToString: (aux: unknown) => string;
  /** Names of the children, for key paths (`.x`); unnamed children get `[<flat index i>]`. */
  readonly childNames?: readonly string[];
}

/** What one node of a TreeDef is. `none` is null (JAX's None), `undefined` its JS sibling. */
export type TreeNode =
  | { readonly kind: 'leaf' | 'none' | 'undefined' | 'list' }
  | { readonly kind: 'object'; readonly keys: readonly string[] }
  | { readonly kind: 'custom'; readonly type: NodeType; readonly aux: unknown };

export interface RegisterOptions<A> {
  /**
   * Renders aux data. Aux data of equal structures must render equally: TreeDef equality and
   * key() rely on it. Default: JSON (bigints as `12n`), which drops functions and fails on cycles.
   */
  auxToString?: (aux: A) => string;
  /** Names of the children flatten returns, in order, for key paths. */
  childNames?: readonly string[];
}

// Keyed by prototype, so a class matches exactly: subclasses of a registered class are leaves.
const registry = new Map<object, NodeType>();

/**
 * Registers `cls` as a pytree node: `flatten(x)` gives its children and aux data (static metadata,
 * compared for structure equality), `unflatten(aux, children)` builds an instance back.
 */
export function registerPytreeNode<T extends object, A = unknown>(
  cls: abstract new (...args: never[]) => T,
  flatten: (x: T) => [children: unknown[], aux: A],
  unflatten: (aux: A, children: unknown[]) => T,
  options: RegisterOptions<A> = {},
): void {
  const name = cls.name || 'anonymous';
  if ((cls as unknown) === Array || (cls as unknown) === Object) {
    throw new Error(`registerPytreeNode: ${name} is already a pytree node type`);
  }
  if (registry.has(cls.prototype)) throw new Error(`registerPytreeNode: ${name} is already registered`);
  const toString = options.auxToString ?? jsonAux;
  registry.set(cls.prototype, {
    cls,
    name,
    id: registry.size,
    flatten: flatten as (x: unknown) => [unknown[], unknown],
    unflatten: unflatten as (aux: unknown, children: unknown[]) => unknown,
    auxToString: (aux) => {
      try {
        return toString(aux as A);
      } catch (error) {
        throw new Error(`pytree: cannot render the aux data of ${name} (${(error as Error).message}); register it with an auxToString option`);
      }
    },
    ...(options.childNames && { childNames: options.childNames }),
  });
}

/** A class that flattens itself, as JAX's register_pytree_node_class. */
export type PytreeNodeClass = (abstract new (...args: never[]) => { treeFlatten(): [unknown[], unknown] }) & {
  treeUnflatten(aux: unknown, children: unknown[]): unknown;
};

/** Registers a class with an instance `treeFlatten()` and a static `treeUnflatten(aux, children)`; returns it. */
export function registerPytreeNodeClass<C extends PytreeNodeClass>(cls: C): C {
  registerPytreeNode(
    cls,
    (x) => x.treeFlatten(),
    (aux, children) => cls.treeUnflatten(aux, children) as InstanceType<C>,
  );
  return cls;
}

function jsonAux(aux: unknown): string {
  return JSON.stringify(aux, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(aux);
}

function registeredType(x: unknown): NodeType | undefined {
  return typeof x === 'object' && x !== null ? registry.get(Object.getPrototypeOf(x) as object) : undefined;
}

/** The node kind of a value (without isLeaf): what flatten would make of it. */
function kindOf(x: unknown): TreeNode['kind'] {
  if (x === null) return 'none';
  if (x === undefined) return 'undefined';
  if (typeof x !== 'object') return 'leaf';
  if (registeredType(x)) return 'custom';
  if (Array.isArray(x)) return 'list';
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null ? 'object' : 'leaf';
}

/** The structure of a pytree: rebuilds it from its leaves. Made by flatten/structure, not by hand. */
export class TreeDef {
  readonly numLeaves: number;
  /** All nodes, leaves and None included, as JAX's num_nodes. */
  readonly numNodes: number;
  readonly #children: readonly TreeDef[];
  #key: string | undefined;

  constructor(
    readonly node: TreeNode,
    children: readonly TreeDef[] = [],
  ) {
    this.#children = children;
    this.numLeaves = node.kind === 'leaf' ? 1 : children.reduce((n, c) => n + c.numLeaves, 0);
    this.numNodes = children.reduce((n, c) => n + c.numNodes, 1);
  }

  get kind(): TreeNode['kind'] {
    return this.node.kind;
  }

  isLeaf(): boolean {
    return this.node.kind === 'leaf';
  }

  children(): TreeDef[] {
    return [...this.#children];
  }

  /** Builds the tree back from `leaves`, in flatten's order. */
  unflatten<T = unknown>(leaves: readonly unknown[]): T {
    if (leaves.length !== this.numLeaves) {
      const which = leaves.length < this.numLeaves ? 'few' : 'many';
      throw new Error(`Too ${which} leaves for ${this}; expected ${this.numLeaves}, got ${leaves.length}`);
    }
    let next = 0;
    const build = (def: TreeDef): unknown => {
      const node = def.node;
      const children = () => def.#children.map(build);
      switch (node.kind) {
        case 'leaf':
          return leaves[next++];
        case 'none':
          return null;
        case 'undefined':
          return undefined;
        case 'list':
          return children();
        case 'object': {
          const values = children();
          // fromEntries defines own properties, so a '__proto__' key stays a key.
          return Object.fromEntries(node.keys.map((k, i) => [k, values[i]]));
        }
        case 'custom':
          return node.type.unflatten(node.aux, children());
      }
    };
    return build(this) as T;
  }

  /**
   * The subtrees of `tree` at this structure's leaves, as JAX's flatten_up_to: `tree` must match
   * this structure down to its leaves, where anything may hang.
   */
  flattenUpTo(tree: unknown): unknown[] {
    const out: unknown[] = [];
    const mismatch = matchUpTo(this, tree, out, []);
    if (mismatch) throw new Error(`${this}.flattenUpTo: ${describe(mismatch, 'tree', 'this treedef', 'tree')}`);
    return out;
  }

  /** Same structure: kinds, lengths, object keys, registered classes and their aux data. */
  equals(other: TreeDef): boolean {
    if (this === other) return true;
    if (this.numNodes !== other.numNodes || this.numLeaves !== other.numLeaves) return false;
    const a = this.node;
    const b = other.node;
    if (a.kind !== b.kind) return false;
    if (a.kind === 'object' && !sameKeys(a.keys, (b as typeof a).keys)) return false;
    if (a.kind === 'custom') {
      const bc = b as typeof a;
      if (a.type !== bc.type) return false;
      if (a.aux !== bc.aux && a.type.auxToString(a.aux) !== a.type.auxToString(bc.aux)) return false;
    }
    return this.#children.every((c, i) => c.equals(other.#children[i]!));
  }

  /**
   * A string equal for equal structures and different otherwise, for cache keys. Assumes aux data
   * renders faithfully (JSON, or the class's auxToString); registered classes are told apart by
   * registration id, so a key is meaningful within one process only.
   */
  key(): string {
    if (this.#key !== undefined) return this.#key;
    const node = this.node;
    const cs = this.#children.map((c) => c.key());
    switch (node.kind) {
      case 'leaf':
        this.#key = '*';
        break;
      case 'none':
        this.#key = 'N';
        break;
      case 'undefined':
        this.#key = 'U';
        break;
      case 'list':
        this.#key = `[${cs.join(',')}]`;
        break;
      case 'object':
        this.#key = `{${node.keys.map((k, i) => `${JSON.stringify(k)}:${cs[i]}`).join(',')}}`;
        break;
      case 'custom':
        this.#key = `#${node.type.id}${JSON.stringify(node.type.auxToString(node.aux))}(${cs.join(',')})`;
        break;
    }
    return this.#key;
  }

  /** As JAX's PyTreeDef repr: `PyTreeDef([*, {'a': *, 'b': [*, None]}])`; classes as `Point[aux](*, *)`. */
  toString(): string {
    return `PyTreeDef(${this.#repr()})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  #repr(): string {
    const node = this.node;
    const cs = this.#children.map((c) => c.#repr());
    switch (node.kind) {
      case 'leaf':
        return '*';
      case 'none':
        return 'None';
      case 'undefined':
        return 'undefined';
      case 'list':
        return `[${cs.join(', ')}]`;
      case 'object':
        return `{${node.keys.map((k, i) => `${quote(k)}: ${cs[i]}`).join(', ')}}`;
      case 'custom': {
        let aux: string;
        try {
          aux = node.aux === undefined ? '' : `[${node.type.auxToString(node.aux)}]`;
        } catch {
          aux = '[?]'; // printing must not fail, even where key() would
        }
        return `${node.type.name}${aux}(${cs.join(', ')})`;
      }
    }
  }
}

const LEAF = new TreeDef({ kind: 'leaf' });
const NONE = new TreeDef({ kind: 'none' });
const UNDEFINED = new TreeDef({ kind: 'undefined' });

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function quote(key: string): string {
  return `'${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function build(x: unknown, leaves: unknown[], isLeaf: IsLeaf | undefined): TreeDef {
  if (isLeaf?.(x)) {
    leaves.push(x);
    return LEAF;
  }
  switch (kindOf(x)) {
    case 'none':
      return NONE;
    case 'undefined':
      return UNDEFINED;
    case 'custom': {
      const type = registeredType(x)!;
      const [children, aux] = type.flatten(x);
      return new TreeDef({ kind: 'custom', type, aux }, children.map((c) => build(c, leaves, isLeaf)));
    }
    case 'list':
      // Array.from visits holes (as undefined), where map would skip them.
      return new TreeDef({ kind: 'list' }, Array.from(x as unknown[], (c) => build(c, leaves, isLeaf)));
    case 'object': {
      const object = x as Record<string, unknown>;
      const keys = Object.keys(object).sort(); // sorted, as JAX sorts dict keys
      return new TreeDef({ kind: 'object', keys }, keys.map((k) => build(object[k], leaves, isLeaf)));
    }
    default:
      leaves.push(x);
      return LEAF;
  }
}

/** The leaves of `tree` (left to right; object keys sorted) and its structure. */
export function flatten(tree: unknown, isLeaf?: IsLeaf): [leaves: unknown[], treedef: TreeDef] {
  const leaves: unknown[] = [];
  const treedef = build(tree, leaves, isLeaf);
  return [leaves, treedef];
}

/** Builds a tree of structure `treedef` from its leaves. */
export function unflatten<T = unknown>(treedef: TreeDef, leaves: readonly unknown[]): T {
  return treedef.unflatten<T>(leaves);
}

export function leaves(tree: unknown, isLeaf?: IsLeaf): unknown[] {
  return flatten(tree, isLeaf)[0];
}

export function structure(tree: unknown, isLeaf?: IsLeaf): TreeDef {
  return flatten(tree, isLeaf)[1];
}

/** The key path of every leaf of `treedef`, in flatten's order. */
function leafPaths(treedef: TreeDef): KeyPath[] {
  const paths: KeyPath[] = [];
  const walk = (def: TreeDef, path: PathEntry[]) => {
    const node = def.node;
    if (node.kind === 'leaf') paths.push([...path]);
    def.children().forEach((child, i) => {
      path.push(entryFor(node, i));
      walk(child, path);
      path.pop();
    });
  };
  walk(treedef, []);
  return paths;
}

function entryFor(node: TreeNode, i: number): PathEntry {
  if (node.kind === 'object') return { kind: 'key', key: node.keys[i]! };
  if (node.kind === 'custom') {
    const name = node.type.childNames?.[i];
    return name === undefined ? { kind: 'flat', index: i } : { kind: 'attr', name };
  }
  return { kind: 'index', index: i };
}

/** As flatten, with each leaf's key path. */
export function flattenWithPath(tree: unknown, isLeaf?: IsLeaf): [leaves: [KeyPath, unknown][], treedef: TreeDef] {
  const [xs, treedef] = flatten(tree, isLeaf);
  const paths = leafPaths(treedef);
  return [xs.map((x, i) => [paths[i]!, x]), treedef];
}

export function leavesWithPath(tree: unknown, isLeaf?: IsLeaf): [KeyPath, unknown][] {
  return flattenWithPath(tree, isLeaf)[0];
}

/**
 * Renders a key path as JAX's keystr: `[0]['a'].x`; with `simple`, just the keys joined by
 * `separator` (`0/a/x` with separator '/').
 */
export function keystr(path: KeyPath, options: { simple?: boolean; separator?: string } = {}): string {
  const { simple = false, separator = '' } = options;
  const render = (e: PathEntry): string => {
    switch (e.kind) {
      case 'index':
        return simple ? String(e.index) : `[${e.index}]`;
      case 'key':
        return simple ? e.key : `[${quote(e.key)}]`;
      case 'attr':
        return simple ? e.name : `.${e.name}`;
      case 'flat':
        return simple ? String(e.index) : `[<flat index ${e.index}>]`;
    }
  };
  return path.map(render).join(separator);
}

/** Where a tree first departs from a structure, for error messages. */
interface Mismatch {
  readonly path: KeyPath;
  readonly reason: string;
  readonly expected: TreeDef;
  readonly got: unknown;
}

// Walks `x` along `def`, collecting the subtrees at def's leaves; returns the first mismatch.
function matchUpTo(def: TreeDef, x: unknown, out: unknown[], path: PathEntry[]): Mismatch | undefined {
  const node = def.node;
  const defs = def.children();
  const fail = (reason: string): Mismatch => ({ path: [...path], reason, expected: def, got: x });
  if (node.kind === 'leaf') {
    out.push(x);
    return undefined;
  }
  if (kindOf(x) !== node.kind) return fail('different types');
  let children: unknown[];
  switch (node.kind) {
    case 'none':
    case 'undefined':
      return undefined;
    case 'list':
      children = x as unknown[];
      if (children.length !== defs.length) return fail('different lengths of list');
      break;
    case 'object': {
      const object = x as Record<string, unknown>;
      if (!sameKeys(node.keys, Object.keys(object).sort())) return fail('different pytree keys');
      children = node.keys.map((k) => object[k]);
      break;
    }
    case 'custom': {
      if (registeredType(x) !== node.type) return fail('different types');
      const [cs, aux] = node.type.flatten(x);
      if (cs.length !== defs.length) return fail('different numbers of pytree children');
      if (aux !== node.aux && node.type.auxToString(aux) !== node.type.auxToString(node.aux)) {
        return fail('different pytree metadata');
      }
      children = cs;
      break;
    }
  }
  for (let i = 0; i < defs.length; i++) {
    path.push(entryFor(node, i));
    const mismatch = matchUpTo(defs[i]!, children[i], out, path);
    path.pop();
    if (mismatch) return mismatch;
  }
  return undefined;
}

// As JAX's prefix errors: the reason, the key path under `name`, and both subtrees' structures.
function describe(m: Mismatch, name: string, expectedLabel: string, gotLabel: string): string {
  return (
    `pytree structure error: ${m.reason} at key path\n    ${name}${keystr(m.path)}\n` +
    `At that key path, ${expectedLabel} has ${m.expected}, but ${gotLabel} has ${structure(m.got)}.`
  );
}

/**
 * Applies `f` leafwise: `f(leaf, ...restSubtrees)`. Each of `rest` must have `tree`'s structure down
 * to `tree`'s leaves (JAX's rule), where `f` receives its whole subtree. The result has `tree`'s
 * structure and is typed as `tree`; state another type where `f` changes the leaves' types.
 */
export function map<T, A extends unknown[] = unknown[]>(f: (...leaves: A) => unknown, tree: T, ...rest: unknown[]): T {
  return mapImpl('map', false, tree, rest, (_path, args) => f(...(args as A)));
}

/** As map, with each leaf's key path first: `f(path, leaf, ...restSubtrees)`. */
export function mapWithPath<T, A extends unknown[] = unknown[]>(
  f: (path: KeyPath, ...leaves: A) => unknown,
  tree: T,
  ...rest: unknown[]
): T {
  return mapImpl('mapWithPath', true, tree, rest, (path, args) => f(path, ...(args as A)));
}

function mapImpl<T>(op: string, withPaths: boolean, tree: T, rest: unknown[], apply: (path: KeyPath, args: unknown[]) => unknown): T {
  const [xs, treedef] = flatten(tree);
  const others = rest.map((other, r) => {
    const out: unknown[] = [];
    const m = matchUpTo(treedef, other, out, []);
    if (!m) return out;
    const whole = m.path.length ? `\ntree: ${treedef}\nrest[${r}]: ${structure(other)}` : '';
    throw new Error(`tree.${op}: ${describe(m, `rest[${r}]`, 'tree', `rest[${r}]`)}${whole}`);
  });
  const paths = withPaths ? leafPaths(treedef) : [];
  const outs = xs.map((x, i) => apply(paths[i] ?? [], [x, ...others.map((o) => o[i])]));
  return treedef.unflatten<T>(outs);
}

/** Whether every leaf is truthy (JS truthiness; an empty tree is true). */
export function all(tree: unknown, isLeaf?: IsLeaf): boolean {
  return leaves(tree, isLeaf).every(Boolean);
}

/** Folds `f` over the leaves, left to right; without `initial`, from the first leaf. */
export function reduce<T, L = T>(f: (acc: T, leaf: L) => T, tree: unknown, ...initial: [initial: T] | []): T {
  const xs = leaves(tree) as L[];
  let i = 0;
  let acc: T;
  if (initial.length) acc = initial[0];
  else if (xs.length) acc = xs[i++] as unknown as T;
  else throw new TypeError('tree.reduce: empty tree and no initial value');
  for (; i < xs.length; i++) acc = f(acc, xs[i]!);
  return acc;
}

/**
 * Turns a tree of structure `outer` holding trees of structure `inner` into a tree of structure
 * `inner` holding trees of structure `outer`. `inner` defaults to the first inner tree's structure.
 */
export function transpose(outer: TreeDef, inner: TreeDef | undefined, tree: unknown): unknown {
  const subtrees = outer.flattenUpTo(tree);
  if (!inner) {
    if (!subtrees.length) throw new Error(`tree.transpose: cannot infer the inner structure of ${outer}, which has no leaves`);
    inner = structure(subtrees[0]);
  }
  const rows = subtrees.map((s) => inner.flattenUpTo(s));
  const columns = Array.from({ length: inner.numLeaves }, (_, j) => outer.unflatten(rows.map((row) => row[j])));
  return inner.unflatten(columns);
}

export interface BroadcastPrefixOptions {
  /** Extra leaves of the prefix tree. */
  isLeaf?: IsLeaf;
  /** null and undefined in the prefix are leaves, as None in vmap's in_axes. Default true. */
  noneIsLeaf?: boolean;
  /** Names the prefix in errors, e.g. 'inAxes'. Default 'prefix'. */
  name?: string;
}

/**
 * The leaves of `prefixTree`, each repeated once per leaf of the subtree of `fullTree` under it:
 * one entry per leaf of `fullTree`. This is how `vmap(f, { inAxes: [null, 0, 0] })` gives every
 * argument leaf its axis. A mismatch is a "pytree structure error" naming the key path.
 */
export function broadcastPrefix(prefixTree: unknown, fullTree: unknown, options: BroadcastPrefixOptions = {}): unknown[] {
  const { isLeaf, noneIsLeaf = true, name = 'prefix' } = options;
  const leafTest: IsLeaf = (x) => (noneIsLeaf && (x === null || x === undefined)) || (isLeaf?.(x) ?? false);
  const [prefixLeaves, prefixDef] = flatten(prefixTree, leafTest);
  const subtrees: unknown[] = [];
  const m = matchUpTo(prefixDef, fullTree, subtrees, []);
  if (m) throw new Error(describe(m, name, `the prefix pytree ${name}`, 'the full pytree'));
  return subtrees.flatMap((subtree, i) => Array<unknown>(structure(subtree).numLeaves).fill(prefixLeaves[i]));
}
