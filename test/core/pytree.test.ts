// Pytrees behave as jax.tree_util's: expected values are JAX's for the same trees, with Python
// lists/tuples written as JS arrays, dicts as plain objects and None as null.
import { inspect } from 'node:util';
import {
  all,
  broadcastPrefix,
  flatten,
  flattenWithPath,
  keystr,
  leaves,
  leavesWithPath,
  map,
  mapWithPath,
  reduce,
  registerPytreeNode,
  registerPytreeNodeClass,
  structure,
  transpose,
  TreeDef,
  unflatten,
  type KeyPath,
} from '../../lib/core/pytree.js';

class Point {
  constructor(
    readonly x: unknown,
    readonly y: unknown,
  ) {}
}
registerPytreeNode(Point, (p) => [[p.x, p.y], undefined], (_aux, [x, y]) => new Point(x, y), { childNames: ['x', 'y'] });

// A node with aux data: the tag is static metadata, compared for structure equality.
class Tagged {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}
registerPytreeNode(Tagged, (t) => [[t.value], t.tag], (tag, [value]) => new Tagged(tag, value));

class Pair {
  constructor(
    readonly a: unknown,
    readonly b: unknown,
  ) {}
  treeFlatten(): [unknown[], unknown] {
    return [[this.a, this.b], null];
  }
  static treeUnflatten(_aux: unknown, [a, b]: unknown[]): Pair {
    return new Pair(a, b);
  }
}
registerPytreeNodeClass(Pair);

describe('flatten and unflatten', () => {
  test('nested arrays, objects and null round-trip; None has no leaves', () => {
    // jax.tree.flatten([1, {'a': 2, 'b': (3, None)}]) -> [1, 2, 3]
    const tree = [1, { a: 2, b: [3, null] }];
    const [xs, treedef] = flatten(tree);
    expect(xs).toEqual([1, 2, 3]);
    expect(treedef.toString()).toBe("PyTreeDef([*, {'a': *, 'b': [*, None]}])");
    expect(treedef.numLeaves).toBe(3);
    expect(treedef.numNodes).toBe(7); // JAX's num_nodes: list, 1, dict, 2, tuple, 3, None
    expect(unflatten(treedef, xs)).toEqual(tree);
    expect(treedef.unflatten([10, 20, 30])).toEqual([10, { a: 20, b: [30, null] }]);
  });

  test('object keys flatten in sorted order, as JAX sorts dict keys', () => {
    expect(leaves({ b: 1, a: 2 })).toEqual([2, 1]);
    expect(leaves({ b: { d: 1, c: 2 }, a: [3, 4] })).toEqual([3, 4, 2, 1]);
    expect(structure({ b: 1, a: 2 }).toString()).toBe("PyTreeDef({'a': *, 'b': *})");
  });

  test('scalars, strings, typed arrays and unregistered class instances are leaves', () => {
    class Opaque {}
    const typed = new Float32Array(2);
    const opaque = new Opaque();
    const [xs, treedef] = flatten([1, 'text', true, 2n, typed, opaque, new Map()]);
    expect(xs).toHaveLength(7);
    expect(xs[4]).toBe(typed);
    expect(xs[5]).toBe(opaque);
    expect(structure(5).isLeaf()).toBe(true);
    expect(structure(5).toString()).toBe('PyTreeDef(*)');
    expect(treedef.children().every((c) => c.isLeaf())).toBe(true);
  });

  test('null and undefined are nodes without leaves, kept apart', () => {
    expect(leaves([null, undefined, { a: null }])).toEqual([]);
    expect(structure(null).toString()).toBe('PyTreeDef(None)');
    expect(structure([undefined]).toString()).toBe('PyTreeDef([undefined])');
    expect(structure(null).numNodes).toBe(1);
    expect(structure(null).equals(structure(undefined))).toBe(false);
    expect(structure({ a: undefined }).unflatten([])).toEqual({ a: undefined });
  });

  test('empty containers', () => {
    expect(structure([]).toString()).toBe('PyTreeDef([])');
    expect(structure({}).toString()).toBe('PyTreeDef({})');
    expect(structure([[], {}]).numLeaves).toBe(0);
  });

  test('object-with-null-prototype is a node; a __proto__ key stays a key', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { y: 1, x: 2 });
    expect(leaves(bare)).toEqual([2, 1]);
    const tricky = JSON.parse('{"__proto__": 1, "a": 2}') as unknown;
    const [xs, treedef] = flatten(tricky);
    expect(xs).toEqual([1, 2]);
    const rebuilt = treedef.unflatten([1, 2]) as Record<string, unknown>;
    expect(Object.keys(rebuilt)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(rebuilt)).toBe(Object.prototype);
  });

  test('a wrong leaf count names the structure, expected and given counts', () => {
    const treedef = structure([1, 2]);
    expect(() => treedef.unflatten([1])).toThrow('Too few leaves for PyTreeDef([*, *]); expected 2, got 1');
    expect(() => unflatten(treedef, [1, 2, 3])).toThrow('Too many leaves for PyTreeDef([*, *]); expected 2, got 3');
  });

  test('isLeaf stops flattening at the subtrees it picks, None included', () => {
    const tree = { a: [1, 2], b: [3, [4, 5]], c: null };
    const isPair = (x: unknown) => Array.isArray(x) && x.length === 2 && x.every((e) => typeof e === 'number');
    expect(leaves(tree, isPair)).toEqual([[1, 2], 3, [4, 5]]);
    expect(structure(tree, isPair).toString()).toBe("PyTreeDef({'a': *, 'b': [*, *], 'c': None})");
    expect(leaves(tree, (x) => x === null)).toEqual([1, 2, 3, 4, 5, null]);
  });
});

