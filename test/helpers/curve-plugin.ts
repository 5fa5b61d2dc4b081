import { fileURLToPath } from 'node:url';
import type { Registries } from '../../src/core/registry.js';
import { registerCurve } from './curve-components.js';

/** The curve components as a plugin, for pool workers and CLI child processes. */
export function register(registries: Registries): void {
  registerCurve(registries);
}

export const CURVE_PLUGIN = fileURLToPath(import.meta.url);
