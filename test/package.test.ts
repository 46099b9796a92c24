// The built package loads through both `import` and `require` (Node >= 20.19 requires ESM).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (code: string, type: 'commonjs' | 'module') =>
  spawnSync(process.execPath, [`--input-type=${type}`, '-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, JAXTS_PLATFORMS: 'cpu' } });

test('require("jaxts") works and runs a program', () => {
  const result = run(
    `const j = require(${JSON.stringify(root + path.sep)}) /* the package folder, never a same-named .json beside it */;
     const b = j.getBackend('cpu');
     const x = b.bufferFromHost(new Int32Array([5, 6]), 'int32', [2]);
     const y = j.jit((a) => a.mul(2))(j.numpy.array([1, 2, 3]));
     console.log(typeof j.jit, String(b.devices[0]), Array.from(x.toHostSync()).join(','), y.tolistSync().join(','));`,
    'commonjs',
  );
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.stdout.trim()).toBe('function CpuDevice(id=0) 5,6 2,4,6');
});

test('import from "jaxts" works by package name', () => {
  const result = run(`import { devices, PjrtError } from 'jaxts'; console.log(devices('cpu').length, typeof PjrtError);`, 'module');
  expect(result.stdout.trim()).toBe('1 function');
});
