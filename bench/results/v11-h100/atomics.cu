// Micro-benchmark of the forward push's memory pattern (H100): scattered fp32 REDs, and warp-per-row
// pushes of CSR rows like kPush's (spike list -> row bounds -> synapses -> RED).
#include <cstdio>
#include <cstdint>
#include <vector>
#include <random>
#include <algorithm>
#include <cuda_runtime.h>
#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("CUDA %s at %d\n", cudaGetErrorString(e), __LINE__); return 1; } } while (0)

__global__ void kRed(const int* idx, const float* w, int n, float* target) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) atomicAdd(&target[idx[i]], w[i]);
}
// warp per item: item -> row (spike list) -> [rowStart[row], rowStart[row+1]) -> RED into target
__global__ void kRows(const int* items, int nItems, const int64_t* rowStart, const int* post, const float* w, float* target, int stride) {
  const int lane = threadIdx.x & 31, warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  for (int it = warp; it < nItems; it += stride) {
    const int row = items[it];
    for (int64_t s = rowStart[row] + lane; s < rowStart[row + 1]; s += 32) atomicAdd(&target[post[s]], w[s]);
  }
}
// the same with 4 items per warp: lanes 8k..8k+7 take item 4·i+k (independent chains in one warp)
__global__ void kRows4(const int* items, int nItems, const int64_t* rowStart, const int* post, const float* w, float* target, int stride) {
  const int lane = threadIdx.x & 31, warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, sub = lane >> 3, l8 = lane & 7;
  for (int it = warp * 4 + sub; it < nItems; it += stride * 4) {
    const int row = items[it];
    for (int64_t s = rowStart[row] + l8; s < rowStart[row + 1]; s += 8) atomicAdd(&target[post[s]], w[s]);
  }
}
// loads only (no RED): how much of kRows is the chain of loads
__global__ void kRowsLoad(const int* items, int nItems, const int64_t* rowStart, const int* post, const float* w, float* sink, int stride) {
  const int lane = threadIdx.x & 31, warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  float acc = 0;
  for (int it = warp; it < nItems; it += stride) {
    const int row = items[it];
    for (int64_t s = rowStart[row] + lane; s < rowStart[row + 1]; s += 32) acc += w[s] * post[s];
  }
  if (acc == 12345.f) sink[0] = acc;
}

int main() {
  int sms = 0; CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  cudaDeviceProp p; CK(cudaGetDeviceProperties(&p, 0));
  printf("device %s, %d SMs, L2 %d MB\n", p.name, sms, p.l2CacheSize >> 20);
  std::mt19937 rng(1);
  cudaEvent_t a, b; cudaEventCreate(&a); cudaEventCreate(&b);
  auto timeIt = [&](auto launch, int reps) { launch(); cudaEventRecord(a); for (int r = 0; r < reps; ++r) launch(); cudaEventRecord(b); cudaEventSynchronize(b); float ms; cudaEventElapsedTime(&ms, a, b); return ms * 1000.0f / reps; };
  // 1. scattered REDs
  const int N = 5000000;
  std::vector<float> hw(N); for (auto& x : hw) x = 1e-3f * (rng() % 1000);
  int* dIdx; float* dW; float* dT;
  CK(cudaMalloc(&dIdx, N * 4)); CK(cudaMalloc(&dW, N * 4)); CK(cudaMalloc(&dT, (size_t)64 << 20 << 2));
  CK(cudaMemcpy(dW, hw.data(), N * 4, cudaMemcpyHostToDevice));
  for (int S : {262144, 1560000, 2600000, 10400000, 26000000}) {
    std::vector<int> hi(N); for (auto& x : hi) x = rng() % S;
    CK(cudaMemcpy(dIdx, hi.data(), N * 4, cudaMemcpyHostToDevice));
    for (int blocksPerSm : {4, 8}) {
      const float us = timeIt([&] { kRed<<<sms * blocksPerSm, 256>>>(dIdx, dW, N, dT); }, 20);
      printf("RED scattered: target %.1f MB, %d blocks/SM: %.1f us per 5M, %.1f G/s\n", S * 4e-6, blocksPerSm, us, N / us * 1e-3);
    }
  }
  // 2. rows like F's push: 650k rows (130k neurons x D 5), 50M synapses, 107k items per step
  const int nRows = 650000, nTarget = 2600000, nItems = 107000;
  std::vector<int64_t> hs(nRows + 1); hs[0] = 0;
  for (int r = 0; r < nRows; ++r) hs[r + 1] = hs[r] + (rng() % 151);  // mean 75
  const int64_t E = hs[nRows];
  std::vector<int> hp(E); for (auto& x : hp) x = rng() % nTarget;
  std::vector<float> hw2(E); for (auto& x : hw2) x = 1e-3f * (rng() % 1000);
  int64_t* dRS; int* dPost; float* dW2; int* dItems;
  CK(cudaMalloc(&dRS, (nRows + 1) * 8)); CK(cudaMalloc(&dPost, E * 4)); CK(cudaMalloc(&dW2, E * 4)); CK(cudaMalloc(&dItems, nItems * 4 * 25));
  CK(cudaMemcpy(dRS, hs.data(), (nRows + 1) * 8, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dPost, hp.data(), E * 4, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dW2, hw2.data(), E * 4, cudaMemcpyHostToDevice));
  // 25 different item lists (steps), so rows are not L2-resident from the previous repetition
  std::vector<int> hItems((size_t)nItems * 25);
  for (auto& x : hItems) x = rng() % nRows;
  CK(cudaMemcpy(dItems, hItems.data(), hItems.size() * 4, cudaMemcpyHostToDevice));
  int64_t syn = 0; for (int k = 0; k < nItems; ++k) syn += hs[hItems[k] + 1] - hs[hItems[k]];
  printf("rows: %d rows, %lld synapses, %d items per step, %lld synapses per step\n", nRows, (long long)E, nItems, (long long)syn);
  for (int blocksPerSm : {4, 8}) {
    const int grid = sms * blocksPerSm, stride = grid * 8;
    int step = 0;
    float us = timeIt([&] { kRows<<<grid, 256>>>(dItems + (size_t)(step++ % 25) * nItems, nItems, dRS, dPost, dW2, dT, stride); }, 25);
    printf("kRows  %d blocks/SM: %.1f us per step (%.1f G RED/s)\n", blocksPerSm, us, syn / us * 1e-3);
    us = timeIt([&] { kRows4<<<grid, 256>>>(dItems + (size_t)(step++ % 25) * nItems, nItems, dRS, dPost, dW2, dT, stride); }, 25);
    printf("kRows4 %d blocks/SM: %.1f us per step\n", blocksPerSm, us);
    us = timeIt([&] { kRowsLoad<<<grid, 256>>>(dItems + (size_t)(step++ % 25) * nItems, nItems, dRS, dPost, dW2, dT, stride); }, 25);
    printf("kRowsLoad (no RED) %d blocks/SM: %.1f us per step\n", blocksPerSm, us);
  }
  CK(cudaGetLastError());
  return 0;
}
