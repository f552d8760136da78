// Build without nvcc: asking for the CUDA backend says why it does not exist.
#ifndef V1LM_WITH_CUDA
#include "engine/backend.h"
#include "engine/errors.h"

namespace v1lm {
std::unique_ptr<Backend> makeCudaBackend(const CompiledNetwork&, const EngineOptions&) {
  throw Error("E_NO_CUDA", "backend", std::string("CUDA backend unavailable: ") + V1LM_CUDA_STATUS);
}
}  // namespace v1lm
#endif
