// jaxts' dtype system against JAX's: the promotion tables of docs/type_promotion.rst (generated
// with jax._src.dtypes.lattice_result_type, JAX 0.10.2; shared/notes/jax-semantics.md section 2),
// x64 canonicalization and defaults (jax/_src/dtypes.py), and NumPy / ml_dtypes finfo and iinfo.
import { config } from '../../lib/core/config.js';
import {
  DTYPES,
  canonicalizeDType,
  checkDType,
  defaultComplexDType,
  defaultFloatDType,
  defaultIntDType,
  defaultUIntDType,
  dtypes,
  finfo,
  iinfo,
  isBool,
  isComplex,
  isFloating,
  isInexact,
  isInteger,
  isSignedInteger,
  isUnsignedInteger,
  itemsize,
  promoteTypes,
  resultType,
  scalarDType,
  type DType,
  type DTypeWithWeak,
} from '../../lib/core/dtypes.js';

const x64 = <T>(enableX64: boolean, fn: () => T): T => config.with({ enableX64 }, fn);

// The tables' abbreviations; i*, f*, c* are weak values of the default int, float and complex dtypes.
const SHORT: Record<string, DType> = {
  b: 'bool',
  u8: 'uint8',
  u16: 'uint16',
  u32: 'uint32',
  u64: 'uint64',
  i8: 'int8',
  i16: 'int16',
  i32: 'int32',
  i64: 'int64',
  bf16: 'bfloat16',
  f16: 'float16',
  f32: 'float32',
  f64: 'float64',
  c64: 'complex64',
  c128: 'complex128',
};

function operand(name: string): DTypeWithWeak {
  if (name === 'i*') return { dtype: defaultIntDType(), weak: true };
  if (name === 'f*') return { dtype: defaultFloatDType(), weak: true };
  if (name === 'c*') return { dtype: defaultComplexDType(), weak: true };
  return { dtype: SHORT[name], weak: false };
}

// A cell: `*` marks a weak result.
function cell(text: string): DTypeWithWeak {
  const weak = text.startsWith('*');
  return { dtype: SHORT[weak ? text.slice(1) : text], weak };
}

/** Rows of [row name, column names, expected cells] from a table whose first line names the columns. */
function parseTable(text: string): [string, string[], string[]][] {
  const [header, ...lines] = text.trim().split('\n').map((l) => l.trim().split(/\s+/));
  return lines.map(([row, ...cells]) => [row, header, cells]);
}

// x64 off: inputs are canonicalized to 32 bits, and u32 ⊔ i32 is i32.
const TABLE_X32 = `
        b     u8    u16   u32   u64   i8    i16   i32   i64   bf16  f16   f32   f64   c64   c128  i*    f*    c*
  b     b     u8    u16   u32   u32   i8    i16   i32   i32   bf16  f16   f32   f32   c64   c64   *i32  *f32  *c64
  u8    u8    u8    u16   u32   u32   i16   i16   i32   i32   bf16  f16   f32   f32   c64   c64   u8    *f32  *c64
  u16   u16   u16   u16   u32   u32   i32   i32   i32   i32   bf16  f16   f32   f32   c64   c64   u16   *f32  *c64
  u32   u32   u32   u32   u32   u32   i32   i32   i32   i32   bf16  f16   f32   f32   c64   c64   u32   *f32  *c64
  u64   u32   u32   u32   u32   u32   i32   i32   i32   i32   bf16  f16   f32   f32   c64   c64   u32   *f32  *c64
  i8    i8    i16   i32   i32   i32   i8    i16   i32   i32   bf16  f16   f32   f32   c64   c64   i8    *f32  *c64
  i16   i16   i16   i32   i32   i32   i16   i16   i32   i32   bf16  f16   f32   f32   c64   c64   i16   *f32  *c64
  i32   i32   i32   i32   i32   i32   i32   i32   i32   i32   bf16  f16   f32   f32   c64   c64   i32   *f32  *c64
  i64   i32   i32   i32   i32   i32   i32   i32   i32   i32   bf16  f16   f32   f32   c64   c64   i32   *f32  *c64
  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  f32   f32   f32   c64   c64   bf16  bf16  c64
  f16   f16   f16   f16   f16   f16   f16   f16   f16   f16   f32   f16   f32   f32   c64   c64   f16   f16   c64
  f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   c64   c64   f32   f32   c64
  f64   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   c64   c64   f32   f32   c64
  c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64
  c128  c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64
  i*    *i32  u8    u16   u32   u32   i8    i16   i32   i32   bf16  f16   f32   f32   c64   c64   *i32  *f32  *c64
  f*    *f32  *f32  *f32  *f32  *f32  *f32  *f32  *f32  *f32  bf16  f16   f32   f32   c64   c64   *f32  *f32  *c64
  c*    *c64  *c64  *c64  *c64  *c64  *c64  *c64  *c64  *c64  c64   c64   c64   c64   c64   c64   *c64  *c64  *c64
`;

