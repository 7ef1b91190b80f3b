import { definePlugin } from '@paperlab/core';
import pkg from '../package.json' with { type: 'json' };
import { papers } from './papers/index.js';
import { circuitKernel } from './statevector/circuitKernel.js';

export {
  type Attack,
  type AttackResult,
  attackOn,
  epsKey,
  evaluateAttack,
  fgsm,
  fgsmOn,
  imageAccuracy,
  inputGradient,
  type LabelledImages,
  type LinfAttack,
  type LogitsFn,
  logitsOf,
  meanGradientNorm,
  type PgdCurve,
  type PgdOptions,
  pgd,
  pgdCurve,
  pgdOn,
  transferMatrix,
} from './attacks/adversarial.js';
export { qshieldCircuit, quanvCircuit } from './circuits/ansatze.js';
export {
  type Angle,
  type AngleSlot,
  amplitudeDampingKraus,
  angleMatrix,
  Circuit,
  type CompiledCircuit,
  depolarizingKraus,
  type GateOptions,
  type GateRecord,
  hostAngles,
  type InputRef,
  MAX_QUBITS,
  type NoiseModel,
  type ParamRef,
  type PrimitiveOp,
  withNoise,
} from './circuits/circuit.js';
export {
  conjugate,
  dagger,
  FIXED_GATES,
  type FixedGateName,
  type Mat2,
  matmul2,
  type RotationKind,
  rotationMatrix,
  unitarityError,
} from './circuits/matrices.js';
export {
  type CompiledObservables,
  compileObservables,
  hamiltonian,
  type Observable,
  type ObservableTerm,
  type Pauli,
  type PauliTerm,
  type ProjectorTerm,
  pauli,
  probabilities,
  projector,
  X,
  Y,
  Z,
  zEach,
  zzRingReadout,
} from './circuits/observables.js';
export {
  appendQuantumNeuron,
  neuronActivation,
  neuronSuccessProbability,
  type QuantumNeuronOptions,
} from './circuits/quantumNeuron.js';
export {
  angleEncode,
  type EncodedAnsatzOptions,
  type EntanglePattern,
  encodedAnsatz,
  entangle,
  entanglePairs,
  ryRingAnsatz,
} from './circuits/templates.js';
export {
  type ImageSplits,
  type LoadImagesOptions,
  loadImages,
  loadImagesSized,
  resizeImages,
} from './data/images.js';
export { randomFourierFeatures } from './features/randomFourier.js';
export {
  type FeatureMap,
  featureStage,
  GatedFusion,
  type GatedFusionParts,
  randomCosFeatures,
} from './layers/fusion.js';
export {
  type DiffMethod,
  expval,
  QuantumLayer,
  type QuantumLayerOptions,
  resolveDiffMethod,
} from './layers/quantumLayer.js';
export { Quanvolution, type QuanvolutionOptions } from './layers/quanvolution.js';
export { type ReuploadHeadOptions, reuploadHead } from './layers/reuploadHead.js';
export { mapStage, parallelStage, quantumStage, Stack, type Stage, sequentialStage } from './layers/stack.js';
export { type FitImagesOptions, fitImages } from './models/imageTraining.js';
export {
  channelSuperoperator,
  NoisyQuantumLayer,
  type NoisyQuantumLayerOptions,
  noisyExpectationsHost,
  noisyExpval,
} from './noise/densityAdjoint.js';
export {
  type BosonDistribution,
  type BosonOptions,
  bosonProbabilities,
  outputPatterns,
  permanent,
  sampleBosonPatterns,
} from './photonic/bosonSampling.js';
export {
  type ImageEmbeddingOptions,
  imagePhases,
  type PhotonicFeatures,
  photonicFeatures,
  spreadModes,
} from './photonic/imageEmbedding.js';
export {
  applyMzi,
  type ComplexMatrix,
  complexIdentity,
  complexMatmul,
  haarUnitary,
  interferometerUnitary,
  type MeshLayout,
  meshPairs,
  meshPhaseCount,
  unitarityDeviation,
} from './photonic/interferometer.js';
export {
  type CircuitKernelAttrs,
  type CircuitKernelInputs,
  circuitKernel,
  type RunCircuitOptions,
  runCircuit,
} from './statevector/circuitKernel.js';
export {
  type AngleVjp,
  adjointJacobian,
  adjointVjp,
  contractJacobian,
  finiteDifferenceJacobian,
  parameterShiftJacobian,
  shiftRule,
} from './statevector/gradients.js';
export {
  type ApplyMode,
  applyCircuitHost,
  applyObservablesHost,
  applyOpHost,
  basisState,
  cloneState,
  expectationsHost,
  type HostKernel,
  probabilitiesHost,
  type StateVector,
  setHostKernel,
  simdAvailable,
  simulateHost,
} from './statevector/host.js';
export { isRealCircuit, realAdjointSweep } from './statevector/realSweep.js';
export { circuitVjp, type StateVjp } from './statevector/reverse.js';
export { countsOf, sampledExpectationsHost, sampleHost, sampleIndices } from './statevector/sampling.js';
export {
  applyMatrixOpTf,
  applyOpTf,
  expectationsTf,
  probabilitiesTf,
  simulateTf,
  type TfState,
  zeroStateTf,
} from './statevector/tfSim.js';

/** @paperlab/plugin-quantum: batched, differentiable quantum-circuit simulation and hybrid quantum-classical papers. */
export default definePlugin({ name: 'quantum', package: pkg, kernels: [circuitKernel], papers });
