// The parity harness itself: the .npy reader/writer and the case-list rules that must agree
// with scripts/parity/caselist.py (number formatting, ids, expansion).
import { canonicalJson, expand, fmt, specHash, type Case } from './caselist.js';
import { leaves } from './compare.js';
import { readNpy, writeNpy } from './npy.js';

describe('npy', () => {
  test('round trip, with the header padded to 64 bytes', () => {
    const data = new Uint8Array(new Float32Array([1.5, -0, NaN, Infinity, 3, 4]).buffer);
    const file = writeNpy({ descr: '<f4', shape: [2, 3], data });
    expect((file.length - data.length) % 64).toBe(0);
    const { npy, end } = readNpy(file);
    expect(npy).toEqual({ descr: '<f4', shape: [2, 3], data });
    expect(end).toBe(file.length);
  });

  test('scalars, 1-d shapes and concatenated records', () => {
    const a = writeNpy({ descr: '|b1', shape: [], data: new Uint8Array([1]) });
    const b = writeNpy({ descr: '<u2', shape: [2], data: new Uint8Array([1, 0, 2, 0]) });
    const both = new Uint8Array([...a, ...b]);
    const first = readNpy(both, 0);
    expect(first.npy.shape).toEqual([]);
    expect(readNpy(both, first.end).npy).toEqual({ descr: '<u2', shape: [2], data: new Uint8Array([1, 0, 2, 0]) });
  });

  test('what NumPy writes (version 1.0 header of np.save)', () => {
    const header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }";
    const padded = header + ' '.repeat(128 - 10 - header.length - 1) + '\n';
    const bytes = new Uint8Array([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, padded.length, 0, ...new TextEncoder().encode(padded), 7, 0, 0, 0, 255, 255, 255, 255]);
    const { npy } = readNpy(bytes);
    expect([...new Int32Array(npy.data.buffer)]).toEqual([7, -1]);
  });

  test('errors', () => {
    expect(() => readNpy(new Uint8Array(16))).toThrow('npy: bad magic at byte 0');
    const big = writeNpy({ descr: '>f8', shape: [1], data: new Uint8Array(8) });
    expect(() => readNpy(big)).toThrow('unsupported descr ">f8"');
  });
});

describe('case list', () => {
  test('numbers print as Python caselist.js_number prints them', () => {
    expect(canonicalJson([1e-5, 1e21, 1.5e-7, 0.001, 1e-6, 2, -0.25, 123456789.5])).toBe('[0.00001,1e+21,1.5e-7,0.001,0.000001,2,-0.25,123456789.5]');
    expect(canonicalJson({ b: [1, { d: null, c: true }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":true,"d":null}]}');
    expect(fmt([[3, 1], [], { axis: -1, keepdims: true }, null, 0.5])).toBe('[[3,1],[],{axis:-1,keepdims:true},null,0.5]');
  });

  test('expansion: product order, substitution, skip, tags and x64', () => {
    const cases = expand('numpy', {
      groups: [
        {
          tag: 't',
          fn: ['numpy.add', 'numpy.sub'],
          vars: { d: ['float32', 'int8'], s: [[[2], [3]]] },
          args: [{ gen: 'normal', shape: '$s.0', dtype: '$d' }, '$s.1'],
          x64: [false, true],
          skip: [{ fn: 'numpy.sub', d: 'int8' }],
        },
        { fn: 'numpy.zeros', vars: { a: [[[2, 3]]] }, args: '$a', kwargs: { dtype: 'int32' } },
      ],
    });
    expect(cases.map((c) => c.id)).toEqual([
      'numpy.add:t(float32,[[2],[3]])',
      'numpy.add:t(float32,[[2],[3]])/x64',
      'numpy.add:t(int8,[[2],[3]])',
      'numpy.add:t(int8,[[2],[3]])/x64',
      'numpy.sub:t(float32,[[2],[3]])',
      'numpy.sub:t(float32,[[2],[3]])/x64',
      'numpy.zeros([[2,3]])',
    ]);
    expect(cases[2]!.args).toEqual([{ gen: 'normal', shape: [2], dtype: 'int8' }, [3]]);
    expect(cases[6]).toMatchObject({ args: [[2, 3]], kwargs: { dtype: 'int32' }, x64: false, mode: 'eval', jit: false, tol: null, errors: false });
  });

  test('the spec hash ignores the id and changes with the arguments', () => {
    const c: Case = { id: 'a', family: 'numpy', fn: 'numpy.add', args: [1, 0.5], kwargs: {}, x64: false, mode: 'eval', jit: false, tol: null, errors: false };
    expect(specHash({ ...c, id: 'b', jit: true })).toBe(specHash(c));
    expect(specHash({ ...c, args: [1, 0.25] })).not.toBe(specHash(c));
    // The same hashes as scripts/parity/caselist.py::spec_hash computes.
    expect(specHash(c)).toBe('1efd06f030a6');
    const args = [{ gen: 'normal', shape: [3, 4], dtype: 'float32', seed: 1, scale: 1e-7 }];
    expect(specHash({ ...c, args, kwargs: { axis: [0, 1] }, tol: { float32: 1e-5 } })).toBe('5bd69df17d95');
  });
});

describe('results', () => {
  test('leaves flatten as jax.tree.leaves: lists in order, dict keys sorted, abstract values whole', () => {
    const shape = { shape: [2], dtype: 'float32', weakType: false };
    expect(leaves([1, { w: 2, b: [3, 4] }, shape])).toEqual([1, 3, 4, 2, shape]);
  });
});
