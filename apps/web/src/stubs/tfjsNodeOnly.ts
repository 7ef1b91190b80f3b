// Stands in for `@tensorflow/tfjs` in browser bundles. Core imports that package only on its Node branch
// (gradient registration, `platform === 'node'`); browsers load tfjs-core's own gradients instead, so this
// module is never evaluated — it keeps the full tfjs bundle (layers, converter, data) out of the build.
throw new Error('@tensorflow/tfjs is not bundled in the paperlab web app (Node-only code path)');
