// Microbenchmark: cost of a dependent kernel boundary (graph, with and without PDL) against a grid barrier in a
// persistent kernel, with k dependent L2 round trips per step.
#include <cstdio>
#include <vector>
#include <algorithm>
#include <cuda_runtime.h>
#include <cooperative_groups.h>
namespace cg = cooperative_groups;
#define CK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("%s:%d %s\n", __FILE__, __LINE__, cudaGetErrorString(e)); exit(1); } } while (0)

__device__ __forceinline__ void waitPrev() { asm volatile("griddepcontrol.wait;" ::: "memory"); }
__device__ __forceinline__ void releaseNext() { asm volatile("griddepcontrol.launch_dependents;" ::: "memory"); }
__device__ __forceinline__ unsigned ldAcq(const unsigned* p) { unsigned x; asm volatile("ld.acquire.gpu.global.u32 %0, [%1];" : "=r"(x) : "l"(p) : "memory"); return x; }
__device__ __forceinline__ void stRel(unsigned* p, unsigned v) { asm volatile("st.release.gpu.global.u32 [%0], %1;" :: "l"(p), "r"(v) : "memory"); }

// k dependent loads through L2 starting from a per-thread index; one store at the end.
__device__ __forceinline__ int chase(const int* next, int start, int k) {
  int x = start;
  for (int j = 0; j < k; ++j) x = __ldcg(next + x);
  return x;
}

template <bool Pdl>
__global__ void kStepLike(const int* next, int* out, int k, int t) {
  if constexpr (Pdl) { waitPrev(); releaseNext(); }
  const int g = blockIdx.x * blockDim.x + threadIdx.x;
  const int x = chase(next, (g * 97 + t) & ((1 << 20) - 1), k);
  out[g] = x;
}

struct Barrier { unsigned arrived, generation; };
__device__ void syncCounter(Barrier* b) {
  __syncthreads();
  if (threadIdx.x == 0) {
    const unsigned gen = ldAcq(&b->generation);
    __threadfence();
    if (atomicAdd(&b->arrived, 1u) == gridDim.x - 1) { atomicExch(&b->arrived, 0u); __threadfence(); atomicAdd(&b->generation, 1u); }
    else while (ldAcq(&b->generation) == gen) {}
    __threadfence();
  }
  __syncthreads();
}
// Flags: block i stores epoch into flags[i] (release); warp 0 of every block polls all flags (acquire).
__device__ void syncFlags(unsigned* flags, unsigned epoch) {
  __syncthreads();
  if (threadIdx.x == 0) stRel(flags + blockIdx.x * 32, epoch);  // one line per flag
  if (threadIdx.x < 32) {
    for (int i = threadIdx.x; i < gridDim.x; i += 32)
      while ((int)(ldAcq(flags + i * 32) - epoch) < 0) {}
    __syncwarp();
  }
  __syncthreads();
}

template <int Kind>
__global__ void kPersistent(const int* next, int* out, int k, int steps, Barrier* bar, unsigned* flags, unsigned epoch0) {
  const int g = blockIdx.x * blockDim.x + threadIdx.x;
  cg::grid_group grid = cg::this_grid();
  for (int t = 0; t < steps; ++t) {
    const int x = chase(next, (g * 97 + t) & ((1 << 20) - 1), k);
    out[g] = x;
    if constexpr (Kind == 0) syncCounter(bar);
    else if constexpr (Kind == 1) syncFlags(flags, epoch0 + t + 1);
    else grid.sync();
  }
}

static float median(std::vector<float> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; }

int main() {
  cudaDeviceProp prop; CK(cudaGetDeviceProperties(&prop, 0));
  printf("device %s, %d SMs\n", prop.name, prop.multiProcessorCount);
  const int N = 1 << 20;
  std::vector<int> h(N);
  for (int i = 0; i < N; ++i) h[i] = (int)((i * 2654435761u + 12345u) & (N - 1));
  int *next, *out; CK(cudaMalloc(&next, N * 4)); CK(cudaMalloc(&out, 64 << 20));
  CK(cudaMemcpy(next, h.data(), N * 4, cudaMemcpyHostToDevice));
  Barrier* bar; CK(cudaMalloc(&bar, sizeof(Barrier))); CK(cudaMemset(bar, 0, sizeof(Barrier)));
  unsigned* flags; CK(cudaMalloc(&flags, 1024 * 32 * 4)); CK(cudaMemset(flags, 0, 1024 * 32 * 4));
  cudaStream_t s; CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  cudaEvent_t e0, e1; CK(cudaEventCreate(&e0)); CK(cudaEventCreate(&e1));
  const int steps = 500;
  printf("%-34s %8s\n", "variant", "us/step");
  for (int pdl = 0; pdl < 2; ++pdl)
    for (int blocks : {132, 300, 600})
      for (int k : {0, 1, 2, 4}) {
        cudaGraph_t graph; cudaGraphExec_t exec;
        CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
        for (int t = 0; t < steps; ++t) {
          cudaLaunchConfig_t cfg = {};
          cfg.gridDim = dim3(blocks); cfg.blockDim = dim3(256); cfg.stream = s;
          cudaLaunchAttribute attr[1];
          attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
          attr[0].val.programmaticStreamSerializationAllowed = 1;
          cfg.attrs = attr; cfg.numAttrs = (pdl && t > 0) ? 1 : 0;
          if (pdl) CK(cudaLaunchKernelEx(&cfg, kStepLike<true>, (const int*)next, out, k, t));
          else CK(cudaLaunchKernelEx(&cfg, kStepLike<false>, (const int*)next, out, k, t));
        }
        CK(cudaStreamEndCapture(s, &graph));
        CK(cudaGraphInstantiate(&exec, graph, 0));
        std::vector<float> ms;
        for (int r = 0; r < 12; ++r) {
          CK(cudaEventRecord(e0, s)); CK(cudaGraphLaunch(exec, s)); CK(cudaEventRecord(e1, s)); CK(cudaEventSynchronize(e1));
          float x; CK(cudaEventElapsedTime(&x, e0, e1)); if (r >= 2) ms.push_back(x);
        }
        printf("graph %-4s blocks %4d k %d %15.2f\n", pdl ? "pdl" : "", blocks, k, median(ms) * 1000 / steps);
        CK(cudaGraphExecDestroy(exec)); CK(cudaGraphDestroy(graph));
      }
  unsigned epoch = 0;
  for (int kind = 0; kind < 3; ++kind)
    for (int threads : {256, 512})
      for (int k : {0, 1, 2, 4}) {
        const int blocks = prop.multiProcessorCount;
        std::vector<float> ms;
        for (int r = 0; r < 12; ++r) {
          CK(cudaEventRecord(e0, s));
          void* args[] = {(void*)&next, (void*)&out, (void*)&k, (void*)&steps, (void*)&bar, (void*)&flags, (void*)&epoch};
          const void* fn = kind == 0 ? (const void*)kPersistent<0> : kind == 1 ? (const void*)kPersistent<1> : (const void*)kPersistent<2>;
          CK(cudaLaunchCooperativeKernel(fn, dim3(blocks), dim3(threads), args, 0, s));
          epoch += steps;
          CK(cudaEventRecord(e1, s)); CK(cudaEventSynchronize(e1));
          float x; CK(cudaEventElapsedTime(&x, e0, e1)); if (r >= 2) ms.push_back(x);
        }
        printf("persistent %-7s thr %3d k %d %14.2f\n", kind == 0 ? "counter" : kind == 1 ? "flags" : "cg", threads, k, median(ms) * 1000 / steps);
      }
  return 0;
}