// x64 on: the table of docs/type_promotion.rst.
const TABLE_X64 = `
        b     u8    u16   u32   u64   i8    i16   i32   i64   bf16  f16   f32   f64   c64   c128  i*    f*    c*
  b     b     u8    u16   u32   u64   i8    i16   i32   i64   bf16  f16   f32   f64   c64   c128  *i64  *f64  *c128
  u8    u8    u8    u16   u32   u64   i16   i16   i32   i64   bf16  f16   f32   f64   c64   c128  u8    *f64  *c128
  u16   u16   u16   u16   u32   u64   i32   i32   i32   i64   bf16  f16   f32   f64   c64   c128  u16   *f64  *c128
  u32   u32   u32   u32   u32   u64   i64   i64   i64   i64   bf16  f16   f32   f64   c64   c128  u32   *f64  *c128
  u64   u64   u64   u64   u64   u64   *f64  *f64  *f64  *f64  bf16  f16   f32   f64   c64   c128  u64   *f64  *c128
  i8    i8    i16   i32   i64   *f64  i8    i16   i32   i64   bf16  f16   f32   f64   c64   c128  i8    *f64  *c128
  i16   i16   i16   i32   i64   *f64  i16   i16   i32   i64   bf16  f16   f32   f64   c64   c128  i16   *f64  *c128
  i32   i32   i32   i32   i64   *f64  i32   i32   i32   i64   bf16  f16   f32   f64   c64   c128  i32   *f64  *c128
  i64   i64   i64   i64   i64   *f64  i64   i64   i64   i64   bf16  f16   f32   f64   c64   c128  i64   *f64  *c128
  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  bf16  f32   f32   f64   c64   c128  bf16  bf16  c64
  f16   f16   f16   f16   f16   f16   f16   f16   f16   f16   f32   f16   f32   f64   c64   c128  f16   f16   c64
  f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f32   f64   c64   c128  f32   f32   c64
  f64   f64   f64   f64   f64   f64   f64   f64   f64   f64   f64   f64   f64   f64   c128  c128  f64   f64   c128
  c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c64   c128  c64   c128  c64   c64   c64
  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128  c128
  i*    *i64  u8    u16   u32   u64   i8    i16   i32   i64   bf16  f16   f32   f64   c64   c128  *i64  *f64  *c128
  f*    *f64  *f64  *f64  *f64  *f64  *f64  *f64  *f64  *f64  bf16  f16   f32   f64   c64   c128  *f64  *f64  *c128
  c*    *c128 *c128 *c128 *c128 *c128 *c128 *c128 *c128 *c128 c64   c64   c64   c128  c64   c128  *c128 *c128 *c128
`;

describe.each([
  ['off', false, TABLE_X32],
  ['on', true, TABLE_X64],
] as const)('binary promotion table, x64 %s', (_name, enableX64, table) => {
  const rows = parseTable(table);

  test('has the 18 rows and columns in order b u8 ... c128 i* f* c*', () => {
    const order = [...Object.keys(SHORT), 'i*', 'f*', 'c*'];
    expect(rows.map(([row]) => row)).toEqual(order);
    for (const [, columns, cells] of rows) {
      expect(columns).toEqual(order);
      expect(cells).toHaveLength(18);
    }
  });

  test.each(rows)('row %s: every cell is resultType(row, column)', (row, columns, cells) => {
    x64(enableX64, () => {
      const got = columns.map((column) => resultType(operand(row), operand(column)));
      expect(got).toEqual(cells.map(cell));
    });
  });

  test('JS numbers 1 and 1.5 promote as the i* and f* columns', () => {
    x64(enableX64, () => {
      for (const [row, columns, cells] of rows) {
        expect(resultType(operand(row), 1)).toEqual(cell(cells[columns.indexOf('i*')]));
        expect(resultType(1.5, operand(row))).toEqual(cell(cells[columns.indexOf('f*')]));
      }
    });
  });
});

