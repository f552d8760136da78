// Prepared for the next session (not run in v30): rowpattern.cu's walk (population targets, list order and scrambled),
// plus the three candidates v30 left for the gap between that walk (73–78 G REDs/s) and F's own rows (≈ 55 G/s):
//  "prologue": each block first builds an entry table as kPush does (thread 0 walking 8 blocks' fields of a
//              __grid_constant__ parameter block, then a serial prefix over 20 entries), then takes its items through it
//              (binary search, the entry's parameters, the list entry, a division) instead of a plain item list;
//  "burst":    the steps' item counts spread 0.5–1.5× around 21,000 (same total);
//  "stream":   a kernel streaming 140 MB (read and write, as kNeuron's state at B 10) between two pushes.
// Build: nvcc -O3 -arch=sm_90 -std=c++17 -o rowpattern2 rowpattern2.cu
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>
#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("CUDA %s at %d\n", cudaGetErrorString(e), __LINE__); return 1; } } while (0)

constexpr int kEntries = 20;  // 4 delayed blocks × D 5, as F's network
struct Block { int active, kind, nPre; const int64_t* rowStart; const int* post; const float* w; };
struct Params { int nBlocks; Block block[8]; const int* list[kEntries]; int count[kEntries]; int neurons; };

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

// kPush's structure: the items are the entries' lists one after another (entry = block × delay, each list a slice of
// the step's items), found by a binary search over the prefix of their counts.
__global__ void kRowsPrologue(const __grid_constant__ Params p, float* target, int slab, bool scramble) {
  const int lane = threadIdx.x & 31, warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, stride = gridDim.x * blockDim.x / 32;
  __shared__ int entryEnd[kEntries];
  __shared__ short entryBlock[kEntries];
  __shared__ int nEntries;
  if (threadIdx.x == 0) {
    int e = 0;
    for (int bk = 0; bk < p.nBlocks; ++bk) {
      if (!p.block[bk].active || p.block[bk].kind > 1) continue;
      for (int d = 0; d < kEntries / 4 && e < kEntries; ++d, ++e) entryBlock[e] = static_cast<short>(bk);
    }
    nEntries = e;
  }
  __syncthreads();
  for (int e = threadIdx.x; e < nEntries; e += blockDim.x) entryEnd[e] = p.count[e];
  __syncthreads();
  if (threadIdx.x == 0)
    for (int e = 1; e < nEntries; ++e) entryEnd[e] += entryEnd[e - 1];
  __syncthreads();
  const int total = entryEnd[nEntries - 1];
  for (int taken = warp; taken < total; taken += stride) {
    const int item = scramble ? static_cast<int>(static_cast<int64_t>(taken) * 1000003 % total) : taken;
    int lo = 0, hi = nEntries - 1;
    while (lo < hi) {
      const int mid = (lo + hi) >> 1;
      if (entryEnd[mid] > item) hi = mid;
      else lo = mid + 1;
    }
    const Block& blk = p.block[entryBlock[lo]];
    const int e = p.list[lo][item - (lo ? entryEnd[lo - 1] : 0)], b = e / p.neurons, row = e % p.neurons;
    float* I = target + static_cast<size_t>(b) * slab;
    for (int64_t s = blk.rowStart[row] + lane; s < blk.rowStart[row + 1]; s += 32) atomicAdd(&I[blk.post[s]], blk.w[s]);
  }
}

__global__ void kStream(float4* x, size_t n) {
  for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < n; i += static_cast<size_t>(gridDim.x) * blockDim.x) {
    float4 v = x[i];
    v.x += 1.0f;
    x[i] = v;
  }
}

