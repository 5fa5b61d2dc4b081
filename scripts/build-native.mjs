// Builds the optional native kernels (native/, OpenBLAS) during `npm ci` / `npm install`.
// Never fails the install: without OpenBLAS's headers or a compiler, tsnas runs on the wasm kernels.
// TSNAS_NATIVE=0 skips the build; TSNAS_NATIVE=require makes a failed build an error (CI).
// The loops are compiled for this machine's CPU (-march=native, ~3% of a training step); set
// TSNAS_NATIVE_PORTABLE=1 when the build will run on another machine (an image built elsewhere).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const mode = process.env.TSNAS_NATIVE ?? 'auto';
const headers = ['/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/cblas.h', '/usr/include/openblas/cblas.h'];
const skip = (why) => {
  const line = `tsnas: native kernels not built (${why}); training uses the wasm kernels. ` +
    'For the fast path: apt-get install libopenblas-dev g++ make python3, then npm run build:native';
  if (mode === 'require') {
    console.error(line);
    process.exit(1);
  }
  console.warn(line);
  process.exit(0);
};

if (mode === '0') skip('TSNAS_NATIVE=0');
if (!headers.some((h) => existsSync(h))) skip('cblas.h not found');
const portable = process.env.TSNAS_NATIVE_PORTABLE === '1';
const env = portable ? process.env : { ...process.env, CXXFLAGS: `${process.env.CXXFLAGS ?? ''} -march=native`.trim() };
const r = spawnSync('node-gyp', ['rebuild', '--directory', 'native'], { stdio: 'inherit', env, shell: process.platform === 'win32' });
if (r.error) skip(`node-gyp could not run: ${r.error.message}`);
if (r.status !== 0) skip(`node-gyp exited with ${r.status}`);
console.log(`tsnas: native kernels built (native/build/Release/tsnas_native.node${portable ? ', portable' : ', for this CPU'})`);
