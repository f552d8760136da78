// CUDA backend of the LGN filter model (SPEC §6.1, Appendix B). Same formulas as the CPU backend
// (v1lm/lgn.h, double accumulation in the same order, --fmad=false), so both give the same rates.
// Stages: per chunk of frames, horizontal Gaussian pass of every used size bin, then bilinear sampling
// (with the vertical pass) at every unit centre into S (T × n); finally the temporal FIR + rectification.
#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "lgn/lgn_model.h"
#include "v1lm/lgn.h"

namespace v1lm::lgn {
namespace {
void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw std::runtime_error(std::string("CUDA error in LGN ") + what + ": " + cudaGetErrorString(err));
}

constexpr int kChunk = 128;   // frames per spatial chunk
constexpr int kTBlock = 8;    // outputs per thread in the temporal stage

struct Device {
  float* taps = nullptr;
  int* tapOffset = nullptr;
  int* radius = nullptr;
  int* unitBin = nullptr;
  double *y = nullptr, *x = nullptr, *yNd = nullptr, *xNd = nullptr;
  int* ndIndex = nullptr;
  double *amp = nullptr, *spontDom = nullptr, *ampNd = nullptr, *spontNd = nullptr;
  float *kernDom = nullptr, *kernNd = nullptr;
  int *firstDom = nullptr, *firstNd = nullptr;
};

template <class T>
T* upload(const std::vector<T>& v) {
  T* p = nullptr;
  size_t bytes = std::max<size_t>(1, v.size()) * sizeof(T);
  check(cudaMalloc(&p, bytes), "cudaMalloc");
  if (!v.empty()) check(cudaMemcpy(p, v.data(), v.size() * sizeof(T), cudaMemcpyHostToDevice), "upload");
  return p;
}

__global__ void horizontalKernel(const float* movie, int frames, int nBins, const float* taps, const int* tapOffset,
                                 const int* radius, float* H) {
  long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  long long total = static_cast<long long>(frames) * nBins * kRows * kCols;
  if (i >= total) return;
  int x = static_cast<int>(i % kCols);
  long long rest = i / kCols;
  int row = static_cast<int>(rest % kRows);
  rest /= kRows;
  int b = static_cast<int>(rest % nBins);
  int f = static_cast<int>(rest / nBins);
  const float* line = movie + (static_cast<long long>(f) * kRows + row) * kCols;
  H[i] = horizontalPass(line, x, taps + tapOffset[b], radius[b]);
}

__global__ void sampleKernel(const float* H, int frames, int t0, int nBins, const float* taps, const int* tapOffset,
                             const int* radius, int n, int nc, const int* unitBin, const double* y, const double* x,
                             const int* ndIndex, const double* yNd, const double* xNd, float* sDom, float* sNd) {
  long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  if (i >= static_cast<long long>(frames) * n) return;
  int u = static_cast<int>(i % n);
  int f = static_cast<int>(i / n);
  int b = unitBin[u];
  const float* Hb = H + (static_cast<long long>(f) * nBins + b) * kRows * kCols;
  const float* tp = taps + tapOffset[b];
  long long t = t0 + f;
  sDom[t * n + u] = sampleFiltered(Hb, y[u], x[u], tp, radius[b]);
  int c = ndIndex[u];
  if (c >= 0) sNd[t * nc + c] = sampleFiltered(Hb, yNd[c], xNd[c], tp, radius[b]);
}

// Blocked FIR: outputs t0..t0+7 of one trace; each output sums j = first..K−1 in order (as on the CPU).
// The 8 trace values in use slide along in registers: one new load per kernel entry.
__device__ void filterBlock(const float* k, int stride, int K, int first, const float* s, long long sStride, int T,
                            int t0, double* acc) {
  double win[kTBlock];
  int jStart = K - 1 - (t0 + kTBlock - 1);
  if (jStart < first) jStart = first;
  long long base = static_cast<long long>(t0) - (K - 1) + jStart;
#pragma unroll
  for (int m = 0; m < kTBlock; ++m) {
    acc[m] = 0.0;
    long long idx = base + m;
    win[m] = (idx >= 0 && idx < T) ? static_cast<double>(s[idx * sStride]) : 0.0;
  }
  for (int j = jStart; j < K; ++j) {
    double kj = k[static_cast<long long>(j) * stride];
#pragma unroll
    for (int m = 0; m < kTBlock; ++m) acc[m] += kj * win[m];
#pragma unroll
    for (int m = 0; m < kTBlock - 1; ++m) win[m] = win[m + 1];
    long long idx = base + (j - jStart) + kTBlock;
    win[kTBlock - 1] = (idx >= 0 && idx < T) ? static_cast<double>(s[idx * sStride]) : 0.0;
  }
}

__global__ void temporalKernel(int T, int n, int nc, int kDom, int kNd, const float* kernDom, const float* kernNd,
                               const int* firstDom, const int* firstNd, const float* sDom, const float* sNd,
                               const int* ndIndex, const double* amp, const double* spontDom, const double* ampNd,
                               const double* spontNd, float* rates, float* probabilities) {
  long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  int blocks = (T + kTBlock - 1) / kTBlock;
  if (i >= static_cast<long long>(blocks) * n) return;
  int u = static_cast<int>(i % n);
  int t0 = static_cast<int>(i / n) * kTBlock;
  double fDom[kTBlock], fNd[kTBlock];
  filterBlock(kernDom + u, n, kDom, firstDom[u], sDom + u, n, T, t0, fDom);
  int c = ndIndex[u];
  if (c >= 0) filterBlock(kernNd + c, nc, kNd, firstNd[c], sNd + c, nc, T, t0, fNd);
  for (int m = 0; m < kTBlock && t0 + m < T; ++m) {
    float r = c >= 0 ? unitRate(fDom[m], amp[u], spontDom[u], true, fNd[m], ampNd[c], spontNd[c])
                     : unitRate(fDom[m], amp[u], spontDom[u], false, 0.0, 0.0, 0.0);
    long long o = static_cast<long long>(t0 + m) * n + u;
    rates[o] = r;
    if (probabilities) probabilities[o] = spikeProbability(r);
  }
}

Device* ensureDevice(LgnModel& m) {
  if (m.device) return static_cast<Device*>(m.device);
  Device* d = new Device();
  d->taps = upload(m.taps);
  d->tapOffset = upload(m.tapOffset);
  d->radius = upload(m.radius);
  d->unitBin = upload(m.unitBin);
  d->y = upload(m.y);
  d->x = upload(m.x);
  d->yNd = upload(m.yNd);
  d->xNd = upload(m.xNd);
  d->ndIndex = upload(m.ndIndex);
  d->amp = upload(m.amp);
  d->spontDom = upload(m.spontDom);
  d->ampNd = upload(m.ampNd);
  d->spontNd = upload(m.spontNd);
  d->kernDom = upload(m.kernDom);
  d->kernNd = upload(m.kernNd);
  d->firstDom = upload(m.firstDom);
  d->firstNd = upload(m.firstNd);
  m.device = d;
  return d;
}

unsigned gridFor(long long threads, int block) { return static_cast<unsigned>((threads + block - 1) / block); }
}  // namespace

