// LGN filter formulas shared by the CPU (native/lgn) and CUDA (cuda/lgn) backends (SPEC §6.1, Appendix B).
// Every function accumulates in double in a fixed order, so both backends give the same float results.
#pragma once
#include <math.h>
#include <stdint.h>

#ifndef V1LM_HD
#ifdef __CUDACC__
#define V1LM_HD __host__ __device__
#else
#define V1LM_HD
#endif
#endif

namespace v1lm::lgn {

constexpr int kRows = 120;  // screen elevation, px = degrees (SPEC §9.1)
constexpr int kCols = 240;  // screen azimuth

// One size bin's separable Gaussian (SPEC §6.1): taps[0..2r], centre at taps[r].
struct GaussTaps {
  const float* taps;
  int radius;
};

// Horizontal pass at (row, x) with edge renormalization: Σ g(a)·M[x+a] / Σ g(a) over the taps that fall
// on the screen (`bmtk_compat_lgn`: conv2d_SAME(M, K) / conv2d_SAME(1, K), which factorizes per axis).
V1LM_HD inline float horizontalPass(const float* row, int x, const float* taps, int radius) {
  double acc = 0.0, norm = 0.0;
  for (int a = -radius; a <= radius; ++a) {
    int xx = x + a;
    if (xx < 0 || xx >= kCols) continue;
    double w = taps[a + radius];
    acc += w * row[xx];
    norm += w;
  }
  return static_cast<float>(acc / norm);
}

// Vertical pass of the horizontally filtered frame H (kRows × kCols) at one pixel, edge-renormalized.
V1LM_HD inline double verticalPass(const float* H, int y, int x, const float* taps, int radius) {
  double acc = 0.0, norm = 0.0;
  for (int a = -radius; a <= radius; ++a) {
    int yy = y + a;
    if (yy < 0 || yy >= kRows) continue;
    double w = taps[a + radius];
    acc += w * H[yy * kCols + x];
    norm += w;
  }
  return acc / norm;
}

// Bilinear sample of the filtered frame at (y, x) in pixel coordinates (SPEC §6.1): corners
// (⌊y⌋,⌊x⌋), (⌈y⌉,⌊x⌋), (⌊y⌋,⌈x⌉), (⌈y⌉,⌈x⌉) with weights (1−fx)(1−fy), (1−fx)fy, fx(1−fy), fx·fy.
V1LM_HD inline float sampleFiltered(const float* H, double y, double x, const float* taps, int radius) {
  int y0 = static_cast<int>(floor(y)), y1 = static_cast<int>(ceil(y));
  int x0 = static_cast<int>(floor(x)), x1 = static_cast<int>(ceil(x));
  double fy = y - y0, fx = x - x0;
  double c00 = verticalPass(H, y0, x0, taps, radius);
  double c10 = verticalPass(H, y1, x0, taps, radius);
  double c01 = verticalPass(H, y0, x1, taps, radius);
  double c11 = verticalPass(H, y1, x1, taps, radius);
  double v = c00 * ((1.0 - fx) * (1.0 - fy));
  v += c10 * ((1.0 - fx) * fy);
  v += c01 * (fx * (1.0 - fy));
  v += c11 * (fx * fy);
  return static_cast<float>(v);
}

// Causal temporal filter (SPEC §6.1): F[t] = Σ_{j} k[j]·S[t − (K−1) + j], S = 0 before t = 0; k in flipped
// order (k[K−1] = lag 0); entries j < first are zero for this unit and skipped. `s` strides by `stride`.
V1LM_HD inline double temporalFilter(const float* k, int kStride, int K, int first, const float* s,
                                     long long sStride, int t) {
  int j0 = K - 1 - t;
  if (j0 < first) j0 = first;
  double acc = 0.0;
  for (int j = j0; j < K; ++j) acc += static_cast<double>(k[static_cast<long long>(j) * kStride]) *
                                     s[static_cast<long long>(t - (K - 1) + j) * sStride];
  return acc;
}

// Rectified rate of a unit in Hz (SPEC §6.1): relu(amp·F_dom + spont_dom) + composite·relu(amp_nd·F_nd + spont_nd).
V1LM_HD inline float unitRate(double fDom, double amp, double spontDom, bool composite, double fNd, double ampNd,
                              double spontNd) {
  double r = amp * fDom + spontDom;
  r = r > 0.0 ? r : 0.0;
  if (composite) {
    double rn = ampNd * fNd + spontNd;
    r += rn > 0.0 ? rn : 0.0;
  }
  return static_cast<float>(r);
}

// Spike probability per 1-ms step: p = 1 − exp(−rate/1000) (SPEC §6.1).
V1LM_HD inline float spikeProbability(float rateHz) {
  return static_cast<float>(-expm1(-static_cast<double>(rateHz) / 1000.0));
}

}  // namespace v1lm::lgn
