import * as tf from '@tensorflow/tfjs-core';

/** A tensor's values on the host, for typed-array kernels. */
export interface HostTensor {
  shape: number[];
  values: Float32Array;
}

/** The implementations a kernel can have. */
export type KernelImpl = 'reference' | 'cpu' | 'webgpu';

/** Host-side view of a kernel's tensor inputs. */
export type HostInputs<I> = { [K in keyof I]: HostTensor };

/** Host-side output matching a kernel's tensor output. */
export type HostOutput<O> = O extends tf.Tensor[] ? HostTensor[] : HostTensor;

/** A WGSL compute program over a flat output, in tfjs-webgpu's shader dialect. */
export interface WgslProgram {
  /** Cache key: equal keys must mean equal shader source. */
  key: string;
  outputShape: number[];
  /** Names of the input buffers, in the order of the `inputs` given to `run`. */
  variableNames: string[];
  /** Extra uniform fields, e.g. `depth : i32, sigmaW2 : f32,` (declared in this order). */
  uniforms?: string;
  /** Values of the extra uniforms, in declaration order. */
  uniformData?: Array<{ type: 'int32' | 'float32'; data: number[] }>;
  /** Threads per workgroup (x). */
  workgroupSize?: number;
  /**
   * WGSL source with `fn main(index : i32)`; it may use `uniforms.size`, the input buffers by name,
   * `getXByOutputIndex(index)` and `setOutputAtIndex(index, value)`.
   */
  userCode: string;
}

/**
 * A program's extra uniforms from their names, WGSL types and values, in this order: the `uniforms` declaration
 * (`depth : i32, sw2 : f32,`) and the matching `uniformData`.
 */
export function wgslUniforms(
  values: Record<string, readonly ['i32' | 'f32', number]>,
): Required<Pick<WgslProgram, 'uniforms' | 'uniformData'>> {
  const entries = Object.entries(values);
  return {
    uniforms: entries.map(([name, [type]]) => `${name} : ${type},`).join(' '),
    uniformData: entries.map(([, [type, value]]) => ({
      type: type === 'i32' ? ('int32' as const) : ('float32' as const),
      data: [value],
    })),
  };
}

/** What a WebGPU implementation receives to launch programs on tfjs' device. */
export interface WebGPUKernelContext {
  /** Runs a program over tfjs tensors on the active webgpu backend, returning a new tensor. */
  run(program: WgslProgram, inputs: tf.Tensor[], dtype?: 'float32' | 'int32'): tf.Tensor;
}

/**
 * One custom op: a tfjs-ops reference (runs on every backend, differentiable) plus optional fused
 * WGSL and typed-array implementations, each tested for agreement with the reference.
 */
export interface KernelSpec<
  I extends Record<string, tf.Tensor>,
  A,
  O extends tf.Tensor | tf.Tensor[] = tf.Tensor,
> {
  /** Namespaced id, `plugin/name`. */
  name: `${string}/${string}`;
  description: string;
  /** tfjs-ops implementation: the definition of the op. */
  reference(inputs: I, attrs: A): O;
  /** Typed-array implementation, used on the `cpu` and `wasm` backends. */
  cpu?(inputs: HostInputs<I>, attrs: A): HostOutput<O>;
  /** Fused WGSL implementation, used on the `webgpu` backend. */
  webgpu?(inputs: I, attrs: A, gpu: WebGPUKernelContext): O;
  /** Backends on which the typed-array implementation is preferred (default: cpu and wasm). */
  cpuOn?: readonly string[];
  /**
   * Small input cases (tensors made on demand, on the active backend) on which every implementation must agree
   * with the reference; the conformance suite checks each registered kernel on them. Required when the kernel has
   * a typed-array or WGSL implementation.
   */
  examples?(): Array<{ name: string; inputs: () => I; attrs: A }>;
  /** Agreement tolerance on the examples (defaults: atol 1e-5, rtol 1e-4). */
  tolerance?: { atol?: number; rtol?: number };
}

/** Type-erased kernel spec, as stored in a registry. */
// biome-ignore lint/suspicious/noExplicitAny: registries hold kernels of every signature.
export type AnyKernelSpec = KernelSpec<any, any, any>;