describe('registered classes', () => {
  test('a Point flattens to its fields and rebuilds', () => {
    const tree = { p: new Point(1, [2, 3]) };
    const [xs, treedef] = flatten(tree);
    expect(xs).toEqual([1, 2, 3]);
    expect(treedef.toString()).toBe("PyTreeDef({'p': Point(*, [*, *])})");
    const rebuilt = treedef.unflatten<{ p: Point }>([4, 5, 6]);
    expect(rebuilt.p).toBeInstanceOf(Point);
    expect(rebuilt.p.x).toBe(4);
    expect(rebuilt.p.y).toEqual([5, 6]);
  });

  test('aux data prints and takes part in equality', () => {
    expect(structure(new Tagged('hi', 1)).toString()).toBe('PyTreeDef(Tagged["hi"](*))');
    expect(structure(new Tagged('hi', 1)).equals(structure(new Tagged('hi', 2)))).toBe(true);
    expect(structure(new Tagged('hi', 1)).equals(structure(new Tagged('ho', 1)))).toBe(false);
    expect(structure(new Tagged('hi', 1)).key()).not.toBe(structure(new Tagged('ho', 1)).key());
  });

  test('registerPytreeNodeClass uses treeFlatten / treeUnflatten', () => {
    const [xs, treedef] = flatten(new Pair(1, { z: 2 }));
    expect(xs).toEqual([1, 2]);
    expect(treedef.toString()).toBe("PyTreeDef(Pair[null](*, {'z': *}))");
    expect(treedef.unflatten([3, 4])).toEqual(new Pair(3, { z: 4 }));
  });

  test('registering twice, or a built-in container, is an error', () => {
    expect(() => registerPytreeNode(Point, (p) => [[p.x], null], () => new Point(0, 0))).toThrow(
      'registerPytreeNode: Point is already registered',
    );
    expect(() => registerPytreeNode(Object, () => [[], null], () => ({}))).toThrow('already a pytree node type');
  });

  test('matching is by exact class: a subclass of a registered class is a leaf', () => {
    class Point3 extends Point {}
    expect(structure(new Point3(1, 2)).isLeaf()).toBe(true);
  });

  test('classes of the same name are told apart by key() and equals()', () => {
    const makeClass = () =>
      class Node {
        constructor(readonly v: unknown) {}
      };
    const A = makeClass();
    const B = makeClass();
    registerPytreeNode(A, (n) => [[n.v], null], (_aux, [v]) => new A(v));
    registerPytreeNode(B, (n) => [[n.v], null], (_aux, [v]) => new B(v));
    const a = structure(new A(1));
    const b = structure(new B(1));
    expect(a.toString()).toBe(b.toString());
    expect(a.equals(b)).toBe(false);
    expect(a.key()).not.toBe(b.key());
  });
});

