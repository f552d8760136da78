// Environment switches of the engine (V1LM_SPLIT_PUSH=0 and the like: docs/cuda-backend.md, docs/engine.md), each on
// unless set to "0"; for A/B timings of one build.
#pragma once
#include <cstdlib>
#include <cstring>

namespace v1lm {

inline bool switchedOff(const char* name) {
  const char* value = std::getenv(name);
  return value && std::strcmp(value, "0") == 0;
}

}  // namespace v1lm
