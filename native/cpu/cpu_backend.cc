// The CPU backend: the reference implementation of SPEC §2–§5 (forward) and of exact BPTT through it
// (backward). Threads over batch elements (input currents) and neurons (state update, adjoints) and over
// presynaptic rows (the adjoint pull); no cross-thread reductions, so results do not depend on threads.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "cpu/thread_pool.h"
#include "engine/backend.h"
#include "engine/errors.h"
#include "v1lm/bf16.h"
#include "v1lm/glif.h"
#include "v1lm/optim.h"
#include "v1lm/philox.h"

namespace v1lm {
namespace {

constexpr float kCurrentInputGain = 1.3f;  // SPEC §3.5: analog LGN input x = 1.3·p

struct AreaTape {
  std::vector<uint8_t> z;      // B·(T + D)·n, time t at index t + D (t < 0: the initial buffer)
  std::vector<uint8_t> refr;   // B·T·n, r' > 0 after step t
  std::vector<float> v;        // B·T·n, v' after step t
};

struct BlockState {
  std::vector<float> grad, m, v;
};

class CpuBackend final : public Backend {
 public:
  CpuBackend(const CompiledNetwork& net, const EngineOptions& options, ThreadPool& pool) : net_(net), opt_(options), pool_(pool) {
    blockState_.resize(net_.blocks.size());
  }

  std::string name() const override { return "cpu"; }
  bool hasTape() const override { return tapeSteps_ > 0; }

  void forward(const ForwardRequest& req, ForwardResult& out) override;
  void backward(const BackwardRequest& req) override;

  void readWeights(int b, float* out) override { std::copy(net_.blocks[b].weight.begin(), net_.blocks[b].weight.end(), out); }
  void writeWeights(int b, const float* in) override { std::copy(in, in + net_.blocks[b].size(), net_.blocks[b].weight.begin()); }
  void readGradients(int b, float* out) override {
    const auto& g = blockState_[b].grad;
    if (g.empty()) std::fill(out, out + net_.blocks[b].size(), 0.0f);
    else std::copy(g.begin(), g.end(), out);
  }
  void addGradients(int b, const float* in) override {
    auto& g = blockState_[b].grad;
    if (g.empty()) g.assign(net_.blocks[b].size(), 0.0f);
    for (size_t s = 0; s < g.size(); ++s) g[s] += in[s];
  }
  void readOptimizerState(int b, float* m, float* v) override {
    ensureSlots(b);
    std::copy(blockState_[b].m.begin(), blockState_[b].m.end(), m);
    std::copy(blockState_[b].v.begin(), blockState_[b].v.end(), v);
  }
  void writeOptimizerState(int b, const float* m, const float* v) override {
    ensureSlots(b);
    const int64_t E = net_.blocks[b].size();
    std::copy(m, m + E, blockState_[b].m.begin());
    std::copy(v, v + E, blockState_[b].v.begin());
  }
  void optimizerStep(const OptimizerStep& step) override;

 private:
  void ensureSlots(int b) {
    auto& s = blockState_[b];
    if (s.m.empty()) {
      s.m.assign(net_.blocks[b].size(), 0.0f);
      s.v.assign(net_.blocks[b].size(), 0.0f);
    }
  }
  // LGN value of unit u at (b, t) as the synapses see it: a spike (0/1) or the analog input 1.3·p.
  float lgnInput(int b, int t, int u) const {
    const size_t idx = (static_cast<size_t>(b) * steps_ + t) * net_.nInputs + u;
    switch (req_.lgnKind) {
      case LgnInputKind::Probability:
        return lgnSpikeDraw(opt_.seed, req_.trial, t, u, b, req_.lgnProbability[idx]);
      case LgnInputKind::Spikes: return req_.lgnSpikes[idx] ? 1.0f : 0.0f;
      case LgnInputKind::Current: return kCurrentInputGain * req_.lgnProbability[idx];
      case LgnInputKind::None: return 0.0f;
    }
    return 0.0f;
  }
  // BKG count of source k of area a at (b, t): given by the caller or Poisson(0.25) from Philox.
  float bkgCount(int a, int b, int t, int k) const {
    const auto& given = req_.bkgCounts[a];
    if (!given.empty()) return given[(static_cast<size_t>(b) * steps_ + t) * net_.nBkgSources + k];
    return bkgCountDraw(opt_.seed, req_.trial, t, a, k, net_.nBkgSources, b);
  }
  bool blockActive(const CompiledBlock& blk) const {
    switch (blk.kind) {
      case BlockKind::Recurrent: return opt_.connectRecurrent;
      case BlockKind::Interarea: return opt_.connectAreas;
      case BlockKind::Lgn: return req_.lgnKind != LgnInputKind::None;
      case BlockKind::Bkg: return opt_.connectNoise;
    }
    return false;
  }
  void accumulateInput(int a, int b, int t, float* I) const;

