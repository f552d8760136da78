// Range checks of forward inputs, shared by Engine::validate (before a forward) and the CUDA backend, which checks
// the LGN probabilities chunk by chunk while it stages them (Backend::checksLgnWhileStaging).
#pragma once
#include <algorithm>
#include <cstddef>
#include <string>

#include "engine/errors.h"

namespace v1lm {

// Index of the first value outside [0, 1] (NaN included), or n. The scan counts bad values without branches
// (it vectorizes: the B·T·nInputs probabilities of a forward call are hundreds of MB) and looks for the
// index only when there is one.
inline size_t firstOutsideUnit(const float* p, size_t n) {
  constexpr size_t kBlock = 1 << 16;
  for (size_t k0 = 0; k0 < n; k0 += kBlock) {
    const size_t k1 = std::min(n, k0 + kBlock);
    unsigned bad = 0;
    for (size_t k = k0; k < k1; ++k) bad += static_cast<unsigned>(!((p[k] >= 0.0f) & (p[k] <= 1.0f)));
    if (bad)
      for (size_t k = k0; k < k1; ++k)
        if (!(p[k] >= 0.0f && p[k] <= 1.0f)) return k;
  }
  return n;
}

// The error naming lgn.probability[k], the first value outside [0, 1].
inline Error lgnProbabilityOutOfRange(size_t k, float value) {
  return badArgument("lgn.probability[" + std::to_string(k) + "]", "probabilities must lie in [0, 1] (got " + std::to_string(value) + ")");
}

}  // namespace v1lm