/** Options of {@link runKernel}. */
export interface RunKernelOptions {
  /** Force one implementation (throws if the kernel lacks it or the backend cannot run it). */
  impl?: KernelImpl;
  /** The caller will differentiate through the result: use the reference (autodiff). */
  differentiable?: boolean;
}

/** Identity helper that keeps a kernel's types inferred. */
export function defineKernel<I extends Record<string, tf.Tensor>, A, O extends tf.Tensor | tf.Tensor[]>(
  spec: KernelSpec<I, A, O>,
): KernelSpec<I, A, O> {
  return spec;
}

/** Implementations of `spec` the active backend can run. */
export function availableImpls(spec: AnyKernelSpec, backend = tf.getBackend()): KernelImpl[] {
  const out: KernelImpl[] = ['reference'];
  if (spec.cpu) out.push('cpu');
  if (spec.webgpu && backend === 'webgpu') out.push('webgpu');
  return out;
}

/** Which implementation {@link runKernel} would use on the active backend. */
export function chooseImpl(spec: AnyKernelSpec, options: RunKernelOptions = {}): KernelImpl {
  const backend = tf.getBackend();
  if (options.impl) {
    if (!availableImpls(spec, backend).includes(options.impl)) {
      throw new Error(
        `Kernel ${spec.name} has no '${options.impl}' implementation runnable on backend '${backend}' ` +
          `(available: ${availableImpls(spec, backend).join(', ')})`,
      );
    }
    return options.impl;
  }
  if (options.differentiable) return 'reference';
  if (backend === 'webgpu' && spec.webgpu) return 'webgpu';
  if (spec.cpu && (spec.cpuOn ?? ['cpu', 'wasm']).includes(backend)) return 'cpu';
  return 'reference';
}

/** Runs a kernel with the implementation that suits the active backend. */
export function runKernel<I extends Record<string, tf.Tensor>, A, O extends tf.Tensor | tf.Tensor[]>(
  spec: KernelSpec<I, A, O>,
  inputs: I,
  attrs: A,
  options: RunKernelOptions = {},
): O {
  const impl = chooseImpl(spec, options);
  if (impl === 'webgpu') return spec.webgpu!(inputs, attrs, webgpuContext());
  if (impl === 'cpu') {
    const host = {} as HostInputs<I>;
    for (const key of Object.keys(inputs) as Array<keyof I>) host[key] = toHost(inputs[key]!);
    return fromHost(spec.cpu!(host, attrs)) as O;
  }
  return spec.reference(inputs, attrs);
}

/** Reads a tensor into a host tensor (synchronous; fine on cpu/wasm). */
export function toHost(t: tf.Tensor): HostTensor {
  const values = t.dtype === 'float32' ? (t.dataSync() as Float32Array) : Float32Array.from(t.dataSync());
  return { shape: [...t.shape], values };
}

/** Builds tensors from host output(s). */
export function fromHost(out: HostTensor | HostTensor[]): tf.Tensor | tf.Tensor[] {
  if (Array.isArray(out)) return out.map((h) => tf.tensor(h.values, h.shape, 'float32'));
  return tf.tensor(out.values, out.shape, 'float32');
}

interface TfjsWebGPUBackend {
  runWebGPUProgram(
    program: unknown,
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
    uniforms?: Array<{ type: string; data: number[] }>,
  ): tf.TensorInfo;
}

function webgpuContext(): WebGPUKernelContext {
  const backend = tf.backend() as unknown as TfjsWebGPUBackend;
  return {
    run(program, inputs, dtype = 'float32') {
      const info = backend.runWebGPUProgram(toTfjsProgram(program), inputs, dtype, program.uniformData);
      return tf.engine().makeTensorFromTensorInfo(info);
    },
  };
}

/** Converts a {@link WgslProgram} into the object tfjs-backend-webgpu compiles (flat 1-D dispatch). */
export function toTfjsProgram(program: WgslProgram): Record<string, unknown> {
  const workgroup = program.workgroupSize ?? 64;
  const size = program.outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames: program.variableNames,
    outputShape: program.outputShape,
    shaderKey: `paperlab_${program.key}`,
    size: true,
    uniforms: program.uniforms,
    workgroupSize: [workgroup, 1, 1],
    dispatchLayout: { x: program.outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / workgroup), 1, 1],
    getUserCode: () => program.userCode,
  };
}
