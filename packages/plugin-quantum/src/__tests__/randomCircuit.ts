import { Rng } from '@paperlab/core';
import { Circuit, type CompiledCircuit, hostAngles } from '../circuits/circuit.js';

/** A random circuit touching every gate kind, with trainable parameters and per-example inputs. */
export function randomCircuit(n: number, depth: number, seed: number): Circuit {
  const rng = new Rng(seed);
  const c = new Circuit(n);
  const wire = () => rng.int(n);
  const two = (): [number, number] => {
    const a = wire();
    let b = wire();
    while (b === a) b = wire();
    return [a, b];
  };
  const angle = () =>
    rng.uniform() < 0.5
      ? c.param()
      : rng.uniform() < 0.8
        ? c.input(rng.int(3), 0.5 + rng.uniform())
        : rng.range(-3, 3);
  const third = (a: number, b: number) => {
    let t = wire();
    while (t === a || t === b) t = wire();
    return t;
  };
  // One entry per gate kind, indexed by the drawn k; the wire `w` is drawn before every gate, used or not.
  const gates: Array<(w: number) => void> = [
    (w) => c.h(w),
    (w) => c.x(w),
    (w) => c.y(w),
    (w) => c.z(w),
    (w) => c.s(w),
    (w) => c.t(w),
    (w) => c.rx(w, angle()),
    (w) => c.ry(w, angle()),
    (w) => c.rz(w, angle()),
    (w) => c.phase(w, angle()),
    (w) => c.u3(w, angle(), angle(), angle()),
    (w) => c.sx(w),
    () => c.cnot(...two()),
    () => c.cz(...two()),
    () => c.crx(...two(), angle()),
    () => c.cry(...two(), angle()),
    () => c.crz(...two(), angle()),
    () => c.swap(...two()),
    () => {
      const [a, b] = two();
      const t = third(a, b);
      if (rng.uniform() < 0.5) c.toffoli(a, b, t);
      else c.ry(t, angle(), { controls: [a, b] });
    },
    () => {
      const [a, b] = two();
      c.swap(a, b, { controls: [third(a, b)] });
    },
  ];
  for (let d = 0; d < depth; d++) {
    const k = rng.int(n >= 3 ? 20 : n === 2 ? 18 : 12);
    gates[k]!(wire());
  }
  // Make sure parameters and the three inputs exist even if no gate drew them.
  c.rx(0, c.param()).rz(n - 1, c.input(2));
  return c;
}

/** Random parameters and inputs for a circuit. */
export function randomBindings(
  c: Circuit,
  batch: number,
  seed: number,
): { params: Float32Array; inputs: Float32Array } {
  const rng = new Rng(seed);
  return {
    params: rng.uniforms(c.numParams, -Math.PI, Math.PI),
    inputs: rng.uniforms(batch * c.numInputs, -2, 2),
  };
}

/** A random circuit (every gate kind) compiled, with random bindings for `batch` rows as an angle matrix. */
export function randomCase(
  n: number,
  depth: number,
  seed: number,
  batch: number,
  bindSeed: number,
): { compiled: CompiledCircuit; angles: Float32Array } {
  const circuit = randomCircuit(n, depth, seed);
  const compiled = circuit.compile();
  const { params, inputs } = randomBindings(circuit, batch, bindSeed);
  return { compiled, angles: hostAngles(compiled, params, inputs, batch) };
}
