#include "copy.h"

#include <cstring>

namespace tsnas {

void copyRuns(const uint32_t* src, int64_t srcStart, int64_t srcStride, uint32_t* dst, int64_t dstStart, int64_t dstStride, int64_t run, int64_t count) {
  const size_t bytes = static_cast<size_t>(run) * sizeof(uint32_t);
  for (int64_t r = 0; r < count; r++) std::memcpy(dst + dstStart + r * dstStride, src + srcStart + r * srcStride, bytes);
}

}  // namespace tsnas
