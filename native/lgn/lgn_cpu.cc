// CPU backend of the LGN filter model (SPEC §6.1, Appendix B): the reference the CUDA backend is compared to.
// Spatial stage threads over frames, temporal stage over units; formulas from v1lm/lgn.h.
#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "lgn/lgn_model.h"
#include "v1lm/lgn.h"

namespace v1lm::lgn {
namespace {
double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

template <class F>
void parallelFor(int count, int threads, F&& body) {
  threads = std::max(1, std::min(threads, count));
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w) {
    pool.emplace_back([&, w] {
      for (int i = w; i < count; i += threads) body(i);
    });
  }
  for (auto& th : pool) th.join();
}

// Filters unit u's stimulus trace s (length T) with its flipped kernel k (length K) and writes F[0..T).
// Blocks of 8 outputs share each kernel load; each output still sums j = first..K−1 in order, as the
// scalar temporalFilter and the CUDA kernel do (terms before t = 0 are exact zeros).
void filterTrace(const float* k, int K, int first, const float* s, int T, double* F) {
  constexpr int B = 8;
  int t = 0;
  for (; t + B <= T; t += B) {
    double acc[B] = {0, 0, 0, 0, 0, 0, 0, 0};
    int jStart = std::max(first, K - 1 - (t + B - 1));
    for (int j = jStart; j < K; ++j) {
      double kj = k[j];
      long base = static_cast<long>(t) - (K - 1) + j;
      for (int m = 0; m < B; ++m) {
        long idx = base + m;
        double sv = idx >= 0 ? static_cast<double>(s[idx]) : 0.0;
        acc[m] += kj * sv;
      }
    }
    for (int m = 0; m < B; ++m) F[t + m] = acc[m];
  }
  for (; t < T; ++t) F[t] = temporalFilter(k, 1, K, first, s, 1, t);
}
// Horizontal pass of one frame row for every x. Interior pixels (all taps on screen) are done 8 at a time
// with independent accumulators; each sums a = −r..r in order and divides by the full tap sum accumulated
// in the same order, so every value equals horizontalPass (v1lm/lgn.h), as on the GPU.
void horizontalRow(const float* row, const float* taps, int r, float* out) {
  double norm = 0.0;
  for (int a = -r; a <= r; ++a) norm += static_cast<double>(taps[a + r]);
  constexpr int B = 8;
  int x = 0;
  for (; x < r && x < kCols; ++x) out[x] = horizontalPass(row, x, taps, r);
  for (; x + B <= kCols - r; x += B) {
    double acc[B] = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int a = -r; a <= r; ++a) {
      double w = taps[a + r];
      for (int m = 0; m < B; ++m) acc[m] += w * static_cast<double>(row[x + m + a]);
    }
    for (int m = 0; m < B; ++m) out[x + m] = static_cast<float>(acc[m] / norm);
  }
  for (; x < kCols; ++x) out[x] = horizontalPass(row, x, taps, r);
}
}  // namespace

void ratesCpu(const LgnModel& m, const float* movie, int T, float* rates, float* probabilities, int threads,
              LgnTiming* timing) {
  auto t0 = std::chrono::steady_clock::now();
  const int n = m.n, nc = m.nc, nBins = static_cast<int>(m.radius.size());
  // Units per bin, so each filtered frame is sampled by the units that use it.
  std::vector<std::vector<int>> byBin(nBins);
  for (int u = 0; u < n; ++u) byBin[m.unitBin[u]].push_back(u);

  // Stimulus traces, one contiguous row per unit: sDom[u·T + t], sNd[c·T + t].
  std::vector<float> sDom(static_cast<size_t>(n) * T), sNd(static_cast<size_t>(nc) * T);
  parallelFor(T, threads, [&](int t) {
    std::vector<float> H(static_cast<size_t>(kRows) * kCols);
    const float* frame = movie + static_cast<size_t>(t) * kRows * kCols;
    for (int b = 0; b < nBins; ++b) {
      if (byBin[b].empty()) continue;
      const float* taps = m.taps.data() + m.tapOffset[b];
      int r = m.radius[b];
      for (int row = 0; row < kRows; ++row) horizontalRow(frame + row * kCols, taps, r, H.data() + row * kCols);
      for (int u : byBin[b]) {
        sDom[static_cast<size_t>(u) * T + t] = sampleFiltered(H.data(), m.y[u], m.x[u], taps, r);
        int c = m.ndIndex[u];
        if (c >= 0) sNd[static_cast<size_t>(c) * T + t] = sampleFiltered(H.data(), m.yNd[c], m.xNd[c], taps, r);
      }
    }
  });
  double spatialMs = msSince(t0);

  auto t1 = std::chrono::steady_clock::now();
  parallelFor(n, threads, [&](int u) {
    std::vector<double> fDom(T), fNd;
    filterTrace(m.kernDomT.data() + static_cast<size_t>(u) * m.kDom, m.kDom, m.firstDom[u],
                sDom.data() + static_cast<size_t>(u) * T, T, fDom.data());
    int c = m.ndIndex[u];
    if (c >= 0) {
      fNd.resize(T);
      filterTrace(m.kernNdT.data() + static_cast<size_t>(c) * m.kNd, m.kNd, m.firstNd[c],
                  sNd.data() + static_cast<size_t>(c) * T, T, fNd.data());
    }
    for (int t = 0; t < T; ++t) {
      float r = c >= 0 ? unitRate(fDom[t], m.amp[u], m.spontDom[u], true, fNd[t], m.ampNd[c], m.spontNd[c])
                       : unitRate(fDom[t], m.amp[u], m.spontDom[u], false, 0.0, 0.0, 0.0);
      rates[static_cast<size_t>(t) * n + u] = r;
      if (probabilities) probabilities[static_cast<size_t>(t) * n + u] = spikeProbability(r);
    }
  });
  if (timing) {
    timing->spatialMs = spatialMs;
    timing->temporalMs = msSince(t1);
    timing->totalMs = msSince(t0);
  }
}
}  // namespace v1lm::lgn
