import { Rng } from '@paperlab/core';
import { Circuit } from '../circuits/circuit.js';

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
  for (let d = 0; d < depth; d++) {
    const k = rng.int(n >= 3 ? 20 : n === 2 ? 18 : 12);
    const w = wire();
    switch (k) {
      case 0:
        c.h(w);
        break;
      case 1:
        c.x(w);
        break;
      case 2:
        c.y(w);
        break;
      case 3:
        c.z(w);
        break;
      case 4:
        c.s(w);
        break;
      case 5:
        c.t(w);
        break;
      case 6:
        c.rx(w, angle());
        break;
      case 7:
        c.ry(w, angle());
        break;
      case 8:
        c.rz(w, angle());
        break;
      case 9:
        c.phase(w, angle());
        break;
      case 10:
        c.u3(w, angle(), angle(), angle());
        break;
      case 11:
        c.sx(w);
        break;
      case 12:
        c.cnot(...two());
        break;
      case 13:
        c.cz(...two());
        break;
      case 14:
        c.crx(...two(), angle());
        break;
      case 15:
        c.cry(...two(), angle());
        break;
      case 16:
        c.crz(...two(), angle());
        break;
      case 17:
        c.swap(...two());
        break;
      case 18: {
        const [a, b] = two();
        let t = wire();
        while (t === a || t === b) t = wire();
        if (rng.uniform() < 0.5) c.toffoli(a, b, t);
        else c.ry(t, angle(), { controls: [a, b] });
        break;
      }
      default: {
        const [a, b] = two();
        let t = wire();
        while (t === a || t === b) t = wire();
        c.swap(a, b, { controls: [t] });
      }
    }
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
