import * as tf from '@tensorflow/tfjs-core';
import { type AnyKernelSpec, type KernelImpl, runKernel } from '../kernels/kernelSpec.js';
import { nodeBackendLoaders } from '../node/backends.js';
import { ensureBackend } from '../runs/runner.js';

/** One input case: a factory (tensors are created on whichever backend is active) and attrs. */
export interface KernelCase {
  name: string;
  inputs: () => Record<string, tf.Tensor>;
  attrs: unknown;
}

/** Agreement of one implementation with the reference on one case. */
export interface KernelAgreement {
  kernel: string;
  case: string;
  backend: string;
  impl: KernelImpl;
  maxAbsError: number;
  maxRelError: number;
  ok: boolean;
}

async function values(out: tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  const list = Array.isArray(out) ? out : [out];
  const res: Float32Array[] = [];
  for (const t of list) res.push(Float32Array.from(await t.data()));
  return res;
}

async function runOn(spec: AnyKernelSpec, c: KernelCase, impl: KernelImpl): Promise<Float32Array[]> {
  const inputs = c.inputs();
  const out = runKernel(spec, inputs, c.attrs, { impl });
  const v = await values(out);
  tf.dispose([...Object.values(inputs), ...(Array.isArray(out) ? out : [out])]);
  return v;
}

/**
 * Runs each implementation of a kernel against its tfjs-ops reference: the typed-array one on `wasm`,
 * the WGSL one on `webgpu` (through Dawn in Node) when an adapter exists. Restores the original backend.
 */
export async function checkKernelAgreement(
  spec: AnyKernelSpec,
  cases: KernelCase[],
  options: { atol?: number; rtol?: number; backends?: string[] } = {},
): Promise<{ results: KernelAgreement[]; skipped: string[] }> {
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-4;
  const original = tf.getBackend();
  const loaders = nodeBackendLoaders();
  const results: KernelAgreement[] = [];
  const skipped: string[] = [];
  const backends = options.backends ?? ['wasm', 'cpu', 'webgpu'];
  try {
    for (const backend of backends) {
      const impls: KernelImpl[] = [];
      if (spec.cpu && backend !== 'webgpu') impls.push('cpu');
      if (spec.webgpu && backend === 'webgpu') impls.push('webgpu');
      if (impls.length === 0) continue;
      try {
        await ensureBackend(backend, { backends: loaders, platform: 'node' });
      } catch (err) {
        skipped.push(`${backend}: ${(err as Error).message}`);
        continue;
      }
      for (const c of cases) {
        const ref = await runOn(spec, c, 'reference');
        for (const impl of impls) {
          const got = await runOn(spec, c, impl);
          let maxAbs = 0;
          let maxRel = 0;
          let ok = got.length === ref.length;
          ref.forEach((r, k) => {
            const g = got[k];
            if (!g || g.length !== r.length) {
              ok = false;
              return;
            }
            for (let i = 0; i < r.length; i++) {
              const d = Math.abs(g[i]! - r[i]!);
              maxAbs = Math.max(maxAbs, d);
              maxRel = Math.max(maxRel, d / Math.max(Math.abs(r[i]!), 1e-12));
              if (!(d <= atol + rtol * Math.abs(r[i]!))) ok = false;
            }
          });
          results.push({
            kernel: spec.name,
            case: c.name,
            backend,
            impl,
            maxAbsError: maxAbs,
            maxRelError: maxRel,
            ok,
          });
        }
      }
    }
  } finally {
    // Restore the backend that was active before (none, when nothing had chosen one yet).
    if (original && tf.getBackend() !== original)
      await ensureBackend(original, { backends: loaders, platform: 'node' });
  }
  return { results, skipped };
}
