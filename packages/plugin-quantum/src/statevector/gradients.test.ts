import { Rng } from '@paperlab/core';
import { useWasm } from '@paperlab/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralDifference } from '../__tests__/centralDifference.js';
import { denseExpectation, denseSimulate, observableDense } from '../__tests__/denseReference.js';
import { randomCase } from '../__tests__/randomCircuit.js';
import { Circuit } from '../circuits/circuit.js';
import { compileObservables, hamiltonian, pauli, projector, X, Y, Z } from '../circuits/observables.js';
import { type DiffMethod, QuantumLayer } from '../layers/quantumLayer.js';
import { adjointJacobian, adjointVjp, contractJacobian, parameterShiftJacobian } from './gradients.js';
import { expectationsTf, simulateTf } from './tfSim.js';

describe('gradients: backprop, adjoint, parameter-shift and finite differences agree', () => {
  beforeAll(useWasm);

  const n = 4;
  const batch = 2;
  const { compiled, angles } = randomCase(n, 40, 21, batch, 8);
  const G = compiled.slots.length;
  const observables = [
    Z(0),
    pauli('XY', [1, 3]),
    hamiltonian([
      [0.7, Y(2)],
      [-0.4, pauli('ZZX')],
      [1.2, projector([1, 2], [0, 1])],
    ]),
  ];
  const obs = compileObservables(n, observables);
  const K = observables.length;
  const dy = Float64Array.from(new Rng(4).normals(batch * K));

  // Central differences on the Float64 dense reference.
  const fd = new Float64Array(batch * G);
  const dense = observables.map((o) => observableDense(n, o));
  const f = (a: Float64Array, b: number) => {
    const [re, im] = denseSimulate(compiled, a, b);
    return dense.reduce((acc, o, k) => acc + dy[b * K + k]! * denseExpectation(o, re, im), 0);
  };
  const base = Float64Array.from(angles);
  for (let b = 0; b < batch; b++)
    for (let g = 0; g < G; g++) fd[b * G + g] = centralDifference((a) => f(a, b), base, b * G + g, 1e-5);

  const close = (got: ArrayLike<number>, what: string, tol = 2e-4) => {
    let worst = 0;
    for (let i = 0; i < fd.length; i++) worst = Math.max(worst, Math.abs(got[i]! - fd[i]!));
    expect(worst, `${what}: max |Δ| vs finite differences`).toBeLessThan(tol);
  };

  it('has non-trivial gradients to compare', () => {
    expect(G).toBeGreaterThan(10);
    expect(Math.max(...Array.from(fd, Math.abs))).toBeGreaterThan(0.05);
  });

  it('adjoint VJP', () => close(adjointVjp(compiled, angles, batch, obs, dy).grad, 'adjoint'));

  it('adjoint refuses non-unitary circuits with a clear error', () => {
    const c = new Circuit(2).ry(0, new Circuit(2).param()).postselect(1, 0).compile();
    expect(() => adjointVjp(c, new Float32Array([0.3]), 1, compileObservables(2, [Z(0)]), [1])).toThrow(
      /non-unitary/,
    );
  });

  it('a hybrid tfjs model (dense → quantum layer → dense) trains end to end', () => {
    const qc = new Circuit(2);
    qc.ry(0, qc.input(0)).ry(1, qc.input(1)).cnot(0, 1).ry(0, qc.param()).ry(1, qc.param());
    const layer = new QuantumLayer({ circuit: qc, observables: [Z(0), Z(1)], rng: new Rng(1) });
    const rng = new Rng(2);
    const w1 = tf.variable(tf.tensor2d(rng.normals(4, 0, 0.5), [2, 2]));
    const w2 = tf.variable(tf.tensor2d(rng.normals(2, 0, 0.5), [2, 1]));
    // XOR-like target on the signs of two inputs.
    const X = rng.uniforms(64 * 2, -1, 1);
    const yv = Float32Array.from({ length: 64 }, (_, i) => (X[2 * i]! * X[2 * i + 1]! > 0 ? 1 : -1));
    const x = tf.tensor2d(X, [64, 2]);
    const y = tf.tensor2d(yv, [64, 1]);
    const opt = tf.train.adam(0.05);
    const loss = () =>
      tf.tidy(
        () =>
          tf.mean(
            tf.square(tf.sub(tf.matMul(layer.apply(tf.matMul(x, w1) as tf.Tensor2D), w2), y)),
          ) as tf.Scalar,
      );
    const first = loss().dataSync()[0]!;
    for (let i = 0; i < 60; i++) opt.minimize(loss, true, [w1, w2, layer.weights!])?.dispose();
    const last = loss().dataSync()[0]!;
    expect(last).toBeLessThan(0.6 * first);
    tf.dispose([w1, w2, x, y]);
    opt.dispose();
    layer.dispose();
  });

  it('parameter-shift (two- and four-term rules)', () =>
    close(
      contractJacobian(parameterShiftJacobian(compiled, angles, batch, obs), dy, batch, K),
      'parameter-shift',
    ));

  it('parameter-shift and adjoint full Jacobians agree', () => {
    const a = adjointJacobian(compiled, angles, batch, obs);
    const p = parameterShiftJacobian(compiled, angles, batch, obs, { maxAmplitudes: 64 });
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - p[i]!)).toBeLessThan(1e-4);
  });

  it('backprop through the tfjs reference', () => {
    const grad = tf.tidy(() => {
      const a = tf.tensor2d(angles, [batch, G]);
      const w = tf.tensor2d(Float32Array.from(dy), [batch, K]);
      return tf
        .grad((x: tf.Tensor) =>
          tf.sum(tf.mul(expectationsTf(simulateTf(compiled, x as tf.Tensor2D), obs), w)),
        )(a)
        .dataSync();
    });
    close(grad, 'backprop');
  });

  it('QuantumLayer: weight and input gradients agree across methods; no tensor leak', () => {
    const qc = new Circuit(3);
    for (let q = 0; q < 3; q++) qc.ry(q, qc.input(q, 1.3));
    qc.cnot(0, 1).cnot(1, 2).crx(2, 0, qc.param());
    for (let q = 0; q < 3; q++) qc.u3(q, qc.param(), qc.param(), qc.param());
    qc.cz(0, 2).rx(1, qc.param(), { controls: [0] });
    const obsList = [Z(0), X(1), pauli('YZ', [0, 2])];
    const x = new Rng(3).uniforms(4 * 3, -1, 1);
    const results: Record<string, Float32Array[]> = {};
    const before = tf.memory().numTensors;
    for (const m of ['backprop', 'adjoint', 'parameter-shift'] as DiffMethod[]) {
      const layer = new QuantumLayer({ circuit: qc, observables: obsList, diffMethod: m, rng: new Rng(5) });
      const xs = tf.tensor2d(x, [4, 3]);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.mul(layer.apply(xs), tf.tensor2d([1, -2, 0.5], [1, 3]))) as tf.Scalar,
      );
      const gx = tf.tidy(() =>
        tf.grad((xi: tf.Tensor) =>
          tf.sum(tf.mul(layer.apply(xi as tf.Tensor2D), tf.tensor2d([1, -2, 0.5], [1, 3]))),
        )(xs),
      );
      results[m] = [
        value.dataSync() as Float32Array,
        grads[layer.weights!.name]!.dataSync() as Float32Array,
        gx.dataSync() as Float32Array,
      ];
      tf.dispose([value, gx, xs, ...Object.values(grads)]);
      layer.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    for (const m of ['adjoint', 'parameter-shift']) {
      for (let part = 0; part < 3; part++) {
        const a = results.backprop![part]!;
        const b = results[m]![part]!;
        expect(b.length).toBe(a.length);
        for (let i = 0; i < a.length; i++) expect(b[i]!, `${m} part ${part}[${i}]`).toBeCloseTo(a[i]!, 4);
      }
    }
  });
});
