// Float vectors of N lanes (GCC/Clang vector extensions): N = 16 is one AVX-512 register with
// -march=native, split into narrower ones otherwise; plain loops over 16 sums were left scalar by
// the compiler. Loads and stores through memcpy: no alignment assumed.
#pragma once
#include <cstring>

namespace tsnas {

// A class template: GCC drops the attribute from an alias template, leaving a plain float.
template <int N>
struct LanesOf {
  typedef float type __attribute__((vector_size(sizeof(float) * N)));
  static_assert(sizeof(type) == sizeof(float) * N, "a vector of N floats");
};
template <int N>
using FloatLanes = typename LanesOf<N>::type;

template <typename V>
inline V loadLanes(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V>
inline void storeLanes(float* p, V v) {
  std::memcpy(p, &v, sizeof v);
}

}  // namespace tsnas
