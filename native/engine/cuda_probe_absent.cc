// Build without nvcc: the CUDA backend does not exist in this addon.
#ifndef V1LM_WITH_CUDA
#include "engine/cuda_probe.h"

namespace v1lm {
CudaProbe probeCuda() {
  CudaProbe p;
  p.reason = V1LM_CUDA_STATUS;
  return p;
}
}  // namespace v1lm
#endif