void releaseDevice(LgnModel& m) {
  if (!m.device) return;
  Device* d = static_cast<Device*>(m.device);
  void* ptrs[] = {d->taps, d->tapOffset, d->radius, d->unitBin, d->y, d->x, d->yNd, d->xNd, d->ndIndex,
                  d->amp, d->spontDom, d->ampNd, d->spontNd, d->kernDom, d->kernNd, d->firstDom, d->firstNd};
  for (void* p : ptrs) cudaFree(p);
  delete d;
  m.device = nullptr;
}

void ratesCuda(LgnModel& m, const float* movie, int T, float* rates, float* probabilities, LgnTiming* timing) {
  Device* d = ensureDevice(m);
  const int n = m.n, nc = m.nc, nBins = static_cast<int>(m.radius.size());
  cudaEvent_t ev[5];
  for (auto& e : ev) check(cudaEventCreate(&e), "event");
  float *dMovie = nullptr, *dH = nullptr, *dSDom = nullptr, *dSNd = nullptr, *dRates = nullptr, *dProb = nullptr;
  const size_t frameFloats = static_cast<size_t>(kRows) * kCols;
  try {
    check(cudaMalloc(&dMovie, static_cast<size_t>(T) * frameFloats * sizeof(float)), "cudaMalloc movie");
    check(cudaMalloc(&dH, static_cast<size_t>(kChunk) * nBins * frameFloats * sizeof(float)), "cudaMalloc H");
    check(cudaMalloc(&dSDom, static_cast<size_t>(T) * n * sizeof(float)), "cudaMalloc S");
    check(cudaMalloc(&dSNd, std::max<size_t>(1, static_cast<size_t>(T) * nc) * sizeof(float)), "cudaMalloc S_nd");
    check(cudaMalloc(&dRates, static_cast<size_t>(T) * n * sizeof(float)), "cudaMalloc rates");
    if (probabilities) check(cudaMalloc(&dProb, static_cast<size_t>(T) * n * sizeof(float)), "cudaMalloc p");
    cudaEventRecord(ev[0]);
    check(cudaMemcpy(dMovie, movie, static_cast<size_t>(T) * frameFloats * sizeof(float), cudaMemcpyHostToDevice),
          "movie upload");
    cudaEventRecord(ev[1]);
    const int block = 256;
    for (int t0 = 0; t0 < T; t0 += kChunk) {
      int frames = std::min(kChunk, T - t0);
      long long hThreads = static_cast<long long>(frames) * nBins * frameFloats;
      horizontalKernel<<<gridFor(hThreads, block), block>>>(dMovie + t0 * frameFloats, frames, nBins, d->taps,
                                                           d->tapOffset, d->radius, dH);
      sampleKernel<<<gridFor(static_cast<long long>(frames) * n, block), block>>>(
          dH, frames, t0, nBins, d->taps, d->tapOffset, d->radius, n, nc, d->unitBin, d->y, d->x, d->ndIndex, d->yNd,
          d->xNd, dSDom, dSNd);
    }
    check(cudaGetLastError(), "spatial kernels");
    cudaEventRecord(ev[2]);
    long long tThreads = static_cast<long long>((T + kTBlock - 1) / kTBlock) * n;
    temporalKernel<<<gridFor(tThreads, 128), 128>>>(T, n, nc, m.kDom, m.kNd, d->kernDom, d->kernNd, d->firstDom,
                                                    d->firstNd, dSDom, dSNd, d->ndIndex, d->amp, d->spontDom, d->ampNd,
                                                    d->spontNd, dRates, dProb);
    check(cudaGetLastError(), "temporal kernel");
    cudaEventRecord(ev[3]);
    check(cudaMemcpy(rates, dRates, static_cast<size_t>(T) * n * sizeof(float), cudaMemcpyDeviceToHost), "download");
    if (probabilities)
      check(cudaMemcpy(probabilities, dProb, static_cast<size_t>(T) * n * sizeof(float), cudaMemcpyDeviceToHost),
            "download p");
    cudaEventRecord(ev[4]);
    check(cudaEventSynchronize(ev[4]), "sync");
    if (timing) {
      float a, b, c, e;
      cudaEventElapsedTime(&a, ev[0], ev[1]);
      cudaEventElapsedTime(&b, ev[1], ev[2]);
      cudaEventElapsedTime(&c, ev[2], ev[3]);
      cudaEventElapsedTime(&e, ev[3], ev[4]);
      timing->uploadMs = a;
      timing->spatialMs = b;
      timing->temporalMs = c;
      timing->downloadMs = e;
      timing->totalMs = a + b + c + e;
    }
  } catch (...) {
    cudaFree(dMovie); cudaFree(dH); cudaFree(dSDom); cudaFree(dSNd); cudaFree(dRates); cudaFree(dProb);
    for (auto& e : ev) cudaEventDestroy(e);
    throw;
  }
  cudaFree(dMovie); cudaFree(dH); cudaFree(dSDom); cudaFree(dSNd); cudaFree(dRates); cudaFree(dProb);
  for (auto& e : ev) cudaEventDestroy(e);
}
}  // namespace v1lm::lgn