int main() {
  int sms = 0;
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  cudaDeviceProp prop;
  CK(cudaGetDeviceProperties(&prop, 0));
  printf("device %s, %d SMs, L2 %d MB\n", prop.name, sms, prop.l2CacheSize >> 20);
  const int pops = 130, perPop = 1000, neurons = pops * perPop, R = 3, B = 10, slab = neurons * R, meanItems = 21000, steps = 25;
  std::mt19937 rng(7);
  std::vector<int64_t> rs(neurons + 1);
  rs[0] = 0;
  for (int i = 0; i < neurons; ++i) rs[i + 1] = rs[i] + 50 + rng() % 651;
  const int64_t E = rs[neurons];
  std::vector<std::vector<int>> projects(pops);
  for (auto& v : projects)
    for (int k = 0; k < 10; ++k) v.push_back(rng() % pops);
  std::vector<int> post(E);
  std::vector<float> w(E);
  for (int i = 0; i < neurons; ++i) {
    for (int64_t s = rs[i]; s < rs[i + 1]; ++s)
      post[s] = (projects[i / perPop][rng() % 10] * perPop + rng() % perPop) * R + rng() % R, w[s] = 1e-3f * (rng() % 1000);
    std::sort(post.begin() + rs[i], post.begin() + rs[i + 1]);
  }
  // Two sets of steps: every step 21,000 items ("even"), or 0.5–1.5× that ("burst", the same total over the steps).
  std::vector<int> counts[2];
  for (int st = 0; st < steps; ++st) {
    counts[0].push_back(meanItems);
    // pairs of steps summing to 2 · meanItems (the last, odd one meanItems)
    counts[1].push_back(st == steps - 1 ? meanItems : st % 2 == 0 ? meanItems / 2 + static_cast<int>(rng() % meanItems) : 2 * meanItems - counts[1].back());
  }
  std::vector<int> items[2];
  int64_t synapses[2] = {0, 0};
  for (int set = 0; set < 2; ++set)
    for (int st = 0; st < steps; ++st) {
      const size_t at = items[set].size();
      for (int k = 0; k < counts[set][st]; ++k) items[set].push_back(rng() % (B * neurons));
      std::sort(items[set].begin() + at, items[set].end());
      for (size_t k = at; k < items[set].size(); ++k) synapses[set] += rs[items[set][k] % neurons + 1] - rs[items[set][k] % neurons];
    }
  int64_t* dRs;
  int *dPost, *dItems[2];
  float *dW, *dT;
  float4* dState;
  const size_t stateFloat4 = (140u << 20) / 32;  // 70 MB read + 70 MB written
  CK(cudaMalloc(&dRs, (neurons + 1) * 8));
  CK(cudaMalloc(&dPost, E * 4));
  CK(cudaMalloc(&dW, E * 4));
  for (int set = 0; set < 2; ++set) {
    CK(cudaMalloc(&dItems[set], items[set].size() * 4));
    CK(cudaMemcpy(dItems[set], items[set].data(), items[set].size() * 4, cudaMemcpyHostToDevice));
  }
  CK(cudaMalloc(&dT, static_cast<size_t>(B) * slab * 4));
  CK(cudaMalloc(&dState, stateFloat4 * 16));
  CK(cudaMemcpy(dRs, rs.data(), (neurons + 1) * 8, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dPost, post.data(), E * 4, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(dW, w.data(), E * 4, cudaMemcpyHostToDevice));
  CK(cudaMemset(dT, 0, static_cast<size_t>(B) * slab * 4));
  CK(cudaMemset(dState, 0, stateFloat4 * 16));
  cudaEvent_t a, b, c0[steps], c1[steps];  // c0[st], c1[st] around push st (no host sync inside a run: no launch gaps)
  cudaEventCreate(&a), cudaEventCreate(&b);
  for (int st = 0; st < steps; ++st) cudaEventCreate(&c0[st]), cudaEventCreate(&c1[st]);
  // The entry structure of kRowsPrologue: 4 delayed blocks (+ 4 inactive / input ones), each step's items cut into 20 lists.
  const auto paramsOf = [&](const int* stepItems, int n) {
    Params p{};
    p.nBlocks = 8;
    for (int bk = 0; bk < 8; ++bk) p.block[bk] = Block{1, bk < 4 ? 0 : 2, neurons, dRs, dPost, dW};
    for (int e = 0; e < kEntries; ++e) p.list[e] = stepItems + static_cast<int64_t>(n) * e / kEntries, p.count[e] = n * (e + 1) / kEntries - n * e / kEntries;
    p.neurons = neurons;
    return p;
  };
  for (int round = 0; round < 2; ++round)
    for (int variant = 0; variant < 4; ++variant)  // 0 walk, 1 prologue, 2 walk on burst steps, 3 walk with the stream between pushes
      for (int scr = 0; scr < 2; ++scr) {
        const int set = variant == 2 ? 1 : 0;
        float pushMs = 0;
        const auto run = [&](bool time) {
          size_t at = 0;
          for (int st = 0; st < steps; ++st) {
            const int n = counts[set][st];
            const int* stepItems = dItems[set] + at;
            at += n;
            if (variant == 3) kStream<<<sms * 8, 256>>>(dState, stateFloat4);
            if (time) cudaEventRecord(c0[st]);
            if (variant == 1) kRowsPrologue<<<sms * 4, 256>>>(paramsOf(stepItems, n), dT, slab, scr);
            else kRows<<<sms * 4, 256>>>(stepItems, n, dRs, dPost, dW, dT, slab, neurons, scr);
            if (time) cudaEventRecord(c1[st]);
          }
        };
        run(false);
        cudaEventRecord(a);
        run(true);
        cudaEventRecord(b);
        CK(cudaEventSynchronize(b));
        for (int st = 0; st < steps; ++st) {
          float ms;
          cudaEventElapsedTime(&ms, c0[st], c1[st]);
          pushMs += ms;
        }
        const char* names[4] = {"walk", "prologue", "burst", "stream"};
        const double us = pushMs * 1000.0 / steps;
        printf("round %d  %-8s  order %-4s  %6.1f us per push  %5.1f G RED/s\n", round, names[variant], scr ? "scr" : "list", us,
               synapses[set] / double(steps) / us * 1e-3);
      }
  CK(cudaGetLastError());
  return 0;
}
