// Philox4x32-10 counter-based RNG (Salmon et al., SC'11; Random123), shared by both backends so a CPU
// run and a GPU run draw the same LGN spikes and BKG counts. One draw = one 128-bit block keyed by
// (seed) and counted by (unit, step, trial, stream|batch): no state, any order, any thread.
#pragma once
#include <cstdint>

#include "v1lm/hd.h"

namespace v1lm {

struct Philox4 {
  uint32_t v[4];
};

V1LM_HD uint32_t mulhilo32(uint32_t a, uint32_t b, uint32_t* hi) {
  uint64_t p = static_cast<uint64_t>(a) * static_cast<uint64_t>(b);
  *hi = static_cast<uint32_t>(p >> 32);
  return static_cast<uint32_t>(p);
}

V1LM_HD Philox4 philox4x32_10(Philox4 ctr, uint32_t k0, uint32_t k1) {
  const uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint32_t hi0, hi1;
    uint32_t lo0 = mulhilo32(M0, ctr.v[0], &hi0);
    uint32_t lo1 = mulhilo32(M1, ctr.v[2], &hi1);
    Philox4 next = {{hi1 ^ ctr.v[1] ^ k0, lo1, hi0 ^ ctr.v[3] ^ k1, lo0}};
    ctr = next;
    k0 += W0;
    k1 += W1;
  }
  return ctr;
}

// Streams of the engine (counter word 3 = stream << 24 | batch element).
enum RngStream : uint32_t { kStreamLgnSpikes = 1, kStreamBkgCounts = 2 };

// The block for (seed, stream, trial, step, unit, batch element b < 2^24).
V1LM_HD Philox4 philoxDraw(uint64_t seed, uint32_t stream, uint32_t trial, uint32_t step, uint32_t unit,
                           uint32_t b) {
  Philox4 ctr = {{unit, step, trial, (stream << 24) | (b & 0xFFFFFFu)}};
  return philox4x32_10(ctr, static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

// Uniform in [0, 1) with 24 random bits: exact in float, identical on both backends.
V1LM_HD float uniform24(uint32_t x) { return static_cast<float>(x >> 8) * (1.0f / 16777216.0f); }

// Bernoulli(p) spike: 1 if u < p.
V1LM_HD float bernoulli(uint32_t x, float p) { return uniform24(x) < p ? 1.0f : 0.0f; }

// Poisson(0.25) count by inversion of the CDF (the BKG sources: 250 Hz × 1 ms, SPEC §6.3).
// CDF values computed in double and rounded to float; beyond k = 8 the tail is below 2^-24.
V1LM_HD float poissonQuarter(uint32_t x) {
  const float cdf[9] = {0.77880078f, 0.97350098f, 0.99783850f, 0.99986663f, 0.99999339f,
                        0.99999973f, 0.99999999f, 1.0f, 1.0f};
  float u = uniform24(x);
  int k = 0;
  while (k < 8 && u >= cdf[k]) ++k;
  return static_cast<float>(k);
}

// The engine's two draws, used identically by every backend and by the host helpers of the binding.
// LGN spike of unit u at step t of batch element b (SPEC §6.1: Bernoulli with p = 1 − exp(−rate/1000)).
V1LM_HD float lgnSpikeDraw(uint64_t seed, uint32_t trial, uint32_t t, uint32_t u, uint32_t b, float p) {
  return bernoulli(philoxDraw(seed, kStreamLgnSpikes, trial, t, u, b).v[0], p);
}
// BKG count of source k of area a (SPEC §6.3): sources of different areas are independent.
V1LM_HD float bkgCountDraw(uint64_t seed, uint32_t trial, uint32_t t, uint32_t a, uint32_t k, uint32_t nSources, uint32_t b) {
  return poissonQuarter(philoxDraw(seed, kStreamBkgCounts, trial, t, a * nSources + k, b).v[0]);
}

}  // namespace v1lm
