// Bad input raises clear JS errors and the process keeps working.
import { PjrtError } from '../../lib/runtime/errors.js';
import { cpuBackend, numbers, program } from './helpers.js';

const backend = cpuBackend();
const addText = program(
  '(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32>',
  '    %0 = stablehlo.add %a, %b : tensor<3xf32>\n    return %0 : tensor<3xf32>',
);
const f32 = (values: number[]) => backend.bufferFromHost(new Float32Array(values), 'float32', [values.length]);

async function stillWorks(): Promise<void> {
  const exe = await backend.compile(addText);
  const [out] = await exe.run([f32([1, 2, 3]), f32([1, 1, 1])]);
  expect(numbers(await out!.toHost())).toEqual([2, 3, 4]);
}

describe('errors', () => {
  test('malformed MLIR rejects with a PjrtError carrying XLA code and message', async () => {
    const error = await backend.compile('module { this is not mlir', { cache: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PjrtError);
    expect((error as PjrtError).code).toMatch(/^(INVALID_ARGUMENT|UNKNOWN)$/);
    expect((error as PjrtError).message).toMatch(/^PJRT_Client_Compile: .*error/s);
    expect(() => backend.compileSync('func.func @broken(', { cache: false })).toThrow(PjrtError);
    await stillWorks();
  });

  test('a type error inside a well-formed module is reported by the compiler', async () => {
    const bad = program('(%a: tensor<3xf32>) -> tensor<3xi32>', '    return %a : tensor<3xf32>');
    await expect(backend.compile(bad, { cache: false })).rejects.toThrow(PjrtError);
    await stillWorks();
  });

  test('a wrong argument count names the expected arguments', async () => {
    const exe = await backend.compile(addText);
    expect(() => exe.execute([f32([1, 2, 3])])).toThrow(
      'execute: the program takes 2 argument(s) (float32[3], float32[3]) but 1 were given',
    );
    await stillWorks();
  });

  test('a wrong dtype or shape names the argument, the given and the expected type', async () => {
    const exe = await backend.compile(addText);
    const ints = backend.bufferFromHost(new Int32Array([1, 2, 3]), 'int32', [3]);
    expect(() => exe.execute([f32([1, 2, 3]), ints])).toThrow('execute: argument 1 is int32[3] but the program expects float32[3]');
    expect(() => exe.execute([f32([1, 2]), f32([1, 2, 3])])).toThrow('execute: argument 0 is float32[2] but the program expects float32[3]');
    await stillWorks();
  });

  test('host data that does not match the dtype or shape is rejected before PJRT', () => {
    expect(() => backend.bufferFromHost(new Float64Array(3), 'float32', [3])).toThrow(
      'bufferFromHost: float32 data must be a Float32Array (or raw bytes in a Uint8Array), got a Float64Array',
    );
    expect(() => backend.bufferFromHost(new Float32Array(5), 'float32', [2, 3])).toThrow(
      'bufferFromHost: float32[2,3] needs 6 Float32Array elements, got 5',
    );
    expect(() => backend.bufferFromHost(new Float32Array(3), 'float31' as never, [3])).toThrow('bufferFromHost: unknown dtype "float31"');
    expect(() => backend.bufferFromHost(new Float32Array(3), 'float32', [3], 7)).toThrow('device index 7 is out of range');
    expect(() => backend.bufferFromHost(new Float32Array(3), 'float32', [-3])).toThrow('non-negative integers');
  });

  test('the native layer checks its own arguments', () => {
    const client = backend.native;
    expect(() => client.bufferFromHost(new Uint8Array(3), 11, [1], 0)).toThrow('bufferFromHost: 3 bytes given but the shape needs 1 elements of 4 bytes (4 bytes)');
    expect(() => client.bufferFromHost(new Uint8Array(4), 99, [1], 0)).toThrow('unsupported PJRT element type 99');
    expect(() => client.bufferFromHost('x' as never, 11, [1], 0)).toThrow('expected a TypedArray or DataView');
    expect(() => client.memoryStats(-1)).toThrow('memoryStats: device index -1 out of range [0, 1)');
  });

  test('use after dispose raises and does not crash', async () => {
    const exe = await backend.compile(addText);
    const a = f32([1, 2, 3]);
    const b = f32([4, 5, 6]);
    a.dispose();
    a.dispose(); // idempotent
    expect(a.isDisposed).toBe(true);
    expect(() => a.toHostSync()).toThrow('this buffer has been disposed');
    await expect(a.toHost()).rejects.toThrow('this buffer has been disposed');
    expect(() => exe.execute([a, b])).toThrow('execute: argument 0 has been disposed');
    expect(() => exe.native.execute([[a.native, b.native]])).toThrow('execute: argument 0 for device 0 has been disposed');
    const exe2 = await backend.compile(addText, { cache: false });
    exe2.dispose();
    expect(() => exe2.execute([b, b])).toThrow('this executable has been disposed');
    expect(() => exe2.native.serialize()).toThrow('this executable has been disposed');
    await stillWorks();
  });

  test('native classes cannot be constructed from JS', () => {
    const ctor = (backend.native as unknown as { constructor: new () => unknown }).constructor;
    expect(() => new ctor()).toThrow('Client cannot be constructed directly');
  });

  test('a buffer disposed while its readback is pending still completes the readback', async () => {
    const a = f32([7, 8, 9]);
    const pending = a.toHost();
    a.dispose();
    expect(numbers(await pending)).toEqual([7, 8, 9]);
  });
});