describe('resultType', () => {
  test('the observed examples of the notes (x64 off)', () => {
    x64(false, () => {
      expect(resultType('int8', 1)).toEqual({ dtype: 'int8', weak: false });
      expect(resultType('bfloat16', 2.5)).toEqual({ dtype: 'bfloat16', weak: false });
      expect(resultType('int32', 1.5)).toEqual({ dtype: 'float32', weak: true });
      expect(resultType(2)).toEqual({ dtype: 'int32', weak: true });
      expect(resultType(2.5)).toEqual({ dtype: 'float32', weak: true });
      expect(resultType(2, 3)).toEqual({ dtype: 'int32', weak: true });
    });
  });

  test('u64 ⊔ i8 is a weak float64 with x64 on, int32 with x64 off', () => {
    expect(x64(true, () => resultType('uint64', 'int8'))).toEqual({ dtype: 'float64', weak: true });
    expect(x64(false, () => resultType('uint64', 'int8'))).toEqual({ dtype: 'int32', weak: false });
  });

  test('one operand keeps its dtype (canonicalized); a weak one becomes its kind default', () => {
    x64(false, () => {
      expect(resultType('float64')).toEqual({ dtype: 'float32', weak: false });
      expect(resultType({ dtype: 'int8', weak: true })).toEqual({ dtype: 'int32', weak: true });
      expect(resultType({ dtype: 'bfloat16', weak: true })).toEqual({ dtype: 'float32', weak: true });
    });
    expect(x64(true, () => resultType('float64'))).toEqual({ dtype: 'float64', weak: false });
  });

  test('all weak: the join of the strong dtypes, flagged weak, as the kind default (dtypes.py)', () => {
    x64(false, () => {
      expect(resultType({ dtype: 'int16', weak: true }, { dtype: 'int8', weak: true })).toEqual({
        dtype: 'int32',
        weak: true,
      });
      expect(resultType({ dtype: 'uint8', weak: true }, { dtype: 'uint8', weak: true })).toEqual({
        dtype: 'uint32',
        weak: true,
      });
      expect(resultType(1, 2.5, 3n)).toEqual({ dtype: 'float32', weak: true });
    });
    expect(x64(true, () => resultType({ dtype: 'uint64', weak: true }, { dtype: 'int8', weak: true }))).toEqual({
      dtype: 'float64',
      weak: true,
    });
  });

  test('bool is never weak', () => {
    expect(resultType({ dtype: 'bool', weak: true })).toEqual({ dtype: 'bool', weak: false });
    expect(resultType(true, false)).toEqual({ dtype: 'bool', weak: false });
    expect(x64(false, () => resultType(true, 1))).toEqual({ dtype: 'int32', weak: true });
  });

  test('takes array-likes with weakType, and joins more than two operands', () => {
    x64(false, () => {
      expect(resultType({ dtype: 'float16', weakType: false }, { dtype: 'float32', weakType: true })).toEqual({
        dtype: 'float16',
        weak: false,
      });
      expect(resultType('uint8', 'int8', 'bfloat16', 2)).toEqual({ dtype: 'bfloat16', weak: false });
      expect(resultType('uint8', 'int8', 7)).toEqual({ dtype: 'int16', weak: false });
    });
  });

  test('reads x64 at call time', () => {
    expect(x64(false, () => resultType(1.5))).toEqual({ dtype: 'float32', weak: true });
    expect(x64(true, () => resultType(1.5))).toEqual({ dtype: 'float64', weak: true });
  });

  test('errors: no operands, an unknown dtype', () => {
    expect(() => resultType()).toThrow('at least one');
    expect(() => resultType('float31' as DType)).toThrow('resultType: unknown dtype "float31"');
    expect(() => resultType({ dtype: 'int4' as DType, weak: false })).toThrow(TypeError);
  });
});

