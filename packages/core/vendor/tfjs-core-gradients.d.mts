// Types of the generated gradients bundle: it only registers tfjs-core's gradients, exporting nothing.
export {};
