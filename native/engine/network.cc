#include "engine/network.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/errors.h"

namespace v1lm {

int CompiledNetwork::blockIndex(const std::string& name) const {
  for (size_t i = 0; i < blocks.size(); ++i)
    if (blocks[i].name == name) return static_cast<int>(i);
  return -1;
}

namespace {

void checkType(const NeuronTypeParams& p, const std::string& f) {
  auto finite = [&](double x, const char* name) {
    if (!std::isfinite(x)) throw badNetwork(f + "." + name, "must be finite, got " + std::to_string(x));
  };
  finite(p.V_th, "V_th");
  finite(p.E_L, "E_L");
  finite(p.g, "g");
  finite(p.C_m, "C_m");
  finite(p.V_reset, "V_reset");
  finite(p.t_ref, "t_ref");
  for (int j = 0; j < kAscCount; ++j) {
    finite(p.k[j], "k");
    finite(p.asc_amps[j], "asc_amps");
  }
  if (!(p.V_th > p.E_L)) throw badNetwork(f + ".V_th", "threshold must lie above E_L (voltage_scale = V_th − E_L > 0)");
  if (!(p.g > 0)) throw badNetwork(f + ".g", "conductance must be > 0 nS");
  if (!(p.C_m > 0)) throw badNetwork(f + ".C_m", "capacitance must be > 0 pF");
  if (!(p.t_ref >= 0)) throw badNetwork(f + ".t_ref", "refractory period must be ≥ 0 ms");
  for (int j = 0; j < kAscCount; ++j)
    if (!(p.k[j] > 0 && p.k[j] < 1))
      throw badNetwork(f + ".k", "after-spike-current rates must lie in (0, 1) /ms (SPEC §2.2)");
}

}  // namespace

CompiledNetwork compileNetwork(const NetworkSpec& spec, const EngineOptions& options) {
  if (options.batch < 1) throw badArgument("options.batch", "must be ≥ 1");
  if (options.maxDelay < 1 || options.maxDelay > 64) throw badArgument("options.maxDelay", "must be in 1..64 steps");
  if (!std::isfinite(options.lrScale) || options.lrScale <= 0) throw badArgument("options.lrScale", "must be > 0");
  if (spec.areas.empty()) throw badNetwork("areas", "a network needs at least one area");
  if (spec.nInputs < 0) throw badNetwork("nInputs", "must be ≥ 0");
  if (spec.nBkgSources < 0) throw badNetwork("nBkgSources", "must be ≥ 0");

  CompiledNetwork net;
  net.nInputs = spec.nInputs;
  net.nBkgSources = spec.nBkgSources;
  net.maxDelay = options.maxDelay;
  const int D = options.maxDelay;

  for (size_t a = 0; a < spec.areas.size(); ++a) {
    const AreaSpec& as = spec.areas[a];
    const std::string f = "areas[" + std::to_string(a) + "]";
    if (as.n < 1) throw badNetwork(f + ".n", "an area needs at least one neuron");
    if (as.types.empty()) throw badNetwork(f + ".types", "no node types given");
    if (static_cast<int>(as.typeIndex.size()) != as.n)
      throw badNetwork(f + ".nodeTypeIndex", "length " + std::to_string(as.typeIndex.size()) + " ≠ n = " + std::to_string(as.n));
    CompiledArea ca;
    ca.name = as.name;
    ca.n = as.n;
    for (size_t k = 0; k < as.types.size(); ++k) {
      checkType(as.types[k], f + ".types[" + std::to_string(k) + "]");
      ca.typeConsts.push_back(deriveNeuronConsts(as.types[k]));
    }
    for (int i = 0; i < as.n; ++i)
      if (as.typeIndex[i] < 0 || as.typeIndex[i] >= static_cast<int>(as.types.size()))
        throw badNetwork(f + ".nodeTypeIndex[" + std::to_string(i) + "]",
                         "type " + std::to_string(as.typeIndex[i]) + " out of range 0.." + std::to_string(as.types.size() - 1));
    ca.typeIndex = as.typeIndex;
    net.areas.push_back(std::move(ca));
  }
  const int nAreas = static_cast<int>(net.areas.size());
  net.bkgBlockOfArea.assign(nAreas, -1);

  // Validate blocks and collect the receptors each neuron uses (SPEC §3.2).
  std::vector<std::vector<uint8_t>> used(nAreas);
  for (int a = 0; a < nAreas; ++a) used[a].assign(static_cast<size_t>(net.areas[a].n) * kReceptorTypes, 0);
  for (size_t bi = 0; bi < spec.blocks.size(); ++bi) {
    const BlockSpec& b = spec.blocks[bi];
    const std::string f = "blocks[" + std::to_string(bi) + "] (" + b.name + ")";
    if (b.name.empty()) throw badNetwork("blocks[" + std::to_string(bi) + "].name", "every block needs a name");
    for (size_t bj = 0; bj < bi; ++bj)
      if (spec.blocks[bj].name == b.name) throw badNetwork(f + ".name", "duplicate block name");
    if (b.target < 0 || b.target >= nAreas) throw badNetwork(f + ".target", "area index out of range");
    const size_t E = b.weight.size();
    if (b.pre.size() != E || b.post.size() != E || b.receptor.size() != E)
      throw badNetwork(f, "pre, post, receptor and weight must have the same length (" + std::to_string(E) + ")");
    if (b.delay.size() != E && !(b.delay.empty() && (b.kind == BlockKind::Lgn || b.kind == BlockKind::Bkg)))
      throw badNetwork(f + ".delay", "length must equal the number of synapses");
    int nPre = 0;
    switch (b.kind) {
      case BlockKind::Recurrent:
        if (b.source != b.target) throw badNetwork(f + ".source", "a recurrent block's source must be its target area");
        nPre = net.areas[b.source].n;
        break;
      case BlockKind::Interarea:
        if (b.source < 0 || b.source >= nAreas || b.source == b.target)
          throw badNetwork(f + ".source", "an inter-area block needs a source area other than its target");
        nPre = net.areas[b.source].n;
        break;
      case BlockKind::Lgn:
        if (net.lgnBlock >= 0) throw badNetwork(f + ".kind", "only one LGN block is supported");
        if (spec.nInputs < 1) throw badNetwork("nInputs", "an LGN block needs nInputs ≥ 1");
        nPre = spec.nInputs;
        net.lgnBlock = static_cast<int>(bi);
        break;
      case BlockKind::Bkg:
        if (net.bkgBlockOfArea[b.target] >= 0) throw badNetwork(f + ".kind", "one BKG block per area");
        if (spec.nBkgSources < 1) throw badNetwork("nBkgSources", "a BKG block needs nBkgSources ≥ 1");
        nPre = spec.nBkgSources;
        net.bkgBlockOfArea[b.target] = static_cast<int>(bi);
        break;
    }
    const int nPost = net.areas[b.target].n;
    const bool delayed = b.kind == BlockKind::Recurrent || b.kind == BlockKind::Interarea;
    for (size_t s = 0; s < E; ++s) {
      if (b.pre[s] < 0 || b.pre[s] >= nPre)
        throw badNetwork(f + ".pre[" + std::to_string(s) + "]", std::to_string(b.pre[s]) + " out of range 0.." + std::to_string(nPre - 1));
      if (b.post[s] < 0 || b.post[s] >= nPost)
        throw badNetwork(f + ".post[" + std::to_string(s) + "]", std::to_string(b.post[s]) + " out of range 0.." + std::to_string(nPost - 1));
      if (b.receptor[s] >= kReceptorTypes)
        throw badNetwork(f + ".receptor[" + std::to_string(s) + "]", "receptor id must be 0..3");
      if (delayed && (b.delay[s] < 1 || b.delay[s] > D))
        throw badNetwork(f + ".delay[" + std::to_string(s) + "]",
                         "delay " + std::to_string(b.delay[s]) + " outside 1.." + std::to_string(D) + " steps (options.maxDelay)");
      if (!std::isfinite(b.weight[s]))
        throw badNetwork(f + ".weight[" + std::to_string(s) + "]", "weight must be finite");
      used[b.target][static_cast<size_t>(b.post[s]) * kReceptorTypes + b.receptor[s]] = 1;
    }
  }

  // Receptor slots: used receptors ascending; unused slots take the smallest unused receptor ids.
  for (int a = 0; a < nAreas; ++a) {
    CompiledArea& ca = net.areas[a];
    int R = 1;
    for (int i = 0; i < ca.n; ++i) {
      int k = 0;
      for (int r = 0; r < kReceptorTypes; ++r) k += used[a][static_cast<size_t>(i) * kReceptorTypes + r];
      R = std::max(R, k);
    }
    ca.slots = R;
    ca.slotConsts.resize(static_cast<size_t>(ca.n) * R);
    ca.receptorToSlot.assign(static_cast<size_t>(ca.n) * kReceptorTypes, -1);
    for (int i = 0; i < ca.n; ++i) {
      int slot = 0;
      const uint8_t* u = &used[a][static_cast<size_t>(i) * kReceptorTypes];
      for (int r = 0; r < kReceptorTypes; ++r)
        if (u[r]) {
          ca.receptorToSlot[static_cast<size_t>(i) * kReceptorTypes + r] = static_cast<int8_t>(slot);
          ca.slotConsts[static_cast<size_t>(i) * R + slot++] = deriveSynapseConsts(r);
        }
      for (int r = 0; r < kReceptorTypes && slot < R; ++r)
        if (!u[r]) ca.slotConsts[static_cast<size_t>(i) * R + slot++] = deriveSynapseConsts(r);
    }
  }

  // Presynaptic CSR per block, rows sorted by post row (then caller order, for determinism).
  for (const BlockSpec& b : spec.blocks) {
    CompiledBlock cb;
    cb.name = b.name;
    cb.kind = b.kind;
    cb.target = b.target;
    cb.source = b.source;
    const bool delayed = b.kind == BlockKind::Recurrent || b.kind == BlockKind::Interarea;
    cb.nPre = b.kind == BlockKind::Lgn ? spec.nInputs : b.kind == BlockKind::Bkg ? spec.nBkgSources : net.areas[b.source].n;
    cb.nRows = delayed ? D * cb.nPre : cb.nPre;
    const CompiledArea& post = net.areas[b.target];
    const size_t E = b.weight.size();
    std::vector<int64_t> rowOf(E);
    std::vector<int32_t> postRowOf(E);
    for (size_t s = 0; s < E; ++s) {
      rowOf[s] = delayed ? static_cast<int64_t>(b.delay[s] - 1) * cb.nPre + b.pre[s] : b.pre[s];
      postRowOf[s] = b.post[s] * post.slots + post.receptorToSlot[static_cast<size_t>(b.post[s]) * kReceptorTypes + b.receptor[s]];
    }
    cb.order.resize(E);
    std::iota(cb.order.begin(), cb.order.end(), 0);
    std::stable_sort(cb.order.begin(), cb.order.end(), [&](int64_t x, int64_t y) {
      return rowOf[x] != rowOf[y] ? rowOf[x] < rowOf[y] : postRowOf[x] < postRowOf[y];
    });
    cb.rowStart.assign(static_cast<size_t>(cb.nRows) + 1, 0);
    cb.postRow.resize(E);
    cb.weight.resize(E);
    cb.positive.resize(E);
    for (size_t p = 0; p < E; ++p) {
      const int64_t s = cb.order[p];
      cb.rowStart[rowOf[s] + 1]++;
      cb.postRow[p] = postRowOf[s];
      cb.weight[p] = b.weight[s];
      cb.positive[p] = b.weight[s] >= 0.0f ? 1 : 0;
    }
    for (int r = 0; r < cb.nRows; ++r) cb.rowStart[r + 1] += cb.rowStart[r];
    cb.preOfRow.resize(cb.nRows);
    for (int r = 0; r < cb.nRows; ++r) cb.preOfRow[r] = r % cb.nPre;
    net.blocks.push_back(std::move(cb));
  }
  return net;
}

}  // namespace v1lm
