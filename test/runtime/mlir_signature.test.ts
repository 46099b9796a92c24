import { parseMainSignature, parseTensorType } from '../../lib/runtime/mlir_signature.js';

test('tensor types', () => {
  expect(parseTensorType('tensor<2x3xf32>')).toEqual({ dtype: 'float32', shape: [2, 3] });
  expect(parseTensorType('tensor<i1>')).toEqual({ dtype: 'bool', shape: [] });
  expect(parseTensorType('tensor<0x4xcomplex<f64>>')).toEqual({ dtype: 'complex128', shape: [0, 4] });
  expect(parseTensorType('tensor<7xui32>')).toEqual({ dtype: 'uint32', shape: [7] });
  expect(parseTensorType('tensor<?x3xf32>')).toBeUndefined();
  expect(parseTensorType('tensor<3xf8E4M3FN>')).toBeUndefined();
});

test('the signature of @main as JAX prints it, with attributes', () => {
  const text = `module @jit_f attributes {mhlo.num_partitions = 1 : i32} {
  func.func public @main(%arg0: tensor<3xf32> {tf.aliasing_output = 0 : i32}, %arg1: tensor<2x2xbf16>) -> (tensor<3xf32> {jax.result_info = "[0]"}, tensor<i32>) {
    return %arg0, %c : tensor<3xf32>, tensor<i32>
  }
  func.func private @helper(%arg0: tensor<f64>) -> tensor<f64> { return %arg0 : tensor<f64> }
}`;
  expect(parseMainSignature(text)).toEqual({
    params: [
      { dtype: 'float32', shape: [3] },
      { dtype: 'bfloat16', shape: [2, 2] },
    ],
    results: [
      { dtype: 'float32', shape: [3] },
      { dtype: 'int32', shape: [] },
    ],
  });
});

test('a single unparenthesised result and no parameters', () => {
  expect(parseMainSignature('func.func public @main() -> tensor<4xi64> {\n}')).toEqual({ params: [], results: [{ dtype: 'int64', shape: [4] }] });
});

test('unreadable signatures give undefined', () => {
  expect(parseMainSignature('module {}')).toBeUndefined();
  expect(parseMainSignature('func.func public @main(%a: tensor<?xf32>) -> tensor<f32> {}')).toBeUndefined();
});
