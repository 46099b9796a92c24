// Installs the Array methods (`x.add(y)`, `x.sum(0)`, ...) on top of the numpy functions.
import { installArrayMethods, type Array } from '../core/array.js';
import * as convert from './convert.js';
import * as indexing from './indexing.js';
import * as linalg from './linalg.js';
import * as reductions from './reductions.js';
import * as shape from './shape.js';
import * as ufuncs from './ufuncs.js';

const BINARY: Record<string, (x: Array, y: Parameters<typeof ufuncs.add>[1]) => Array> = {
  add: ufuncs.add, subtract: ufuncs.subtract, multiply: ufuncs.multiply, divide: ufuncs.divide, power: ufuncs.power,
  maximum: ufuncs.maximum, minimum: ufuncs.minimum, greater: ufuncs.greater, less: ufuncs.less, equal: ufuncs.equal,
  not_equal: ufuncs.notEqual, greater_equal: ufuncs.greaterEqual, less_equal: ufuncs.lessEqual,
};
const UNARY: Record<string, (x: Array) => Array> = {
  negative: ufuncs.negative, abs: ufuncs.abs, exp: ufuncs.exp, log: ufuncs.log, sqrt: ufuncs.sqrt, tanh: ufuncs.tanh, square: ufuncs.square,
};
const REDUCE = { sum: reductions.sum, mean: reductions.mean, max: reductions.max, min: reductions.min, prod: reductions.prod };

installArrayMethods({
  binary: (name, x, y) => BINARY[name]!(x, y),
  unary: (name, x) => UNARY[name]!(x),
  reshape: (x, s) => shape.reshape(x, s),
  transpose: (x, axes) => shape.transpose(x, axes),
  reduce: (name, x, axis, options) => REDUCE[name as keyof typeof REDUCE](x, axis, options),
  astype: (x, dtype) => convert.astype(x, dtype),
  matmul: (x, y) => linalg.matmul(x, y),
  slice: (x, index) => indexing.getItem(x, index),
  at: (x, index) => indexing.at(x, index),
});
