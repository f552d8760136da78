// What the CUDA backend can do on this machine. Implemented in cuda/ when the addon was built with
// nvcc; otherwise in native/engine/cuda_probe_absent.cc, which says why no CUDA backend exists.
#pragma once
#include <string>
#include <vector>

namespace v1lm {
struct CudaDeviceInfo {
  int index = 0;
  std::string name;
  size_t totalBytes = 0;
  int major = 0, minor = 0, smCount = 0;
};
struct CudaProbe {
  bool built = false;      // compiled with nvcc
  bool available = false;  // built, driver loaded and at least one device
  std::string reason;      // why not available (empty when available)
  int runtimeVersion = 0, driverVersion = 0;
  std::vector<CudaDeviceInfo> devices;
};
CudaProbe probeCuda();
}  // namespace v1lm
