#!/usr/bin/env bash
# The GPU check of issue #16 item 4, prepared for a machine with a GPU (made for an NVIDIA H200, Debian-like,
# Node 20, no network): it gets this working tree with node_modules (and, for the native CPU kernels,
# native/build) and must finish in under 5 minutes. It records the machine (GPU, Vulkan loader and ICDs:
# Dawn drives the GPU through Vulkan), builds dist/, then runs benchmarks/webgpu-throughput.js twice: at
# the batches of throughput-vs-pytorch.js, and at 4x those (a GPU wants bigger batches).
#
#   OUT=/some/folder bash benchmarks/gpu/run.sh     # writes env.txt, *.json and *.log under $OUT
#
# Exit status: 0 when both runs measured webgpu; otherwise that of the first failing step.
set -u
cd "$(dirname "$0")/../.."
OUT=${OUT:-bench-out/gpu}
mkdir -p "$OUT"

{
  echo "date: $(date -u)"; uname -a; echo "node: $(node --version)"; echo "cores: $(nproc)"; echo "load: $(cat /proc/loadavg)"
  nvidia-smi -L 2>&1 || echo "no nvidia-smi"
  ls -l /dev/nvidia* /dev/dri 2>&1
  echo "vulkan loader:"; (ldconfig -p 2>/dev/null | grep -i 'libvulkan\.so') || echo "  libvulkan.so.1 not in ldconfig (Dawn cannot use Vulkan without it)"
  echo "vulkan ICDs:"; ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>&1
  ls node_modules/webgpu/dist/linux-x64/dawn.node node_modules/@tensorflow/tfjs-backend-webgpu/package.json 2>&1
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

# The carried dist/ may be stale or absent: build it from the tree (tsc comes with node_modules; ~15 s).
timeout 80 node node_modules/typescript/bin/tsc -p tsconfig.json > "$OUT/build.log" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "build failed with status $rc (124: timed out; see $OUT/build.log); using the dist/ that came with the tree"
  [ -f dist/benchmarks/webgpu-throughput.js ] || exit 3
fi

status=0
run() { # name timeout-seconds options...
  local name=$1 limit=$2; shift 2
  echo "== $name: webgpu-throughput $*"
  timeout "$limit" node dist/benchmarks/webgpu-throughput.js --out "$OUT/$name.json" "$@" 2>&1 | tee "$OUT/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 124 ] && echo "$name: stopped after $limit s"
  [ "$status" -eq 0 ] && status=$rc
}
run webgpu-throughput 100 --repeats 5 --steps 8 --batch 64 --det-steps 4 --det-batch 16 --warmup 10
run webgpu-throughput-4x 100 --repeats 3 --steps 4 --batch 256 --det-steps 2 --det-batch 64 --warmup 4
exit "$status"