  CompiledNetwork net_;
  EngineOptions opt_;
  ThreadPool& pool_;  // the Engine's
  std::vector<BlockState> blockState_;
  // The last forward: its inputs (kept for backward) and its tape.
  ForwardRequest req_;  // its LGN views point into lgnProbability_ / lgnSpikes_
  std::vector<float> lgnProbability_;
  std::vector<uint8_t> lgnSpikes_;
  int steps_ = 0;
  int tapeSteps_ = 0;
  std::vector<AreaTape> tape_;
};

// SPEC §3.5: I = lr_scale·(I_rec + I_inter + I_lgn + I_bkg) for one area and batch element.
void CpuBackend::accumulateInput(int a, int b, int t, float* I) const {
  const int D = net_.maxDelay;
  const CompiledArea& area = net_.areas[a];
  std::fill(I, I + static_cast<size_t>(area.n) * area.slots, 0.0f);
  for (const CompiledBlock& blk : net_.blocks) {
    if (blk.target != a || !blockActive(blk)) continue;
    if (blk.delayed()) {
      const CompiledArea& src = net_.areas[blk.source];
      const uint8_t* zs = tape_[blk.source].z.data() + static_cast<size_t>(b) * (steps_ + D) * src.n;
      for (int d = 1; d <= D; ++d) {
        const uint8_t* z = zs + static_cast<size_t>(t - d + D) * src.n;
        for (int pre = 0; pre < src.n; ++pre) {
          if (!z[pre]) continue;
          const int row = (d - 1) * blk.nPre + pre;
          for (int64_t s = blk.rowStart[row]; s < blk.rowStart[row + 1]; ++s) I[blk.postRow[s]] += blk.weight[s];
        }
      }
    } else if (blk.kind == BlockKind::Lgn) {
      for (int u = 0; u < blk.nPre; ++u) {
        const float x = lgnInput(b, t, u);
        if (x == 0.0f) continue;
        for (int64_t s = blk.rowStart[u]; s < blk.rowStart[u + 1]; ++s) I[blk.postRow[s]] += blk.weight[s] * x;
      }
    } else {
      for (int k = 0; k < blk.nPre; ++k) {
        const float c = bkgCount(a, b, t, k);
        if (c == 0.0f) continue;
        for (int64_t s = blk.rowStart[k]; s < blk.rowStart[k + 1]; ++s) I[blk.postRow[s]] += blk.weight[s] * c;
      }
    }
  }
  const size_t nR = static_cast<size_t>(area.n) * area.slots;
  for (size_t p = 0; p < nR; ++p) I[p] *= opt_.lrScale;
}

void CpuBackend::forward(const ForwardRequest& req, ForwardResult& out) {
  req_ = req;
  // The request's LGN arrays are the caller's for this call only; backward re-reads them, so keep a copy.
  lgnProbability_.assign(req.lgnProbability.data(), req.lgnProbability.data() + req.lgnProbability.size());
  lgnSpikes_.assign(req.lgnSpikes.data(), req.lgnSpikes.data() + req.lgnSpikes.size());
  req_.lgnProbability = ArrayRef<float>(lgnProbability_);
  req_.lgnSpikes = ArrayRef<uint8_t>(lgnSpikes_);
  const int B = opt_.batch, T = req.steps, D = net_.maxDelay;
  const int nA = static_cast<int>(net_.areas.size());
  steps_ = T;
  tapeSteps_ = 0;
  tape_.assign(nA, AreaTape{});
  std::vector<AreaState> st(nA);
  out.areas.assign(nA, AreaObservables{});
  for (int a = 0; a < nA; ++a) {
    const CompiledArea& ar = net_.areas[a];
    const size_t n = ar.n, nR = n * ar.slots;
    if (req.initialState.empty()) {
      st[a].zbuf.assign(B * D * n, 0);
      st[a].v.assign(B * n, 0.0f);
      for (int b = 0; b < B; ++b)
        for (size_t i = 0; i < n; ++i) st[a].v[b * n + i] = ar.typeConsts[ar.typeIndex[i]].vReset;
      st[a].r.assign(B * n, 0.0f);
      st[a].asc.assign(B * 2 * n, 0.0f);
      st[a].rise.assign(B * nR, 0.0f);
      st[a].psc.assign(B * nR, 0.0f);
    } else {
      st[a] = req.initialState[a];
    }
    AreaTape& tp = tape_[a];
    tp.z.assign(static_cast<size_t>(B) * (T + D) * n, 0);
    for (int b = 0; b < B; ++b)
      for (int k = 0; k < D; ++k)  // zbuf block k = spikes k+1 steps ago → time −(k+1)
        std::memcpy(&tp.z[(static_cast<size_t>(b) * (T + D) + (D - 1 - k)) * n], &st[a].zbuf[(static_cast<size_t>(b) * D + k) * n], n);
    if (req.keepTape) {
      tp.refr.assign(static_cast<size_t>(B) * T * n, 0);
      tp.v.assign(static_cast<size_t>(B) * T * n, 0.0f);
    }
    AreaObservables& ob = out.areas[a];
    const size_t words = (n + 31) / 32;
    ob.raster.assign(static_cast<size_t>(B) * T * words, 0u);
    ob.counts.assign(static_cast<size_t>(B) * req.bins.count * n, 0.0f);
    const int K = a < static_cast<int>(req.traces.size()) ? req.traces[a].count() : 0;
    ob.traces.assign(static_cast<size_t>(B) * K * T, 0.0f);
    if (a < static_cast<int>(req.recordVoltages.size()) && req.recordVoltages[a]) ob.voltages.assign(static_cast<size_t>(B) * T * n, 0.0f);
  }

  std::vector<std::vector<float>> input(nA);
  for (int a = 0; a < nA; ++a) input[a].resize(static_cast<size_t>(B) * net_.areas[a].n * net_.areas[a].slots);
  std::vector<double> vregSum(nA, 0.0);

  for (int t = 0; t < T; ++t) {
    // Inputs of every area from start-of-step spike buffers (SPEC §5: neither area sees the other's step t).
    pool_.parallelFor(static_cast<int64_t>(B) * nA, [&](int64_t lo, int64_t hi) {
      for (int64_t ab = lo; ab < hi; ++ab) {
        const int a = static_cast<int>(ab / B), b = static_cast<int>(ab % B);
        const size_t nR = static_cast<size_t>(net_.areas[a].n) * net_.areas[a].slots;
        accumulateInput(a, b, t, &input[a][b * nR]);
      }
    }, 1);
    for (int a = 0; a < nA; ++a) {
      const CompiledArea& ar = net_.areas[a];
      const int n = ar.n, R = ar.slots;
      AreaState& s = st[a];
      AreaTape& tp = tape_[a];
      pool_.parallelFor(static_cast<int64_t>(B) * n, [&](int64_t lo, int64_t hi) {
        for (int64_t bi = lo; bi < hi; ++bi) {
          const int b = static_cast<int>(bi / n), i = static_cast<int>(bi % n);
          const NeuronConsts& c = ar.typeConsts[ar.typeIndex[i]];
          const size_t p0 = static_cast<size_t>(bi) * R;
          float pscSum = 0.0f;
          for (int k = 0; k < R; ++k) pscSum += s.psc[p0 + k];  // OLD psc (SPEC §2.4 step 5)
          for (int k = 0; k < R; ++k) pscStep(ar.slotConsts[static_cast<size_t>(i) * R + k], input[a][p0 + k], s.rise[p0 + k], s.psc[p0 + k]);
          const size_t zb = static_cast<size_t>(b) * (T + D) * n;
          const float prevZ = tp.z[zb + static_cast<size_t>(t - 1 + D) * n + i];
          bool refractory = false;
          const float z = neuronStep(c, prevZ, pscSum, opt_.hardReset, s.v[bi], s.r[bi], s.asc[2 * bi], s.asc[2 * bi + 1], refractory);
          tp.z[zb + static_cast<size_t>(t + D) * n + i] = static_cast<uint8_t>(z);
          if (req.keepTape) {
            const size_t ti = (static_cast<size_t>(b) * T + t) * n + i;
            tp.refr[ti] = refractory ? 1 : 0;
            tp.v[ti] = s.v[bi];
          }
        }
      });
      // Observables, in a fixed serial order (cheap: B·n per step).
      AreaObservables& ob = out.areas[a];
      const size_t words = (static_cast<size_t>(n) + 31) / 32;
      const bool inBins = req.bins.count > 0 && t >= req.bins.start && t < req.bins.start + req.bins.size * req.bins.count;
      const int bin = inBins ? (t - req.bins.start) / req.bins.size : 0;
      for (int b = 0; b < B; ++b) {
        const uint8_t* z = &tp.z[(static_cast<size_t>(b) * (T + D) + t + D) * n];
        uint32_t* raster = &ob.raster[(static_cast<size_t>(b) * T + t) * words];
        for (int i = 0; i < n; ++i) {
          const float v = s.v[static_cast<size_t>(b) * n + i];
          vregSum[a] += static_cast<double>(v - 1.0f) * static_cast<double>(v - 1.0f);
          if (!ob.voltages.empty()) ob.voltages[(static_cast<size_t>(b) * T + t) * n + i] = v;
          if (!z[i]) continue;
          raster[i >> 5] |= 1u << (i & 31);
          ob.spikes += 1;
          if (inBins) ob.counts[(static_cast<size_t>(b) * req.bins.count + bin) * n + i] += 1.0f;
        }
        if (a < static_cast<int>(req.traces.size())) {
          const TraceSubsets& ts = req.traces[a];
          for (int k = 0; k < ts.count(); ++k) {
            float sum = 0.0f;
            for (int32_t q = ts.offsets[k]; q < ts.offsets[k + 1]; ++q) sum += z[ts.indices[q]];
            ob.traces[(static_cast<size_t>(b) * ts.count() + k) * T + t] = sum;
          }
        }
      }
    }
  }

  out.finalState.assign(nA, AreaState{});
  for (int a = 0; a < nA; ++a) {
    const size_t n = net_.areas[a].n;
    out.areas[a].voltageRegularizer = vregSum[a] / (static_cast<double>(B) * T * n);
    AreaState& fs = out.finalState[a];
    fs = std::move(st[a]);
    for (int b = 0; b < B; ++b)
      for (int k = 0; k < D; ++k)
        std::memcpy(&fs.zbuf[(static_cast<size_t>(b) * D + k) * n], &tape_[a].z[(static_cast<size_t>(b) * (T + D) + T + D - 1 - k) * n], n);
  }
  if (req.keepTape) tapeSteps_ = T;
}

// Exact BPTT of SPEC §2.4 / §3.5 / §4 (derivation in docs/engine.md), in passes of G = backwardStepsPerPass
// steps (temporal blocking). An input of step s reaches v at s + 2 (rise → psc → v), so once the neuron
// adjoints of step s are done, dL/dI of step s − 2 is known; a spike reaches another spike d + 2 ≥ 3 steps
// later, so the neuron adjoints of G ≤ 3 consecutive steps need only synaptic adjoints pulled in earlier
// passes, and one pass over the synapses serves G steps. Every accumulator receives its terms in the same
// order for every G (pulls by step, then block; a neuron's own reset / ASC term is carried apart), so the
// gradients do not depend on G (test/10). λ = adjoints of the state after a step; pending[s] collects the
// pulled dL/dz_s (a ring of D + 2 steps: [lo − 2 − D, lo − 1] are live while steps ≥ lo are done).
void CpuBackend::backward(const BackwardRequest& req) {
  const int B = opt_.batch, T = tapeSteps_, D = net_.maxDelay, G = opt_.backwardStepsPerPass, ring = D + 2;
  const int nA = static_cast<int>(net_.areas.size());
  const float lr = opt_.lrScale, rho = opt_.recurrentDampening;
  const bool bf16Adjoints = opt_.adjointPrecision == AdjointPrecision::Bfloat16;
  for (size_t bk = 0; bk < net_.blocks.size(); ++bk) {
    auto& g = blockState_[bk].grad;
    if (req.trainable[bk]) g.assign(net_.blocks[bk].size(), 0.0f);
    else g.clear();
  }
  struct Lambda {
    std::vector<float> v, asc, psc, rise, carry, dI, pending;
  };
  std::vector<Lambda> lam(nA);
  for (int a = 0; a < nA; ++a) {
    const size_t n = net_.areas[a].n, nR = n * net_.areas[a].slots;
    lam[a].v.assign(B * n, 0.0f);
    lam[a].asc.assign(B * 2 * n, 0.0f);
    lam[a].psc.assign(B * nR, 0.0f);
    lam[a].rise.assign(B * nR, 0.0f);
    lam[a].carry.assign(B * n, 0.0f);
    lam[a].dI.assign(static_cast<size_t>(G) * B * nR, 0.0f);  // [j][b][post row]: dL/dI of step hi − 2 − j
    lam[a].pending.assign(static_cast<size_t>(ring) * B * n, 0.0f);
  }
  auto pendingAt = [&](int a, int t) { return &lam[a].pending[static_cast<size_t>(t % ring) * B * net_.areas[a].n]; };
  // Per delayed block: ρ-free row sums Σ_s w_s·dI[post_s] of the pass, [j][row][b], added to pending in order.
  std::vector<std::vector<float>> rowSums(net_.blocks.size());

  for (int hi = T - 1; hi >= 0; hi -= G) {
    const int lo = std::max(0, hi - G + 1);
    // 1. Neuron adjoints of steps hi..lo for every area; each neuron walks its steps in order.
    for (int a = 0; a < nA; ++a) {
      const CompiledArea& ar = net_.areas[a];
      const int n = ar.n, R = ar.slots;
      const size_t nR = static_cast<size_t>(n) * R;
      Lambda& L = lam[a];
      const AreaAdjoints& adj = req.areas[a];
      const BinSpec& bins = req_.bins;
      for (int t = hi; t >= lo; --t) {  // observable adjoints of z_t: binned counts and population traces
        float* gz = pendingAt(a, t);
        if (!adj.counts.empty() && t >= bins.start && t < bins.start + bins.size * bins.count) {
          const int bin = (t - bins.start) / bins.size;
          for (int b = 0; b < B; ++b)
            for (int i = 0; i < n; ++i) gz[static_cast<size_t>(b) * n + i] += adj.counts[(static_cast<size_t>(b) * bins.count + bin) * n + i];
        }
        if (!adj.traces.empty()) {
          const TraceSubsets& ts = req_.traces[a];
          for (int b = 0; b < B; ++b)
            for (int k = 0; k < ts.count(); ++k) {
              const float g = adj.traces[(static_cast<size_t>(b) * ts.count() + k) * T + t];
              if (g == 0.0f) continue;
              for (int32_t q = ts.offsets[k]; q < ts.offsets[k + 1]; ++q) gz[static_cast<size_t>(b) * n + ts.indices[q]] += g;
            }
        }
      }
      const float vregCoef = static_cast<float>(adj.voltageRegularizer * 2.0 / (static_cast<double>(B) * T * n));
      const AreaTape& tp = tape_[a];
      pool_.parallelFor(static_cast<int64_t>(B) * n, [&](int64_t lo_, int64_t hi_) {
        for (int64_t bi = lo_; bi < hi_; ++bi) {
          const int b = static_cast<int>(bi / n), i = static_cast<int>(bi % n);
          const NeuronConsts& c = ar.typeConsts[ar.typeIndex[i]];
          for (int t = hi; t >= lo; --t) {
            float* gzSlot = pendingAt(a, t);
            const float gz = gzSlot[bi] + L.carry[bi];
            gzSlot[bi] = 0.0f;  // this slot is reused for step t − D − 2
            const size_t ti = (static_cast<size_t>(b) * T + t) * n + i;
            const float v = tp.v[ti];
            const bool refractory = tp.refr[ti] != 0;
            float gv = L.v[bi] + vregCoef * (v - 1.0f);
            if (!refractory) gv += gz * surrogate(opt_.surrogate, v);
            const float gPre = (opt_.hardReset && refractory) ? 0.0f : gv;  // hard reset overwrote v'
            L.v[bi] = c.decay * gPre;
            const float la0 = L.asc[2 * bi], la1 = L.asc[2 * bi + 1];
            L.carry[bi] = c.vGap * gPre + c.ascAmp[0] * la0 + c.ascAmp[1] * la1;  // dL/dz_{t−1}: reset and ASC jump
            L.asc[2 * bi] = c.currentFactor * gPre + c.ascDecay[0] * la0;
            L.asc[2 * bi + 1] = c.currentFactor * gPre + c.ascDecay[1] * la1;
            const size_t p0 = static_cast<size_t>(bi) * R;
            float* dI = &L.dI[static_cast<size_t>(hi - t) * B * nR + p0];
            for (int k = 0; k < R; ++k) {
              const SynapseConsts sc = ar.slotConsts[static_cast<size_t>(i) * R + k];
              // λ_psc after t from λ_psc after t + 1; then λ_rise after t − 1 (the rise update of step t − 1
              // reads only λs after t), which gives dL/dI of step t − 2.
              const float lp = c.currentFactor * gPre + sc.decay * L.psc[p0 + k];
              L.psc[p0 + k] = lp;
              const float lrise = sc.decay * L.rise[p0 + k] + static_cast<float>(kDt) * sc.decay * lp;
              L.rise[p0 + k] = lrise;
              const float dIk = lr * sc.initial * lrise;  // dL/d(sum of weighted inputs of step t − 2)
              dI[k] = bf16Adjoints ? roundToBfloat16(dIk) : dIk;
            }
          }
        }
      });
    }
    // 2. Synapses of steps hi − 2 .. lo − 2 (those ≥ 0; dL/dI of steps T − 1 and T − 2 is zero) in one pass:
    // row sums for the pull and the weight gradients (per synapse by step, then batch element, as G = 1 does).
    const int J = std::max(0, std::min(hi - lo + 1, hi - 1));
    if (J == 0) continue;
    for (size_t bk = 0; bk < net_.blocks.size(); ++bk) {
      const CompiledBlock& blk = net_.blocks[bk];
      if (!blockActive(blk)) continue;
      const int a = blk.target;
      const size_t nR = static_cast<size_t>(net_.areas[a].n) * net_.areas[a].slots;
      const float* dI = lam[a].dI.data();
      float* gw = req.trainable[bk] ? blockState_[bk].grad.data() : nullptr;
      if (blk.delayed()) {
        const int o = blk.source, no = net_.areas[o].n;
        const uint8_t* zs = tape_[o].z.data();
        std::vector<float>& sums = rowSums[bk];
        sums.assign(static_cast<size_t>(J) * blk.nRows * B, 0.0f);
        pool_.parallelFor(blk.nRows, [&](int64_t r0, int64_t r1) {
          for (int64_t row = r0; row < r1; ++row) {
            const int d = static_cast<int>(row / blk.nPre) + 1, pre = static_cast<int>(row % blk.nPre);
            const int64_t s0 = blk.rowStart[row], s1 = blk.rowStart[row + 1];
            if (s0 == s1) continue;
            for (int j = 0; j < J; ++j) {
              const int t = hi - 2 - j;
              for (int b = 0; b < B; ++b) {
                const float* dIb = dI + (static_cast<size_t>(j) * B + b) * nR;
                if (t - d >= 0) {
                  float acc = 0.0f;
                  for (int64_t s = s0; s < s1; ++s) acc += blk.weight[s] * dIb[blk.postRow[s]];
                  sums[(static_cast<size_t>(j) * blk.nRows + row) * B + b] = acc;
                }
                if (gw && zs[(static_cast<size_t>(b) * (T + D) + t - d + D) * no + pre])
                  for (int64_t s = s0; s < s1; ++s) gw[s] += dIb[blk.postRow[s]];
              }
            }
          }
        }, 64);
      } else if (gw) {
        pool_.parallelFor(blk.nRows, [&](int64_t r0, int64_t r1) {
          for (int64_t row = r0; row < r1; ++row)
            for (int j = 0; j < J; ++j)
              for (int b = 0; b < B; ++b) {
                const int t = hi - 2 - j;
                const float x = blk.kind == BlockKind::Lgn ? lgnInput(b, t, static_cast<int>(row)) : bkgCount(a, b, t, static_cast<int>(row));
                if (x == 0.0f) continue;
                const float* dIb = dI + (static_cast<size_t>(j) * B + b) * nR;
                for (int64_t s = blk.rowStart[row]; s < blk.rowStart[row + 1]; ++s) gw[s] += dIb[blk.postRow[s]] * x;
              }
        }, 64);
      }
    }
    // The pull: pending[t − d] += ρ·(row sum), by step (t descending), then block, as step by step.
    for (int o = 0; o < nA; ++o) {
      const int no = net_.areas[o].n;
      pool_.parallelFor(no, [&](int64_t p0, int64_t p1) {
        for (int j = 0; j < J; ++j) {
          const int t = hi - 2 - j;
          for (size_t bk = 0; bk < net_.blocks.size(); ++bk) {
            const CompiledBlock& blk = net_.blocks[bk];
            if (!blockActive(blk) || !blk.delayed() || blk.source != o) continue;
            const float* sums = rowSums[bk].data() + static_cast<size_t>(j) * blk.nRows * B;
            for (int d = 1; d <= D && t - d >= 0; ++d) {
              float* pend = pendingAt(o, t - d);
              for (int64_t pre = p0; pre < p1; ++pre)
                for (int b = 0; b < B; ++b) pend[static_cast<size_t>(b) * no + pre] += rho * sums[((d - 1) * static_cast<size_t>(blk.nPre) + pre) * B + b];
            }
          }
        }
      }, 256);
    }
  }
}

void CpuBackend::optimizerStep(const OptimizerStep& step) {
  const double t = static_cast<double>(step.step);
  const float alpha = static_cast<float>(step.learningRate * std::sqrt(1.0 - std::pow(step.beta2, t)) / (1.0 - std::pow(step.beta1, t)));
  const float b1 = static_cast<float>(step.beta1), b2 = static_cast<float>(step.beta2), eps = static_cast<float>(step.epsilon);
  const float lr = static_cast<float>(step.learningRate), scale = static_cast<float>(step.gradientScale);
  for (int bk : step.blocks) {
    CompiledBlock& blk = net_.blocks[bk];
    BlockState& bs = blockState_[bk];
    if (bs.grad.empty()) bs.grad.assign(blk.size(), 0.0f);
    if (step.kind != OptimizerKind::Sgd) ensureSlots(bk);
    pool_.parallelFor(blk.size(), [&](int64_t lo, int64_t hi) {
      for (int64_t s = lo; s < hi; ++s) {
        const float g = bs.grad[s] * scale;
        float w = blk.weight[s];
        if (step.kind == OptimizerKind::Sgd) {
          w = sgdUpdate(w, g, lr);
        } else {
          adamMoments(g, b1, b2, bs.m[s], bs.v[s]);
          w = step.kind == OptimizerKind::Adam ? adamUpdate(w, bs.m[s], bs.v[s], alpha, eps)
                                               : expAdamUpdate(w, bs.m[s], bs.v[s], alpha, eps);
        }
        blk.weight[s] = signProject(w, blk.positive[s] != 0);
      }
    }, 4096);
  }
}

}  // namespace

std::unique_ptr<Backend> makeCpuBackend(const CompiledNetwork& net, const EngineOptions& options, ThreadPool& pool) {
  return std::make_unique<CpuBackend>(net, options, pool);
}

}  // namespace v1lm
