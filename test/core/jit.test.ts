// jit: tracing, caching by signature, nesting, static and donated arguments, AOT lowering.
import { config, grad, jit, makeJaxpr, numpy as jnp, vmap, type Array } from '../../lib/index.js';

const values = (x: Array) => globalThis.Array.from(x.dataSync() as Float32Array);

describe('jit', () => {
  test('gives the same bits as eager execution', () => {
    const f = (x: Array, y: Array) => jnp.tanh(jnp.dot(x, y)).mul(2).sum(0);
    const x = jnp.array([[0.5, -1.25, 2], [3, 0.125, -0.75]]);
    const y = jnp.array([[1.5, 0.25], [-2, 1], [0.5, 0.5]]);
    const eager = f(x, y);
    const compiled = jit(f)(x, y);
    expect(compiled.shape).toEqual([2]);
    expect(Buffer.from((compiled.dataSync() as Float32Array).buffer).equals(Buffer.from((eager.dataSync() as Float32Array).buffer))).toBe(true);
  });

  test('traces once per distinct input signature', () => {
    let calls = 0;
    const f = jit((x: Array) => {
      calls++;
      return x.mul(x);
    });
    f(jnp.array([1, 2, 3], { dtype: 'float32' }));
    f(jnp.array([4, 5, 6], { dtype: 'float32' }));
    expect(calls).toBe(1);
    expect(f.stats.traces).toBe(1);
    expect(f.stats.hits).toBe(1);
    f(jnp.array([1, 2], { dtype: 'float32' })); // new shape
    f(jnp.array([1, 2, 3], { dtype: 'int32' })); // new dtype
    f(2.5 as never); // weak scalar
    f(jnp.asarray(2.5, 'float32')); // strong scalar: weak types key the cache
    expect(calls).toBe(5);
    expect(f.stats.compiles).toBe(5);
    expect(f.stats.misses[0]).toBe('first call');
  });

  test('the steady-state fast path retraces on a new signature and defers to transformations', () => {
    let calls = 0;
    const f = jit((x: Array) => {
      calls++;
      return x.mul(x).sum();
    });
    const x = jnp.array([1, 2, 3], { dtype: 'float32' });
    for (let i = 0; i < 3; i++) expect(f(x).item()).toBe(14); // repeated calls: the fast path
    expect(calls).toBe(1);
    expect(f(jnp.array([1, 2], { dtype: 'float32' })).item()).toBe(5); // new shape: traced again
    expect(f(jnp.array([1, 2, 3], { dtype: 'int32' })).dtype).toBe('int32');
    expect(f(x).item()).toBe(14);
    expect(calls).toBe(3);
    // Under grad and vmap the call is traced, not dispatched, even right after eager calls.
    expect(values(grad(f)(x))).toEqual([2, 4, 6]);
    expect(values(vmap(f)(jnp.array([[1, 2], [3, 4]], { dtype: 'float32' })))).toEqual([5, 25]);
    const d = jnp.array([1, 2, 3], { dtype: 'float32' }).add(0);
    f(d);
    d.dispose();
    expect(() => f(d)).toThrow(/disposed/);
  });

  test('the x64 flag is part of the cache key', () => {
    let calls = 0;
    const f = jit((x: Array) => {
      calls++;
      return x.add(1);
    });
    const x = jnp.array([1, 2]);
    expect(f(x).dtype).toBe('int32');
    config.with({ enableX64: true }, () => {
      const y = jnp.array([1, 2]);
      expect(y.dtype).toBe('int64');
      expect(f(y).dtype).toBe('int64');
    });
    expect(calls).toBe(2);
  });

  test('pytrees in and out', () => {
    const f = jit((p: { w: Array; b: Array }, xs: Array[]) => ({ y: jnp.dot(xs[0]!, p.w).add(p.b), n: xs.length }));
    const out = f({ w: jnp.array([[2], [3]], { dtype: 'float32' }), b: jnp.array([1], { dtype: 'float32' }) }, [jnp.array([[1, 1]], { dtype: 'float32' })]) as unknown as {
      y: Array;
      n: Array;
    };
    expect(out.y.tolistSync()).toEqual([[6]]);
    expect(out.n.item()).toBe(1);
  });

  test('static arguments specialise the program', () => {
    let calls = 0;
    const f = jit(
      (x: Array, power: number) => {
        calls++;
        return jnp.power(x, power);
      },
      { staticArgnums: 1 },
    );
    const x = jnp.array([1, 2, 3], { dtype: 'float32' });
    expect(values(f(x, 2))).toEqual([1, 4, 9]);
    expect(values(f(x, 3))).toEqual([1, 8, 27]);
    expect(values(f(x, 2))).toEqual([1, 4, 9]);
    expect(calls).toBe(2);
  });

  test('jit inside jit lowers to a private function', () => {
    const inner = jit((x: Array) => x.mul(3));
    const outer = jit((x: Array) => inner(x).add(1));
    const x = jnp.array([1, 2], { dtype: 'float32' });
    expect(values(outer(x))).toEqual([4, 7]);
    const text = outer.lower(x).asText();
    expect(text).toMatch(/func\.func private @/);
    expect(text).toMatch(/func\.call @/);
    expect(makeJaxpr((y: Array) => inner(y).add(1))(x).toString()).toMatch(/pjit\[/);
  });

  test('donated arguments are consumed', () => {
    const f = jit((x: Array) => x.add(1), { donateArgnums: 0 });
    const x = jnp.array([1, 2, 3], { dtype: 'float32' }).add(0); // on the device
    const y = f(x);
    expect(values(y)).toEqual([2, 3, 4]);
    expect(() => x.dataSync()).toThrow(/donated|disposed/);
    expect(f.lower(jnp.zeros([3])).asText()).toMatch(/tf\.aliasing_output = 0 : i32/);
  });

  test('ahead-of-time lowering and compilation', () => {
    const f = jit(function scale(x: Array) {
      return x.mul(2);
    });
    const lowered = f.lower(jnp.zeros([4]));
    expect(lowered.asText()).toMatch(/^module @jit_scale attributes \{mhlo\.num_partitions = 1 : i32, mhlo\.num_replicas = 1 : i32\}/);
    expect(lowered.asText()).toMatch(/func\.func public @main\(%arg0: tensor<4xf32>\) -> \(tensor<4xf32>\)/);
    const exe = lowered.compile();
    expect(exe.outputTypes).toEqual([{ dtype: 'float32', shape: [4] }]);
    expect(f.stats.lastTraceMs).toBeGreaterThan(0);
    expect(f.stats.lastCompileMs).toBeGreaterThan(0);
  });

  test('non-array arguments must be static', () => {
    const f = jit((x: Array, _name: string) => x);
    expect(() => f(jnp.zeros([1]), 'hello' as never)).toThrow('argument leaf 1 of type string is not an array; mark it static with staticArgnums');
  });
});
