// Every mapped element type round-trips bit-exactly through a device buffer and a program.
import { mlirTypeOf, type ElementType, type HostArray } from '../../lib/runtime/element_types.js';
import { cpuBackend, numbers, program } from './helpers.js';

const backend = cpuBackend();

// Edge values per dtype, as host arrays of 5 elements (bit patterns for the 16-bit floats).
const cases: [ElementType, HostArray][] = [
  ['bool', new Uint8Array([0, 1, 1, 0, 1])],
  ['int8', new Int8Array([-128, -1, 0, 1, 127])],
  ['int16', new Int16Array([-32768, -1, 0, 1, 32767])],
  ['int32', new Int32Array([-2147483648, -1, 0, 1, 2147483647])],
  ['int64', new BigInt64Array([-(2n ** 63n), -1n, 0n, 1n, 2n ** 63n - 1n])],
  ['uint8', new Uint8Array([0, 1, 127, 128, 255])],
  ['uint16', new Uint16Array([0, 1, 32767, 32768, 65535])],
  ['uint32', new Uint32Array([0, 1, 2147483647, 2147483648, 4294967295])],
  ['uint64', new BigUint64Array([0n, 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n])],
  // 0, -0, 1, +inf, nan
  ['float16', new Uint16Array([0x0000, 0x8000, 0x3c00, 0x7c00, 0x7e00])],
  // 1, -inf, nan, smallest subnormal, -0
  ['bfloat16', new Uint16Array([0x3f80, 0xff80, 0x7fc0, 0x0001, 0x8000])],
  ['float32', new Float32Array([-0, Infinity, NaN, 1e-45, 3.4028234663852886e38])],
  ['float64', new Float64Array([-0, -Infinity, NaN, 5e-324, Number.MAX_VALUE])],
  ['complex64', new Float32Array([1, -1, 0, -0, 2.5, NaN, Infinity, 3, -7.25, 1e-45])],
  ['complex128', new Float64Array([1, -1, 0, -0, 2.5, NaN, -Infinity, 3, -7.25, 5e-324])],
];

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe.each(cases)('%s', (dtype, values) => {
  test('uploads and reads back the same bits, async and sync', async () => {
    const buffer = backend.bufferFromHost(values, dtype, [5]);
    expect(buffer.dtype).toBe(dtype);
    expect(buffer.native.dims).toEqual([5]);
    const back = await buffer.toHost();
    expect(back.constructor).toBe(values.constructor);
    expect(bytesOf(back).equals(bytesOf(values))).toBe(true);
    expect(bytesOf(buffer.toHostSync()).equals(bytesOf(values))).toBe(true);
    buffer.dispose();
  });

  test('passes through a program unchanged', async () => {
    const t = `tensor<5x${mlirTypeOf(dtype)}>`;
    const exe = await backend.compile(program(`(%x: ${t}) -> ${t}`, `    return %x : ${t}`));
    expect(exe.outputTypes).toEqual([{ dtype, shape: [5] }]);
    const [out] = await exe.run([backend.bufferFromHost(values, dtype, [5])]);
    expect(bytesOf(await out!.toHost()).equals(bytesOf(values))).toBe(true);
  });

  test('accepts raw bytes', async () => {
    const raw = new Uint8Array(bytesOf(values));
    const buffer = backend.bufferFromHost(raw, dtype, [5]);
    expect(bytesOf(await buffer.toHost()).equals(bytesOf(values))).toBe(true);
  });
});

test('scalars and empty arrays round-trip', async () => {
  const scalar = backend.bufferFromHost(new Float64Array([Math.PI]), 'float64', []);
  expect(numbers(await scalar.toHost())).toEqual([Math.PI]);
  const empty = backend.bufferFromHost(new Int32Array(0), 'int32', [0, 3]);
  expect(empty.shape).toEqual([0, 3]);
  expect((await empty.toHost()).length).toBe(0);
  expect(empty.toHostSync().length).toBe(0);
});
