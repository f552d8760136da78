// The two rates of lib/bench/floors.ts measured on the card at hand (v29: the H200, whose floors had been the H100's):
// the HBM rate (a read-only sum and a copy of 4 GiB, float4) and scattered fp32 REDs into targets that stay in L2 or
// do not (as bench/results/v11-h100/atomics.cu, whose numbers the floors use). Medians of 20 runs after one warm-up.
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>
#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("CUDA %s at line %d\n", cudaGetErrorString(e), __LINE__); return 1; } } while (0)

__global__ void kRead(const float4* in, size_t n, float* sink) {
  float acc = 0.0f;
  for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<size_t>(gridDim.x) * blockDim.x) {
    const float4 v = __ldcs(in + i);
    acc += v.x + v.y + v.z + v.w;
  }
  if (acc == 1234.5f) sink[0] = acc;  // never true: keeps the loads
}
__global__ void kCopy(const float4* in, float4* out, size_t n) {
  for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<size_t>(gridDim.x) * blockDim.x) __stcs(out + i, __ldcs(in + i));
}
__global__ void kRed(const int* idx, const float* w, int n, float* target) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) atomicAdd(&target[idx[i]], w[i]);
}

int main() {
  int sms = 0;
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  cudaDeviceProp p;
  CK(cudaGetDeviceProperties(&p, 0));
  printf("device %s, %d SMs, L2 %d MB, %.1f GiB\n", p.name, sms, p.l2CacheSize >> 20, p.totalGlobalMem / 1073741824.0);
  cudaEvent_t a, b;
  CK(cudaEventCreate(&a));
  CK(cudaEventCreate(&b));
  auto median = [&](auto launch) {
    launch();
    std::vector<float> t;
    for (int r = 0; r < 20; ++r) {
      cudaEventRecord(a);
      launch();
      cudaEventRecord(b);
      cudaEventSynchronize(b);
      float ms = 0;
      cudaEventElapsedTime(&ms, a, b);
      t.push_back(ms);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2] * 1e-3;  // seconds
  };
  const size_t bytes = size_t{4} << 30, n4 = bytes / sizeof(float4);
  float4 *x = nullptr, *y = nullptr;
  float* sink = nullptr;
  CK(cudaMalloc(&x, bytes));
  CK(cudaMalloc(&y, bytes));
  CK(cudaMalloc(&sink, 4));
  CK(cudaMemset(x, 0, bytes));
  for (int perSm : {4, 8}) {
    const double read = median([&] { kRead<<<sms * perSm, 256>>>(x, n4, sink); });
    const double copy = median([&] { kCopy<<<sms * perSm, 256>>>(x, y, n4); });
    printf("HBM %d blocks/SM: read %.2f TB/s, copy %.2f TB/s (read + write bytes)\n", perSm, bytes / read * 1e-12, 2.0 * bytes / copy * 1e-12);
  }
  CK(cudaGetLastError());
  cudaFree(x);
  cudaFree(y);
  std::mt19937 rng(1);
  const int N = 5000000;
  std::vector<float> hw(N);
  for (auto& v : hw) v = 1e-3f * (rng() % 1000);
  float* w = nullptr;
  int* idx = nullptr;
  CK(cudaMalloc(&w, N * sizeof(float)));
  CK(cudaMalloc(&idx, N * sizeof(int)));
  CK(cudaMemcpy(w, hw.data(), N * sizeof(float), cudaMemcpyHostToDevice));
  for (double mb : {1.0, 6.2, 10.4, 14.4, 41.6, 104.0}) {
    const int targets = static_cast<int>(mb * 1e6 / 4);
    std::vector<int> hi(N);
    for (auto& v : hi) v = static_cast<int>(rng() % targets);
    CK(cudaMemcpy(idx, hi.data(), N * sizeof(int), cudaMemcpyHostToDevice));
    float* target = nullptr;
    CK(cudaMalloc(&target, targets * sizeof(float)));
    CK(cudaMemset(target, 0, targets * sizeof(float)));
    for (int perSm : {4, 8}) {
      const double s = median([&] { kRed<<<sms * perSm, 256>>>(idx, w, N, target); });
      printf("RED scattered: target %.1f MB, %d blocks/SM: %.1f us per 5 M, %.1f G/s\n", mb, perSm, s * 1e6, N / s * 1e-9);
    }
    CK(cudaGetLastError());
    cudaFree(target);
  }
  return 0;
}
