// v30 call E: which property of F's spike rows lowers their RED rate (F's recurrent push: ≈ 54 G/s, v30 a/; scattered
// REDs into an L2-resident target: 86.8 G/s, v29 f/). F-like sizes: 130,000 neurons in 130 populations of 1,000, R = 3
// slots, B = 10 slabs of 390,000 floats (15.6 MB of targets), rows of 50–700 synapses (mean ≈ 375), 21,000 items a step
// (neuron, batch element), 25 different steps. kPush<1>'s walk (warp per item, 32 synapses a round, RED each).
// Targets of a row: "pop" = drawn from the 10 populations its population projects to (sorted, as the builder's rows);
// "uni" = uniform over all neurons (sorted); "uniU" = uniform, unsorted. Item orders: "list" = by (batch element,
// neuron), as kNeuron appends them (a warp's 32 neurons at a time); "scr" = item k · 1000003 mod n (v30's merged order).
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>
#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("CUDA %s at %d\n", cudaGetErrorString(e), __LINE__); return 1; } } while (0)

__global__ void kRows(const int* items, int nItems, const int64_t* rowStart, const int* post, const float* w, float* target, int slab,
                      int neurons, bool scramble) {
  const int lane = threadIdx.x & 31, warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, stride = gridDim.x * blockDim.x / 32;
  for (int taken = warp; taken < nItems; taken += stride) {
    const int k = scramble ? static_cast<int>(static_cast<int64_t>(taken) * 1000003 % nItems) : taken;
    const int e = items[k], b = e / neurons, row = e % neurons;
    float* I = target + static_cast<size_t>(b) * slab;
    for (int64_t s = rowStart[row] + lane; s < rowStart[row + 1]; s += 32) atomicAdd(&I[post[s]], w[s]);
  }
}

int main() {
  int sms = 0;
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  cudaDeviceProp p;
  CK(cudaGetDeviceProperties(&p, 0));
  printf("device %s, %d SMs, L2 %d MB\n", p.name, sms, p.l2CacheSize >> 20);
  const int pops = 130, perPop = 1000, neurons = pops * perPop, R = 3, B = 10, slab = neurons * R, nItems = 21000, steps = 25;
  std::mt19937 rng(7);
  std::vector<int64_t> rs(neurons + 1);
  rs[0] = 0;
  for (int i = 0; i < neurons; ++i) rs[i + 1] = rs[i] + 50 + rng() % 651;
  const int64_t E = rs[neurons];
  std::vector<std::vector<int>> projects(pops);
  for (auto& v : projects)
    for (int k = 0; k < 10; ++k) v.push_back(rng() % pops);
  std::vector<int> postPop(E), postUni(E), postUniU(E);
  std::vector<float> w(E);
  for (int i = 0; i < neurons; ++i) {
    const int pi = i / perPop;
    for (int64_t s = rs[i]; s < rs[i + 1]; ++s) {
      const int tp = projects[pi][rng() % 10];
      postPop[s] = (tp * perPop + rng() % perPop) * R + rng() % R;
      postUni[s] = postUniU[s] = (rng() % neurons) * R + rng() % R;
      w[s] = 1e-3f * (rng() % 1000);
    }
    std::sort(postPop.begin() + rs[i], postPop.begin() + rs[i + 1]);
    std::sort(postUni.begin() + rs[i], postUni.begin() + rs[i + 1]);
  }
  std::vector<int> items(static_cast<size_t>(nItems) * steps);
  int64_t synapses = 0;
  for (int st = 0; st < steps; ++st) {
    int* it = items.data() + static_cast<size_t>(st) * nItems;
    for (int k = 0; k < nItems; ++k) it[k] = rng() % (B * neurons);
    std::sort(it, it + nItems);  // kNeuron's append order: batch element, then neuron
    for (int k = 0; k < nItems; ++k) synapses += rs[it[k] % neurons + 1] - rs[it[k] % neurons];
  }
  printf("%lld synapses, %.0f per step, %d items per step, targets %.1f MB\n", (long long)E, synapses / double(steps), nItems, B * slab * 4e-6);
  int64_t* dRs;
  int *dPop, *dUni, *dUniU, *dItems;
  float *dW, *dT;
  CK(cudaMalloc(&dRs, (neurons + 1) * 8));
  CK(cudaMalloc(&dPop, E * 4));
  CK(cudaMalloc(&dUni, E * 4));
  CK(cudaMalloc(&dUniU, E * 4));
  CK(cudaMalloc(&dW, E * 4));
  CK(cudaMalloc(&dItems, items.size() * 4));
  CK(cudaMalloc(&dT, static_cast<size_t>(B) * slab * 4));
  CK(cudaMemcpy(dRs, rs.data(), (neurons + 1) * 8, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dPop, postPop.data(), E * 4, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dUni, postUni.data(), E * 4, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dUniU, postUniU.data(), E * 4, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dW, w.data(), E * 4, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dItems, items.data(), items.size() * 4, cudaMemcpyHostToDevice));
  CK(cudaMemset(dT, 0, static_cast<size_t>(B) * slab * 4));
  cudaEvent_t a, b;
  cudaEventCreate(&a), cudaEventCreate(&b);
  const char* names[3] = {"pop", "uni", "uniU"};
  int* posts[3] = {dPop, dUni, dUniU};
  for (int round = 0; round < 2; ++round)
    for (int q = 0; q < 3; ++q)
      for (int scr = 0; scr < 2; ++scr) {
        const auto run = [&] {
          for (int st = 0; st < steps; ++st)
            kRows<<<sms * 4, 256>>>(dItems + static_cast<size_t>(st) * nItems, nItems, dRs, posts[q], dW, dT, slab, neurons, scr);
        };
        run();
        cudaEventRecord(a);
        run();
        cudaEventRecord(b);
        CK(cudaEventSynchronize(b));
        float ms;
        cudaEventElapsedTime(&ms, a, b);
        const double us = ms * 1000.0 / steps;
        printf("round %d  targets %-4s  order %-4s  %6.1f us per step  %5.1f G RED/s\n", round, names[q], scr ? "scr" : "list", us,
               synapses / double(steps) / us * 1e-3);
      }
  CK(cudaGetLastError());
  return 0;
}
