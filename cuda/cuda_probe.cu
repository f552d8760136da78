// Device discovery for the CUDA backend. cudart is linked statically, so this runs (and reports the
// reason) on machines without a driver or without a device.
#include <cuda_runtime.h>

#include "engine/cuda_probe.h"

namespace v1lm {
CudaProbe probeCuda() {
  CudaProbe p;
  p.built = true;
  cudaRuntimeGetVersion(&p.runtimeVersion);
  if (cudaDriverGetVersion(&p.driverVersion) != cudaSuccess || p.driverVersion == 0) {
    p.reason = "no NVIDIA driver found (libcuda.so could not be loaded)";
    return p;
  }
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count == 0) {
    p.reason = err != cudaSuccess ? std::string("no usable CUDA device: ") + cudaGetErrorString(err)
                                  : std::string("no CUDA device present");
    cudaGetLastError();
    return p;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    CudaDeviceInfo d;
    d.index = i;
    d.name = prop.name;
    d.totalBytes = prop.totalGlobalMem;
    d.major = prop.major;
    d.minor = prop.minor;
    d.smCount = prop.multiProcessorCount;
    p.devices.push_back(d);
  }
  // The kernels are compiled for sm_90 only.
  bool anyHopper = false;
  for (auto& d : p.devices) anyHopper = anyHopper || d.major >= 9;
  p.available = anyHopper;
  if (!anyHopper) p.reason = "no device of compute capability 9.0 or newer (the kernels are built for sm_90)";
  return p;
}
}  // namespace v1lm
