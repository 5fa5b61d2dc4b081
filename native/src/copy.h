// Strided block copy of 4-byte elements: the loop behind Concat, SplitV and Slice on the wasm heap.
#pragma once
#include <cstdint>

namespace tsnas {

// count runs of `run` elements: run r from src[srcStart + r*srcStride] to dst[dstStart + r*dstStride].
void copyRuns(const uint32_t* src, int64_t srcStart, int64_t srcStride, uint32_t* dst, int64_t dstStart, int64_t dstStride, int64_t run, int64_t count);

}  // namespace tsnas
