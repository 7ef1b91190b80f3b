import { type BackendLoader, type BrowserLoaderOptions, browserBackendLoaders } from '@paperlab/core/kernels';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Wraps a loader so that a backend counts as available only once it has computed something: it is
 * activated, multiplies two small matrices and reads the result back.
 */
export function verified(loader: BackendLoader): BackendLoader {
  return {
    name: loader.name,
    async load() {
      const result = await loader.load();
      const previous = tf.getBackend();
      if (!(await tf.setBackend(loader.name)))
        throw new Error(`tf.setBackend('${loader.name}') returned false`);
      await tf.ready();
      let t: tf.Tensor | undefined;
      try {
        // 16×16 of ones times 16×16 of twos: every entry is 32.
        t = tf.tidy(() => tf.matMul(tf.ones([16, 16]), tf.tensor2d(new Float32Array(256).fill(2), [16, 16])));
        const v = await t.data();
        if (v.length !== 256 || v.some((x) => x !== 32))
          throw new Error(`a 16×16 matmul computed ${v[0]}, not 32`);
      } catch (err) {
        throw new Error(`${loader.name} started but cannot compute: ${(err as Error).message}`);
      } finally {
        t?.dispose();
        if (previous && previous !== loader.name) await tf.setBackend(previous);
      }
      return result;
    },
  };
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

/** The WebGL renderer string (a worker draws through OffscreenCanvas), or '' when it cannot be read. */
function webglRenderer(): string {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return '';
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return '';
  }
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Refuses a GPU backend that a software rasteriser would run (SwiftShader, llvmpipe…). */
function hardwareOnly(loader: BackendLoader): BackendLoader {
  if (loader.name !== 'webgpu' && loader.name !== 'webgl') return loader;
  return {
    name: loader.name,
    async load() {
      const hint = `runs on the CPU here; 'auto' prefers wasm (pick ${loader.name} by name to use it anyway)`;
      if (loader.name === 'webgpu') {
        const gpu = (
          navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: AdapterInfoLike } | null> } }
        ).gpu;
        const info = (await gpu?.requestAdapter())?.info;
        const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
        if (info?.isFallbackAdapter || SOFTWARE.test(name))
          throw new Error(`the WebGPU adapter is a software fallback (${name || 'unnamed'}): ${hint}`);
      } else {
        const renderer = webglRenderer();
        if (SOFTWARE.test(renderer)) throw new Error(`WebGL is rendered in software (${renderer}): ${hint}`);
      }
      return loader.load();
    },
  };
}

/**
 * The browser's backends for a request. `auto` (webgpu → webgl → wasm → cpu) takes a GPU backend only when
 * a real GPU drives it: a software WebGPU/WebGL (headless Chromium's SwiftShader) is ~50× slower than wasm
 * and, for WebGPU, fails on buffer uploads after a while. Skipped backends are recorded with the reason.
 * A backend named explicitly is used as long as it can compute.
 */
export function browserLoadersFor(requested: string, options: BrowserLoaderOptions): BackendLoader[] {
  const loaders = browserBackendLoaders(options);
  return (requested === 'auto' ? loaders.map(hardwareOnly) : loaders).map(verified);
}
