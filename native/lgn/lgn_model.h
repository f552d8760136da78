// The LGN filter model as the native backends see it (SPEC §6.1): spatial taps per size bin, unit geometry,
// temporal kernels in flipped order, amplitudes and spontaneous rates. Built once per unit table by
// lib/lgn (TS computes the kernels), then applied to movies by the CPU or CUDA backend.
#pragma once
#include <cstdint>
#include <vector>

namespace v1lm::lgn {

struct LgnModel {
  int n = 0;                      // units
  // Size bins in use: taps of bin b at tapOffset[b], length 2·radius[b] + 1.
  std::vector<float> taps;
  std::vector<int> tapOffset, radius;
  std::vector<int> unitBin;       // dense bin index per unit
  std::vector<double> y, x;       // dominant centre, pixel coordinates
  std::vector<int> ndIndex;       // index into the non-dominant arrays, −1 for single-subunit units
  std::vector<double> yNd, xNd;   // non-dominant centre per composite unit
  std::vector<double> amp, spontDom;   // per unit
  std::vector<double> ampNd, spontNd;  // per composite unit
  int kDom = 0, kNd = 0, nc = 0;
  std::vector<float> kernDom;     // kDom × n, flipped order (row kDom−1 = lag 0)
  std::vector<float> kernNd;      // kNd × nc
  std::vector<int> firstDom, firstNd;  // first nonzero kernel row per unit
  // CPU layout: kernels transposed to one contiguous row per unit.
  std::vector<float> kernDomT, kernNdT;
  void* device = nullptr;         // CUDA-side copy (cuda/lgn), freed by releaseDevice
};

struct LgnTiming {
  double uploadMs = 0, spatialMs = 0, temporalMs = 0, downloadMs = 0, totalMs = 0;
};

// CPU reference. movie: T × kRows × kCols. rates and probabilities: T × n (probabilities may be null).
void ratesCpu(const LgnModel& m, const float* movie, int T, float* rates, float* probabilities, int threads,
              LgnTiming* timing);

#ifdef V1LM_WITH_CUDA
// CUDA backend (cuda/lgn/lgn.cu): same contract as ratesCpu. Throws std::runtime_error on CUDA errors.
void ratesCuda(LgnModel& m, const float* movie, int T, float* rates, float* probabilities, LgnTiming* timing);
void releaseDevice(LgnModel& m);
#endif

}  // namespace v1lm::lgn
