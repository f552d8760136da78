// GLIF3 neuron and alpha-PSC step formulas (SPEC §2, §3.1, §4), shared by the CPU and CUDA backends.
// Normalized units: v = (V − E_L)/(V_th − E_L), threshold 1, rest 0; dt = 1 ms.
#pragma once
#include <cmath>
#include <cstdint>

#include "v1lm/hd.h"

namespace v1lm {

constexpr int kReceptorTypes = 4;
constexpr int kAscCount = 2;
constexpr double kDt = 1.0;                                     // ms
constexpr double kTauSyn[kReceptorTypes] = {5.5, 8.5, 2.8, 5.8};  // ms, SPEC §3.1 (hard-coded there too)

// Per node type, physical units (SPEC §2.1 / §7.4).
struct NeuronTypeParams {
  double V_th, E_L, g, C_m, V_reset, t_ref;  // mV, mV, nS, pF, mV, ms
  double k[kAscCount];                       // 1/ms
  double asc_amps[kAscCount];                // pA
};

// Derived per-type constants (SPEC §2.2), computed in double once and stored in float.
struct NeuronConsts {
  float decay;           // exp(−dt/τ_m), τ_m = C_m/g
  float currentFactor;   // (1 − decay)/g
  float vReset;          // (V_reset − E_L)/voltage_scale
  float vGap;            // v_reset − v_th
  float tRef;            // ms
  float ascDecay[kAscCount];  // exp(−dt·k_j)
  float ascAmp[kAscCount];    // asc_amps_j / voltage_scale
};

inline NeuronConsts deriveNeuronConsts(const NeuronTypeParams& p) {
  const double scale = p.V_th - p.E_L;
  const double tauM = p.C_m / p.g;
  const double decay = std::exp(-kDt / tauM);
  NeuronConsts c{};
  c.decay = static_cast<float>(decay);
  c.currentFactor = static_cast<float>((1.0 - decay) / p.g);
  c.vReset = static_cast<float>((p.V_reset - p.E_L) / scale);
  c.vGap = static_cast<float>((p.V_reset - p.E_L) / scale - 1.0);
  c.tRef = static_cast<float>(p.t_ref);
  for (int j = 0; j < kAscCount; ++j) {
    c.ascDecay[j] = static_cast<float>(std::exp(-kDt * p.k[j]));
    c.ascAmp[j] = static_cast<float>(p.asc_amps[j] / scale);
  }
  return c;
}

// Alpha-PSC constants of one receptor type (SPEC §3.1): syn_decay = exp(−dt/τ), psc_initial = e/τ.
struct SynapseConsts {
  float decay, initial;
};
inline SynapseConsts deriveSynapseConsts(int receptor) {
  const double tau = kTauSyn[receptor];
  return {static_cast<float>(std::exp(-kDt / tau)), static_cast<float>(std::exp(1.0) / tau)};
}

// SPEC §2.4 step 1 for one (neuron, slot): input I (already × lr_scale) enters rise.
V1LM_HD void riseStep(SynapseConsts s, float input, float& rise) { rise = s.decay * rise + s.initial * input; }
// SPEC §2.4 step 2: psc from the OLD rise. Since step t's input reaches only rise, and step t's spike only the
// OLD psc, the CUDA backend may finish step t's rise late, in step t + 1 before this (docs/cuda-backend.md).
V1LM_HD void pscFromRise(SynapseConsts s, float oldRise, float& psc) { psc = s.decay * psc + static_cast<float>(kDt) * s.decay * oldRise; }
// SPEC §2.4 steps 1–2.
V1LM_HD void pscStep(SynapseConsts s, float input, float& rise, float& psc) {
  pscFromRise(s, rise, psc);
  riseStep(s, input, rise);
}

// SPEC §2.4 steps 3–9 for one neuron. `pscSum` = Σ_slots psc and `asc0/asc1` are OLD values; prevZ is the
// spike of the previous step. Updates v, r, asc in place; returns the spike z (0/1) and sets `refractory`.
V1LM_HD float neuronStep(const NeuronConsts& c, float prevZ, float pscSum, bool hardReset, float& v, float& r,
                         float& asc0, float& asc1, bool& refractory) {
  const float c1 = pscSum + (asc0 + asc1);  // gathered_g = g·e_l = 0
  r = fmaxf(r + prevZ * c.tRef - static_cast<float>(kDt), 0.0f);
  asc0 = c.ascDecay[0] * asc0 + prevZ * c.ascAmp[0];
  asc1 = c.ascDecay[1] * asc1 + prevZ * c.ascAmp[1];
  v = c.decay * v + c.currentFactor * c1 + prevZ * c.vGap;
  refractory = r > 0.0f;
  if (hardReset && refractory) v = c.vReset;
  return (v - 1.0f > 0.0f && !refractory) ? 1.0f : 0.0f;
}

// Surrogate derivative ∂z/∂v at v (SPEC §4): triangle γ·max(0, 1 − |v − 1|) or Gaussian γ·exp(−(v − 1)²/σ²).
struct SurrogateParams {
  float dampening;  // γ = dampening_factor
  float gaussStd;   // σ = gauss_std
  bool gaussian;    // pseudo_gauss
};
V1LM_HD float surrogate(const SurrogateParams& s, float v) {
  const float x = v - 1.0f;
  if (s.gaussian) return s.dampening * expf(-(x * x) / (s.gaussStd * s.gaussStd));
  return s.dampening * fmaxf(0.0f, 1.0f - fabsf(x));
}

}  // namespace v1lm