describe('TreeDef', () => {
  test('equality and keys follow structure, not leaf values', () => {
    const a = structure([1, { x: 2, y: null }]);
    const b = structure(['s', { y: null, x: new Float32Array(1) }]);
    expect(a.equals(b)).toBe(true);
    expect(a.key()).toBe(b.key());
    for (const other of [[1, { x: 2 }], [1, { x: 2, y: 3 }], [1, [2, null]], [[1], { x: 2, y: null }], { 0: 1, 1: { x: 2, y: null } }]) {
      expect(a.equals(structure(other))).toBe(false);
      expect(a.key()).not.toBe(structure(other).key());
    }
  });

  test('keys do not collide through quoting', () => {
    expect(structure({ 'a,b': 1 }).key()).not.toBe(structure({ a: 1, b: 1 }).key());
    expect(structure({ "it's": 1 }).toString()).toBe("PyTreeDef({'it\\'s': *})");
  });

  test('children, kind and util.inspect', () => {
    const treedef = structure({ a: [1, 2], b: null });
    expect(treedef.kind).toBe('object');
    expect(treedef.children().map(String)).toEqual(['PyTreeDef([*, *])', 'PyTreeDef(None)']);
    expect(inspect(treedef)).toBe("PyTreeDef({'a': [*, *], 'b': None})");
  });

  test('flattenUpTo returns the subtrees at the leaves, and names a mismatch', () => {
    const treedef = structure([0, { a: 0 }]);
    expect(treedef.flattenUpTo([[1, 2], { a: { deep: 3 } }])).toEqual([[1, 2], { deep: 3 }]);
    expect(() => treedef.flattenUpTo([1, { b: 2 }])).toThrow(
      "pytree structure error: different pytree keys at key path\n    tree[1]\nAt that key path, this treedef has PyTreeDef({'a': *}), but tree has PyTreeDef({'b': *}).",
    );
  });
});

