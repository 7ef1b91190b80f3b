import type { Rng } from '@paperlab/core';
import { undirected } from '../graph/graph.js';

/** The 15-joint stick figure used by {@link skeletonSequences}: pelvis, chest, head, arms, legs. */
export const SKELETON_JOINTS = [
  'pelvis',
  'chest',
  'head',
  'l_shoulder',
  'l_elbow',
  'l_hand',
  'r_shoulder',
  'r_elbow',
  'r_hand',
  'l_hip',
  'l_knee',
  'l_foot',
  'r_hip',
  'r_knee',
  'r_foot',
] as const;

/** Bones of the stick figure (undirected joint pairs). */
export const SKELETON_BONES = [
  [0, 1],
  [1, 2],
  [1, 3],
  [3, 4],
  [4, 5],
  [1, 6],
  [6, 7],
  [7, 8],
  [0, 9],
  [9, 10],
  [10, 11],
  [0, 12],
  [12, 13],
  [13, 14],
] as const;

/** The skeleton as a graph (both directions of every bone). */
export function skeletonGraph() {
  return undirected(SKELETON_JOINTS.length, SKELETON_BONES.flat());
}

const REST: ReadonlyArray<readonly [number, number, number]> = [
  [0, 1, 0],
  [0, 1.5, 0],
  [0, 1.8, 0],
  [-0.2, 1.45, 0],
  [-0.45, 1.45, 0],
  [-0.7, 1.45, 0],
  [0.2, 1.45, 0],
  [0.45, 1.45, 0],
  [0.7, 1.45, 0],
  [-0.1, 0.95, 0],
  [-0.1, 0.5, 0],
  [-0.1, 0.05, 0],
  [0.1, 0.95, 0],
  [0.1, 0.5, 0],
  [0.1, 0.05, 0],
];

/** Action classes of {@link skeletonSequences}. */
export const SKELETON_ACTIONS = [
  'wave left',
  'wave right',
  'raise both arms',
  'squat',
  'kick left',
  'kick right',
] as const;

/** Per action: joint → direction of its periodic displacement (x, y, z) per unit amplitude. */
const MOTION: ReadonlyArray<Record<number, readonly [number, number, number]>> = [
  { 4: [0, 0.3, 0], 5: [0.2, 0.7, 0.1] },
  { 7: [0, 0.3, 0], 8: [-0.2, 0.7, 0.1] },
  { 4: [0.1, 0.4, 0], 5: [0.2, 0.8, 0], 7: [-0.1, 0.4, 0], 8: [-0.2, 0.8, 0] },
  {
    0: [0, -0.35, 0],
    1: [0, -0.35, 0],
    2: [0, -0.35, 0],
    3: [0, -0.35, 0],
    6: [0, -0.35, 0],
    10: [0, -0.1, 0.3],
    13: [0, -0.1, 0.3],
    4: [0, -0.35, 0.1],
    7: [0, -0.35, 0.1],
    5: [0, -0.35, 0.2],
    8: [0, -0.35, 0.2],
  },
  { 10: [0, 0.2, 0.35], 11: [0, 0.35, 0.7] },
  { 13: [0, 0.2, 0.35], 14: [0, 0.35, 0.7] },
];

/** A sequence of skeleton frames: `frames × joints × 3` coordinates, and its action label. */
export interface SkeletonSequence {
  frames: number;
  data: Float32Array;
  label: number;
}

/**
 * Procedural skeleton actions (no motion-capture data offline): the stick figure at rest plus a class-specific
 * periodic displacement of some joints (random period 20–60 frames, phase and amplitude), a random global
 * sway, body scale and joint noise. Labels are balanced.
 */
export function skeletonSequences(
  rng: Rng,
  o: { sequences: number; frames: number; noise: number },
): SkeletonSequence[] {
  const J = REST.length;
  return Array.from({ length: o.sequences }, (_, s) => {
    const label = s % SKELETON_ACTIONS.length;
    const period = rng.range(20, 60);
    const phase = rng.range(0, 2 * Math.PI);
    const amp = rng.range(0.7, 1.3);
    const scale = rng.range(0.85, 1.15);
    const sway = [rng.range(-0.05, 0.05), rng.range(-0.05, 0.05)];
    const start = rng.int(400);
    const data = new Float32Array(o.frames * J * 3);
    for (let t = 0; t < o.frames; t++) {
      const time = start + t;
      const w = amp * 0.5 * (1 - Math.cos((2 * Math.PI * time) / period + phase));
      for (let j = 0; j < J; j++) {
        const m = MOTION[label]![j];
        for (let c = 0; c < 3; c++) {
          let v = REST[j]![c]! + (m ? m[c]! * w : 0);
          if (c < 2) v += sway[c]! * Math.sin((2 * Math.PI * time) / 90);
          data[(t * J + j) * 3 + c] = v * scale + rng.normal(0, o.noise);
        }
      }
    }
    return { frames: o.frames, data, label };
  });
}
