// Hand-written StableHLO programs compiled by the real CPU plugin return exact values.
import { cpuBackend, numbers, program } from './helpers.js';

const backend = cpuBackend();
const f32 = (values: number[], shape: number[]) => backend.bufferFromHost(new Float32Array(values), 'float32', shape);

describe('hand-written StableHLO on the CPU plugin', () => {
  test('elementwise add', async () => {
    const exe = await backend.compile(
      program(
        '(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32>',
        `    %0 = stablehlo.add %a, %b : tensor<2x2xf32>
    return %0 : tensor<2x2xf32>`,
      ),
    );
    const [out] = await exe.run([f32([1, 2, 3, 4], [2, 2]), f32([10, 20, 30, 40], [2, 2])]);
    expect(out!.dtype).toBe('float32');
    expect(out!.shape).toEqual([2, 2]);
    expect(numbers(await out!.toHost())).toEqual([11, 22, 33, 44]);
  });

  test('dot_general: a [2,3] x [3,2] matrix product', async () => {
    const exe = await backend.compile(
      program(
        '(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32>',
        `    %0 = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
    return %0 : tensor<2x2xf32>`,
      ),
    );
    const out = exe.executeSync([f32([1, 2, 3, 4, 5, 6], [2, 3]), f32([7, 8, 9, 10, 11, 12], [3, 2])]);
    // [[1*7+2*9+3*11, 1*8+2*10+3*12], [4*7+5*9+6*11, 4*8+5*10+6*12]]
    expect(numbers(out[0]!.toHostSync())).toEqual([58, 64, 139, 154]);
  });

  test('reduce with a region: row maxima of int32', async () => {
    const exe = await backend.compile(
      program(
        '(%x: tensor<2x3xi32>) -> tensor<2xi32>',
        `    %init = stablehlo.constant dense<-2147483648> : tensor<i32>
    %0 = stablehlo.reduce(%x init: %init) across dimensions = [1] : (tensor<2x3xi32>, tensor<i32>) -> tensor<2xi32>
     reducer(%a: tensor<i32>, %b: tensor<i32>) {
      %m = stablehlo.maximum %a, %b : tensor<i32>
      stablehlo.return %m : tensor<i32>
    }
    return %0 : tensor<2xi32>`,
      ),
    );
    const x = backend.bufferFromHost(new Int32Array([3, -7, 5, -1, -9, -4]), 'int32', [2, 3]);
    const [out] = await exe.run([x]);
    expect(numbers(await out!.toHost())).toEqual([5, -1]);
  });

  test('while loop: doubling 10 times', async () => {
    const exe = await backend.compile(
      program(
        '(%x: tensor<f32>) -> (tensor<i32>, tensor<f32>)',
        `    %zero = stablehlo.constant dense<0> : tensor<i32>
    %r:2 = stablehlo.while(%i = %zero, %v = %x) : tensor<i32>, tensor<f32>
     cond {
      %ten = stablehlo.constant dense<10> : tensor<i32>
      %p = stablehlo.compare LT, %i, %ten, SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %p : tensor<i1>
    } do {
      %one = stablehlo.constant dense<1> : tensor<i32>
      %n = stablehlo.add %i, %one : tensor<i32>
      %two = stablehlo.constant dense<2.0> : tensor<f32>
      %m = stablehlo.multiply %v, %two : tensor<f32>
      stablehlo.return %n, %m : tensor<i32>, tensor<f32>
    }
    return %r#0, %r#1 : tensor<i32>, tensor<f32>`,
      ),
    );
    const [count, value] = await exe.run([f32([1.5], [])]);
    expect(count!.dtype).toBe('int32');
    expect(numbers(await count!.toHost())).toEqual([10]);
    expect(numbers(await value!.toHost())).toEqual([1536]);
  });

  test('several results without tuples, of different dtypes and shapes', async () => {
    const exe = await backend.compile(
      program(
        '(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xi1>, tensor<f32>, tensor<3xi32>)',
        `    %neg = stablehlo.negate %x : tensor<3xf32>
    %zero = stablehlo.constant dense<0.0> : tensor<3xf32>
    %pos = stablehlo.compare GT, %x, %zero, FLOAT : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
    %init = stablehlo.constant dense<0.0> : tensor<f32>
    %sum = stablehlo.reduce(%x init: %init) applies stablehlo.add across dimensions = [0] : (tensor<3xf32>, tensor<f32>) -> tensor<f32>
    %int = stablehlo.convert %x : (tensor<3xf32>) -> tensor<3xi32>
    return %neg, %pos, %sum, %int : tensor<3xf32>, tensor<3xi1>, tensor<f32>, tensor<3xi32>`,
      ),
    );
    expect(exe.numOutputs).toBe(4);
    expect(exe.outputTypes).toEqual([
      { dtype: 'float32', shape: [3] },
      { dtype: 'bool', shape: [3] },
      { dtype: 'float32', shape: [] },
      { dtype: 'int32', shape: [3] },
    ]);
    const outs = await exe.run([f32([-1.5, 2.25, 4], [3])]);
    expect(numbers(await outs[0]!.toHost())).toEqual([1.5, -2.25, -4]);
    expect(numbers(await outs[1]!.toHost())).toEqual([0, 1, 1]);
    expect(numbers(await outs[2]!.toHost())).toEqual([4.75]);
    expect(numbers(await outs[3]!.toHost())).toEqual([-1, 2, 4]);
  });

  test('compilation and readback do not block the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const pending = backend.compile(
      program('(%x: tensor<64xf32>) -> tensor<64xf32>', '    %0 = stablehlo.exponential %x : tensor<64xf32>\n    return %0 : tensor<64xf32>'),
      { cache: false },
    );
    const exe = await pending;
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    const [out] = exe.execute([f32(new Array(64).fill(0), [64])]);
    expect(numbers(await out!.toHost())).toEqual(new Array(64).fill(1));
  });

  test('the compile cache returns the same executable for the same text and options', async () => {
    const text = program('(%x: tensor<2xf32>) -> tensor<2xf32>', '    %0 = stablehlo.abs %x : tensor<2xf32>\n    return %0 : tensor<2xf32>');
    const a = await backend.compile(text);
    const b = await backend.compile(text);
    expect(b).toBe(a);
    a.dispose();
    const c = await backend.compile(text);
    expect(c).not.toBe(a);
    expect(numbers(c.executeSync([f32([-3, 4], [2])])[0]!.toHostSync())).toEqual([3, 4]);
  });
});

describe('donation', () => {
  const text = program(
    '(%x: tensor<4xf32> {tf.aliasing_output = 0 : i32}) -> tensor<4xf32>',
    '    %0 = stablehlo.add %x, %x : tensor<4xf32>\n    return %0 : tensor<4xf32>',
  );

  test('a donated input is consumed and cannot be used again', async () => {
    const exe = await backend.compile(text);
    const x = f32([1, 2, 3, 4], [4]);
    const [y] = await exe.run([x], { donate: [0] });
    expect(numbers(await y!.toHost())).toEqual([2, 4, 6, 8]);
    expect(x.isDisposed).toBe(true);
    expect(() => x.toHostSync()).toThrow('this buffer was donated to a computation and can no longer be used');
    expect(() => exe.execute([x])).toThrow('execute: argument 0 has been disposed');
  });

  test('without `donate`, inputs are never consumed, even when the program aliases them', async () => {
    const exe = await backend.compile(text);
    const x = f32([1, 2, 3, 4], [4]);
    const [y] = await exe.run([x]);
    expect(numbers(await y!.toHost())).toEqual([2, 4, 6, 8]);
    expect(numbers(await x.toHost())).toEqual([1, 2, 3, 4]);
  });
});
