// Scratch buffers per thread (each Piscina worker is its own thread), one per tag type so that two
// in use at once never share.
#pragma once
#include <cstdint>
#include <vector>

namespace tsnas {

template <typename Tag, typename T = float>
T* scratch(int64_t count) {
  thread_local std::vector<T> buffer;
  if (static_cast<int64_t>(buffer.size()) < count) buffer.resize(count);
  return buffer.data();
}

}  // namespace tsnas