describe('promoteTypes (jnp.promote_types)', () => {
  test('with x64 on, every strong pair is the x64 table cell', () => {
    x64(true, () => {
      for (const [row, columns, cells] of parseTable(TABLE_X64).slice(0, 15)) {
        for (let j = 0; j < 15; j++) {
          expect([row, columns[j], promoteTypes(SHORT[row], SHORT[columns[j]])]).toEqual([
            row,
            columns[j],
            cell(cells[j]).dtype,
          ]);
        }
      }
    });
  });

  test('as in JAX, inputs are not canonicalized with x64 off, but the x32 lattice applies', () => {
    x64(false, () => {
      expect(promoteTypes('uint32', 'int32')).toBe('int32');
      expect(promoteTypes('int64', 'uint32')).toBe('int64');
      expect(promoteTypes('float64', 'float32')).toBe('float64');
      // A weak join is NumPy's type for a Python scalar (tests/dtypes_test.py compares with np.promote_types).
      expect(promoteTypes('int8', 'uint64')).toBe('float64');
    });
    expect(x64(true, () => promoteTypes('uint32', 'int32'))).toBe('int64');
  });

  test('cases from tests/dtypes_test.py', () => {
    expect(promoteTypes('float16', 'bfloat16')).toBe('float32');
    for (const d of DTYPES) {
      expect(promoteTypes(d, d)).toBe(d);
      expect(promoteTypes(d, 'bool')).toBe(d);
      expect(promoteTypes(d, 'complex128')).toBe('complex128');
    }
  });
});

describe('scalarDType: JS scalars are weak as Python scalars are', () => {
  test.each([
    [2, false, { dtype: 'int32', weak: true }],
    [2.5, false, { dtype: 'float32', weak: true }],
    [true, false, { dtype: 'bool', weak: false }],
    [3n, false, { dtype: 'int32', weak: true }],
    [NaN, false, { dtype: 'float32', weak: true }],
    [-Infinity, false, { dtype: 'float32', weak: true }],
    [2, true, { dtype: 'int64', weak: true }],
    [2.5, true, { dtype: 'float64', weak: true }],
    [false, true, { dtype: 'bool', weak: false }],
    [3n, true, { dtype: 'int64', weak: true }],
  ] as const)('%p with x64 %p', (value, enableX64, expected) => {
    expect(x64(enableX64, () => scalarDType(value))).toEqual(expected);
  });
});

describe('names', () => {
  test('dtype constants are the names, in DTYPES order', () => {
    expect(dtypes.float32).toBe('float32');
    expect(dtypes.bfloat16).toBe('bfloat16');
    expect(Object.values(dtypes)).toEqual([...DTYPES]);
    expect(DTYPES).toHaveLength(15);
  });

  test('checkDType returns a known name and names the operation and the unknown one', () => {
    expect(checkDType('uint16', 'jnp.zeros')).toBe('uint16');
    expect(() => checkDType('float31', 'jnp.zeros')).toThrow(
      new TypeError(
        'jnp.zeros: unknown dtype "float31"; expected one of bool, int8, int16, int32, int64, uint8, ' +
          'uint16, uint32, uint64, float16, bfloat16, float32, float64, complex64, complex128',
      ),
    );
    expect(() => checkDType(32, 'jnp.ones')).toThrow('jnp.ones: unknown dtype 32;');
    expect(() => checkDType(undefined, 'astype')).toThrow('astype: unknown dtype undefined;');
  });
});

describe('kinds', () => {
  // [dtype, bool, signed, unsigned, floating, complex, itemsize]
  const kinds: [DType, boolean, boolean, boolean, boolean, boolean, number][] = [
    ['bool', true, false, false, false, false, 1],
    ['int8', false, true, false, false, false, 1],
    ['int16', false, true, false, false, false, 2],
    ['int32', false, true, false, false, false, 4],
    ['int64', false, true, false, false, false, 8],
    ['uint8', false, false, true, false, false, 1],
    ['uint16', false, false, true, false, false, 2],
    ['uint32', false, false, true, false, false, 4],
    ['uint64', false, false, true, false, false, 8],
    ['float16', false, false, false, true, false, 2],
    ['bfloat16', false, false, false, true, false, 2],
    ['float32', false, false, false, true, false, 4],
    ['float64', false, false, false, true, false, 8],
    ['complex64', false, false, false, false, true, 8],
    ['complex128', false, false, false, false, true, 16],
  ];
  test.each(kinds)('%s', (d, bool, signed, unsigned, floating, complex, size) => {
    expect([isBool(d), isSignedInteger(d), isUnsignedInteger(d), isFloating(d), isComplex(d)]).toEqual([
      bool,
      signed,
      unsigned,
      floating,
      complex,
    ]);
    expect(isInteger(d)).toBe(signed || unsigned);
    expect(isInexact(d)).toBe(floating || complex);
    expect(itemsize(d)).toBe(size);
  });
});

