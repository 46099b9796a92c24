// Executables survive serialization; fingerprints identify programs.
import { cpuBackend, numbers, program } from './helpers.js';

const backend = cpuBackend();
const text = program(
  '(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<f32>)',
  `    %0 = stablehlo.multiply %x, %x : tensor<4xf32>
    %init = stablehlo.constant dense<0.0> : tensor<f32>
    %1 = stablehlo.reduce(%0 init: %init) applies stablehlo.add across dimensions = [0] : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
    return %0, %1 : tensor<4xf32>, tensor<f32>`,
);

test('a deserialized executable gives the same results', async () => {
  const exe = await backend.compile(text);
  const bytes = exe.serialize();
  expect(bytes.length).toBeGreaterThan(100);
  const again = backend.deserialize(bytes);
  expect(again.outputTypes).toEqual(exe.outputTypes);
  expect(again.signature).toEqual(exe.signature);
  const x = backend.bufferFromHost(new Float32Array([1, 2, 3, 4]), 'float32', [4]);
  const [a0, a1] = await exe.run([x]);
  const [b0, b1] = await again.run([x]);
  expect(numbers(await b0!.toHost())).toEqual(numbers(await a0!.toHost()));
  expect(numbers(await b1!.toHost())).toEqual([30]);
  expect(numbers(await a1!.toHost())).toEqual([30]);
  // Arguments are still checked after a round trip (the signature travels with the bytes).
  expect(() => again.execute([backend.bufferFromHost(new Float32Array(3), 'float32', [3])])).toThrow('expects float32[4]');
});

test('bytes from elsewhere are rejected clearly', () => {
  expect(() => backend.deserialize(new Uint8Array([1, 2, 3]))).toThrow('these bytes were not made by Executable.serialize()');
});

test('fingerprints are stable for a program and differ between programs', async () => {
  const a = await backend.compile(text, { cache: false });
  const b = await backend.compile(text, { cache: false });
  const other = await backend.compile(text.replace('stablehlo.multiply', 'stablehlo.add'), { cache: false });
  expect(a.fingerprint).toEqual(expect.any(String));
  expect(b.fingerprint).toBe(a.fingerprint);
  expect(other.fingerprint).not.toBe(a.fingerprint);
});

test('compiled programs are cached on disk and reloaded without compiling', async () => {
  const { mkdtempSync, readdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const dir = mkdtempSync(path.join(tmpdir(), 'jaxts-exe-cache-'));
  const saved = process.env.JAXTS_COMPILATION_CACHE_DIR;
  process.env.JAXTS_COMPILATION_CACHE_DIR = dir;
  try {
    const text2 = text.replace('stablehlo.multiply', 'stablehlo.subtract');
    const first = await backend.compile(text2);
    expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    backend.clearCache();
    const before = { ...backend.compileStats };
    const second = backend.compileSync(text2);
    expect(second).not.toBe(first);
    expect(backend.compileStats).toEqual({ compiles: before.compiles, diskHits: before.diskHits + 1 }); // loaded, not compiled
    const x = backend.bufferFromHost(new Float32Array([1, 2, 3, 4]), 'float32', [4]);
    expect(numbers(await second.executeSync([x])[0]!.toHost())).toEqual([0, 0, 0, 0]);
  } finally {
    if (saved === undefined) delete process.env.JAXTS_COMPILATION_CACHE_DIR;
    else process.env.JAXTS_COMPILATION_CACHE_DIR = saved;
  }
});

test('deserializing the same bytes twice gives the one live executable, which keeps working', async () => {
  const bytes = (await backend.compile(text.replace('stablehlo.multiply', 'stablehlo.maximum'), { cache: false })).serialize();
  const a = backend.deserialize(bytes);
  const b = backend.deserialize(bytes);
  expect(b).toBe(a);
  const x = backend.bufferFromHost(new Float32Array([1, -2, 3, -4]), 'float32', [4]);
  expect(numbers(a.executeSync([x])[0]!.toHostSync())).toEqual([1, -2, 3, -4]);
  a.dispose();
  const c = backend.deserialize(bytes); // a fresh copy once the first is gone
  expect(c).not.toBe(a);
  expect(numbers(c.executeSync([x])[0]!.toHostSync())).toEqual([1, -2, 3, -4]);
});