describe('map', () => {
  test('maps one tree, keeping its structure', () => {
    expect(map((x: number) => x * 2, { b: [1, 2], a: null, c: 3 })).toEqual({ a: null, b: [2, 4], c: 6 });
  });

  test('maps several trees leafwise', () => {
    const params = { w: [1, 2], b: 3 };
    const grads = { w: [10, 20], b: 30 };
    expect(map((p: number, g: number) => p - 0.1 * g, params, grads)).toEqual({ w: [0, 0], b: 0 });
    expect(map((a: number, b: number, c: number) => a + b + c, [1, 2], [3, 4], [5, 6])).toEqual([9, 12]);
  });

  test('rest trees need the first tree structure only down to its leaves', () => {
    // jax.tree.map(lambda x, y: (x, y), [1, 2], [[3, 4], {'a': 5}]) passes whole subtrees
    expect(map((x: number, y: unknown) => [x, y], [1, 2], [[3, 4], { a: 5 }])).toEqual([[1, [3, 4]], [2, { a: 5 }]]);
  });

  test('registered classes map through', () => {
    const out = map((x: number) => x + 1, new Point(1, 2));
    expect(out).toEqual(new Point(2, 3));
  });

  test('a list length mismatch names the key path and both structures', () => {
    let message = '';
    try {
      map((x: number, y: number) => x + y, [1, [2, 3]], [1, [2, 3, 4]]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'tree.map: pytree structure error: different lengths of list at key path\n' +
        '    rest[0][1]\n' +
        'At that key path, tree has PyTreeDef([*, *]), but rest[0] has PyTreeDef([*, *, *]).\n' +
        'tree: PyTreeDef([*, [*, *]])\n' +
        'rest[0]: PyTreeDef([*, [*, *, *]])',
    );
  });

  test('type, key, class and aux mismatches are errors', () => {
    const f = () => 0;
    expect(() => map(f, [1, 2], { a: 1, b: 2 })).toThrow(
      'different types at key path\n    rest[0]\nAt that key path, tree has PyTreeDef([*, *]), but rest[0] has PyTreeDef({\'a\': *, \'b\': *}).',
    );
    expect(() => map(f, { a: 1 }, { b: 1 })).toThrow('different pytree keys at key path\n    rest[0]');
    expect(() => map(f, [null], [1])).toThrow('different types at key path\n    rest[0][0]');
    expect(() => map(f, new Point(1, 2), new Pair(1, 2))).toThrow(
      'At that key path, tree has PyTreeDef(Point(*, *)), but rest[0] has PyTreeDef(Pair[null](*, *)).',
    );
    expect(() => map(f, new Tagged('a', 1), new Tagged('b', 1))).toThrow('different pytree metadata at key path');
    expect(() => map(f, [1], [1], [1, 2])).toThrow('rest[1]');
  });
});

describe('key paths', () => {
  const tree = { b: new Point(3, 4), a: [1, { c: 2 }], t: new Tagged('k', 5) };

  test('flattenWithPath and keystr', () => {
    const [pairs, treedef] = flattenWithPath(tree);
    expect(pairs.map(([path, leaf]) => [keystr(path), leaf])).toEqual([
      ['[\'a\'][0]', 1],
      ["['a'][1]['c']", 2],
      ["['b'].x", 3],
      ["['b'].y", 4],
      ["['t'][<flat index 0>]", 5],
    ]);
    expect(treedef.equals(structure(tree))).toBe(true);
    expect(leavesWithPath([7])[0]![0]).toEqual([{ kind: 'index', index: 0 }]);
  });

  test('keystr simple form and the empty path', () => {
    const path: KeyPath = [{ kind: 'key', key: 'params' }, { kind: 'index', index: 0 }, { kind: 'attr', name: 'w' }];
    expect(keystr(path)).toBe("['params'][0].w");
    expect(keystr(path, { simple: true, separator: '/' })).toBe('params/0/w');
    expect(keystr([])).toBe('');
  });

  test('mapWithPath passes each leaf its path', () => {
    expect(mapWithPath((path, x: number) => `${keystr(path)}=${x}`, { a: [1], b: 2 })).toEqual({ a: ["['a'][0]=1"], b: "['b']=2" });
    expect(mapWithPath((path, x: number, y: number) => keystr(path).length + x + y, [1], [2])).toEqual([6]);
  });
});

describe('all, reduce, transpose', () => {
  test('all is JS truthiness over leaves', () => {
    expect(all([true, { a: 1 }])).toBe(true);
    expect(all([true, { a: 0 }])).toBe(false);
    expect(all([null, []])).toBe(true); // no leaves, as Python's all([])
  });

  test('reduce folds leaves in order', () => {
    expect(reduce((acc: number, x: number) => acc + x, { b: 2, a: [1, 3] })).toBe(6);
    expect(reduce((acc: string, x: number) => acc + x, { b: 2, a: [1, 3] }, '>')).toBe('>132');
    expect(reduce((acc: number, x: number) => acc + x, [], 7)).toBe(7);
    expect(() => reduce((acc: number, x: number) => acc + x, [null])).toThrow('empty tree and no initial value');
  });

  test('transpose swaps outer and inner structures', () => {
    // jax.tree.transpose(structure([0, 0, 0]), structure((0, 0)), [(1, 2), (3, 4), (5, 6)]) == ([1, 3, 5], [2, 4, 6])
    const outer = structure([0, 0, 0]);
    const inner = structure([0, 0]);
    expect(transpose(outer, inner, [[1, 2], [3, 4], [5, 6]])).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(transpose(structure({ a: 0, b: 0 }), undefined, { a: [1, 2], b: [3, 4] })).toEqual([{ a: 1, b: 3 }, { a: 2, b: 4 }]);
  });
});

describe('broadcastPrefix', () => {
  const params = { w: [10, 11], b: 12 };
  const args = [params, 'x', 'y'];

  test("vmap's inAxes [null, 0, 0] against [params, x, y]: null is a leaf covering params", () => {
    expect(broadcastPrefix([null, 0, 0], args)).toEqual([null, null, null, 0, 0]);
    // one entry per leaf of the full tree
    expect(broadcastPrefix([null, 0, 0], args)).toHaveLength(leaves(args).length);
  });

  test('a leaf prefix covers the whole tree; a nested prefix reaches inside', () => {
    expect(broadcastPrefix(0, args)).toEqual([0, 0, 0, 0, 0]);
    expect(broadcastPrefix([{ w: 1, b: null }, 0, 2], args)).toEqual([null, 1, 1, 0, 2]); // params' leaves in key order: b, w[0], w[1]
    expect(broadcastPrefix([0, 1], [null, [5, 6]])).toEqual([1, 1]); // None in the full tree has no leaves
  });

  test('with noneIsLeaf false, null in the prefix is a node, as in jax.tree_util.broadcast_prefix', () => {
    expect(broadcastPrefix([null, 0], [null, [1, 2]], { noneIsLeaf: false })).toEqual([0, 0]);
    expect(() => broadcastPrefix([null, 0], [1, 2], { noneIsLeaf: false })).toThrow('different types at key path');
  });

  test('isLeaf adds prefix leaves', () => {
    const isAxisPair = (x: unknown) => Array.isArray(x) && x.length === 2 && typeof x[0] === 'number';
    expect(broadcastPrefix([[0, 1], 2], [[5, 6, 7], 8], { isLeaf: isAxisPair })).toEqual([[0, 1], [0, 1], [0, 1], 2]);
  });

  test('a prefix that does not match names the key path and both structures', () => {
    expect(() => broadcastPrefix([null, 0], args, { name: 'inAxes' })).toThrow(
      'pytree structure error: different lengths of list at key path\n' +
        '    inAxes\n' +
        "At that key path, the prefix pytree inAxes has PyTreeDef([*, *]), but the full pytree has PyTreeDef([{'b': *, 'w': [*, *]}, *, *]).",
    );
    expect(() => broadcastPrefix([{ w: 0 }, 0, 0], args, { name: 'inAxes' })).toThrow(
      "different pytree keys at key path\n    inAxes[0]\nAt that key path, the prefix pytree inAxes has PyTreeDef({'w': *}), but the full pytree has PyTreeDef({'b': *, 'w': [*, *]}).",
    );
  });

  test('TreeDef is exported as a class', () => {
    expect(structure(1)).toBeInstanceOf(TreeDef);
  });
});