describe('x64', () => {
  test('canonicalizeDType maps 64-bit dtypes to 32 bits only with x64 off', () => {
    const narrowed = { int64: 'int32', uint64: 'uint32', float64: 'float32', complex128: 'complex64' } as const;
    for (const d of DTYPES) {
      const wide = d in narrowed;
      expect(x64(false, () => canonicalizeDType(d))).toBe(wide ? narrowed[d as keyof typeof narrowed] : d);
      expect(x64(true, () => canonicalizeDType(d))).toBe(d);
    }
  });

  test('default dtypes', () => {
    const defaults = () => [defaultIntDType(), defaultUIntDType(), defaultFloatDType(), defaultComplexDType()];
    expect(x64(false, defaults)).toEqual(['int32', 'uint32', 'float32', 'complex64']);
    expect(x64(true, defaults)).toEqual(['int64', 'uint64', 'float64', 'complex128']);
  });
});

describe('finfo (numpy.finfo, ml_dtypes.finfo for bfloat16)', () => {
  test.each([
    {
      dtype: 'float16',
      bits: 16,
      eps: 0.0009765625,
      max: 65504,
      min: -65504,
      tiny: 6.103515625e-5,
      smallestSubnormal: 5.960464477539063e-8,
      resolution: 1e-3,
      precision: 3,
      nmant: 10,
      nexp: 5,
      maxexp: 16,
      minexp: -14,
    },
    {
      dtype: 'bfloat16',
      bits: 16,
      eps: 0.0078125,
      max: 3.3895313892515355e38,
      min: -3.3895313892515355e38,
      tiny: 1.1754943508222875e-38,
      smallestSubnormal: 9.183549615799121e-41,
      resolution: 1e-2,
      precision: 2,
      nmant: 7,
      nexp: 8,
      maxexp: 128,
      minexp: -126,
    },
    {
      dtype: 'float32',
      bits: 32,
      eps: 1.1920928955078125e-7,
      max: 3.4028234663852886e38,
      min: -3.4028234663852886e38,
      tiny: 1.1754943508222875e-38,
      smallestSubnormal: 1.401298464324817e-45,
      resolution: 1e-6,
      precision: 6,
      nmant: 23,
      nexp: 8,
      maxexp: 128,
      minexp: -126,
    },
    {
      dtype: 'float64',
      bits: 64,
      eps: Number.EPSILON,
      max: Number.MAX_VALUE,
      min: -Number.MAX_VALUE,
      tiny: 2.2250738585072014e-308,
      smallestSubnormal: Number.MIN_VALUE,
      resolution: 1e-15,
      precision: 15,
      nmant: 52,
      nexp: 11,
      maxexp: 1024,
      minexp: -1022,
    },
  ] as const)('$dtype', (expected) => {
    expect(finfo(expected.dtype)).toEqual(expected);
  });

  test('a complex dtype gives its real part', () => {
    expect(finfo('complex64')).toEqual(finfo('float32'));
    expect(finfo('complex128')).toEqual(finfo('float64'));
    expect(finfo('complex64').dtype).toBe('float32');
  });

  test('a non-float dtype is a TypeError naming it', () => {
    expect(() => finfo('int32')).toThrow(new TypeError('finfo: dtype int32 is not a floating or complex dtype'));
    expect(() => finfo('bool')).toThrow(TypeError);
  });
});

describe('iinfo (numpy.iinfo)', () => {
  test.each([
    { dtype: 'int8', bits: 8, min: -128, max: 127 },
    { dtype: 'int16', bits: 16, min: -32768, max: 32767 },
    { dtype: 'int32', bits: 32, min: -2147483648, max: 2147483647 },
    { dtype: 'int64', bits: 64, min: -9223372036854775808n, max: 9223372036854775807n },
    { dtype: 'uint8', bits: 8, min: 0, max: 255 },
    { dtype: 'uint16', bits: 16, min: 0, max: 65535 },
    { dtype: 'uint32', bits: 32, min: 0, max: 4294967295 },
    { dtype: 'uint64', bits: 64, min: 0n, max: 18446744073709551615n },
  ] as const)('$dtype', (expected) => {
    expect(iinfo(expected.dtype)).toEqual(expected);
  });

  test('a non-integer dtype is a TypeError naming it', () => {
    expect(() => iinfo('float32')).toThrow(new TypeError('iinfo: dtype float32 is not an integer dtype'));
    expect(() => iinfo('bool')).toThrow(TypeError);
  });
});
