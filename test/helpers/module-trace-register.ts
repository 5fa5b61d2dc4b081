import { register } from 'node:module';

// Loaded with --import before the traced module: installs module-trace-hooks.ts.
register('./module-trace-hooks.js', import.meta.url);
