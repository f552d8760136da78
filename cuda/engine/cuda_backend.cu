// CUDA engine backend factory. The kernels of the CUDA engine are not part of this version yet (issue
// "CUDA backend"); until they land, asking for it says so, and where no device exists, why.
#include "engine/backend.h"
#include "engine/cuda_probe.h"
#include "engine/errors.h"

namespace v1lm {
std::unique_ptr<Backend> makeCudaBackend(const CompiledNetwork&, const EngineOptions&) {
  const CudaProbe p = probeCuda();
  if (!p.available) throw Error("E_NO_CUDA", "backend", "CUDA backend unavailable: " + p.reason);
  throw Error("E_NO_CUDA", "backend", "the CUDA engine kernels are not in this build yet; use backend 'cpu'");
}
}  // namespace v1lm
