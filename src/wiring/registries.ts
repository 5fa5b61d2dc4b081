import { registerBuiltins } from './builtins.js';
import { loadPlugin } from './plugins.js';
import { Registries } from '../core/registry.js';

/** Built-ins plus the given plugin modules, in order. */
export async function loadRegistries(plugins: readonly string[] = []): Promise<Registries> {
  const registries = registerBuiltins(new Registries());
  for (const p of plugins) await loadPlugin(p, registries);
  return registries;
}
