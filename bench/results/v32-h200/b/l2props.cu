// v32 b/: the L2 properties the input accumulators' set-aside rule reads (cuda_backend.cu), printed once.
#include <cstdio>
#include <cuda_runtime.h>
int main() {
  cudaDeviceProp p{};
  if (cudaGetDeviceProperties(&p, 0) != cudaSuccess) return 1;
  size_t limit = 0;
  cudaDeviceGetLimit(&limit, cudaLimitPersistingL2CacheSize);
  std::printf("%s: l2CacheSize %d, persistingL2CacheMaxSize %d, accessPolicyMaxWindowSize %d, limit now %zu\n", p.name,
              p.l2CacheSize, p.persistingL2CacheMaxSize, p.accessPolicyMaxWindowSize, limit);
  return 0;
}
