import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../tensor/backend.js';
import { registerCoreGradients } from '../tensor/gradients.js';

/**
 * Makes sure a tfjs backend is active for the controller's gradient steps. An application that chose
 * one (e.g. `--backend wasm`) keeps it; otherwise the project's default choice is initialised.
 * A resumed search reproduces exactly only on the same backend (float rounding differs between them).
 */
export async function ensureBackend(): Promise<string> {
  if (!tf.engine().backendName) await initBackend('auto');
  await registerCoreGradients(); // a backend set up without initBackend lacks them
  await tf.ready();
  return tf.getBackend();
}
