#include "engine/engine.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <utility>

#include "engine/errors.h"
#include "engine/input_checks.h"

namespace v1lm {

Engine::Engine(const NetworkSpec& spec, const EngineOptions& options, BackendKind kind)
    : net_(compileNetwork(spec, options)),
      options_(options),
      pool_(options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))) {
  if (!(options.surrogate.dampening >= 0) || !std::isfinite(options.surrogate.dampening))
    throw badArgument("options.dampeningFactor", "must be a finite number ≥ 0");
  if (!(options.surrogate.gaussStd > 0) || !std::isfinite(options.surrogate.gaussStd))
    throw badArgument("options.gaussStd", "must be a finite number > 0");
  if (!std::isfinite(options.recurrentDampening)) throw badArgument("options.recurrentDampeningFactor", "must be finite");
  if (options.backwardStepsPerPass < 1 || options.backwardStepsPerPass > kMaxBackwardStepsPerPass)
    throw badArgument("options.backwardStepsPerPass", "must be 1, 2 or 3 (a spike affects another spike d + 2 ≥ 3 steps later)");
  backend_ = kind == BackendKind::Cuda ? makeCudaBackend(net_, options_) : makeCpuBackend(net_, options_, pool_);
}

int Engine::blockIndex(const std::string& name, const std::string& field) const {
  const int b = net_.blockIndex(name);
  if (b < 0) {
    std::string names;
    for (const auto& blk : net_.blocks) names += (names.empty() ? "" : ", ") + blk.name;
    throw badArgument(field, "no block named '" + name + "' (blocks: " + names + ")");
  }
  return b;
}

namespace {

// firstOutsideUnit over the pool's threads, in parts of at least 2 M values (arrays from 16 MB on): one core
// reads ≈ 10 GB/s, so W2's 209 MB of LGN probabilities took ≈ 20 ms of every forward call on one.
size_t firstOutsideUnit(ThreadPool& pool, const float* p, size_t n) {
  std::atomic<size_t> first{n};
  pool.parallelFor(static_cast<int64_t>(n), [&](int64_t b, int64_t e) {
    const size_t k = b + v1lm::firstOutsideUnit(p + b, e - b);
    if (k == static_cast<size_t>(e)) return;  // none in this part
    for (size_t seen = first.load(); k < seen && !first.compare_exchange_weak(seen, k);) {}
  }, int64_t(1) << 21);
  return first.load();
}

}  // namespace

void Engine::validate(const ForwardRequest& req) const {
  const size_t B = options_.batch, T = req.steps, nA = net_.areas.size();
  if (req.steps < 1) throw badArgument("steps", "must be ≥ 1");
  const size_t lgnSize = B * T * net_.nInputs;
  switch (req.lgnKind) {
    case LgnInputKind::None: break;
    case LgnInputKind::Probability:
    case LgnInputKind::Current:
      if (req.lgnProbability.size() != lgnSize)
        throw badArgument("lgn.probability", "length " + std::to_string(req.lgnProbability.size()) + " ≠ batch·steps·nInputs = " + std::to_string(lgnSize));
      // The CUDA backend checks them while it stages them, beside its steps (W1's 35 MB: 0.5–1.2 ms of its forward
      // when scanned here first, docs/perf-notes.md v22).
      if (backend_->checksLgnWhileStaging()) break;
      if (size_t k = firstOutsideUnit(pool_, req.lgnProbability.data(), lgnSize); k < lgnSize) throw lgnProbabilityOutOfRange(k, req.lgnProbability[k]);
      break;
    case LgnInputKind::Spikes:
      if (req.lgnSpikes.size() != lgnSize)
        throw badArgument("lgn.spikes", "length " + std::to_string(req.lgnSpikes.size()) + " ≠ batch·steps·nInputs = " + std::to_string(lgnSize));
      break;
  }
  if (req.lgnKind != LgnInputKind::None && net_.lgnBlock < 0) throw badArgument("lgn", "the network has no LGN block");
  if (!req.bkgCounts.empty() && req.bkgCounts.size() != nA) throw badArgument("bkgCounts", "one entry per area");
  for (size_t a = 0; a < req.bkgCounts.size(); ++a) {
    const auto& c = req.bkgCounts[a];
    if (c.empty()) continue;
    if (c.size() != B * T * net_.nBkgSources)
      throw badArgument("bkgCounts[" + std::to_string(a) + "]", "length must be batch·steps·nBkgSources = " + std::to_string(B * T * net_.nBkgSources));
    for (size_t k = 0; k < c.size(); ++k)
      if (!(c[k] >= 0.0f) || !std::isfinite(c[k])) throw badArgument("bkgCounts[" + std::to_string(a) + "][" + std::to_string(k) + "]", "counts must be finite and ≥ 0");
  }
  if (!req.initialState.empty()) {
    if (req.initialState.size() != nA) throw badArgument("state", "one state per area");
    const size_t D = net_.maxDelay;
    for (size_t a = 0; a < nA; ++a) {
      const AreaState& s = req.initialState[a];
      const size_t n = net_.areas[a].n, nR = n * net_.areas[a].slots;
      const std::string f = "state[" + std::to_string(a) + "]";
      auto check = [&](size_t got, size_t want, const char* name) {
        if (got != want) throw badArgument(f + "." + name, "length " + std::to_string(got) + " ≠ " + std::to_string(want) + " (a state from another network, batch or maxDelay?)");
      };
      check(s.zbuf.size(), B * D * n, "zbuf");
      check(s.v.size(), B * n, "v");
      check(s.r.size(), B * n, "r");
      check(s.asc.size(), B * 2 * n, "asc");
      check(s.rise.size(), B * nR, "rise");
      check(s.psc.size(), B * nR, "psc");
      for (const ResultVector<float>* x : {&s.v, &s.r, &s.asc, &s.rise, &s.psc})
        for (float y : *x)
          if (!std::isfinite(y)) throw badArgument(f, "state holds a non-finite value");
    }
  }
  const BinSpec& bins = req.bins;
  if (bins.count < 0 || bins.size < 1 || bins.start < 0 || (bins.count > 0 && static_cast<size_t>(bins.start + bins.size * bins.count) > T))
    throw badArgument("bins", "need start ≥ 0, size ≥ 1, count ≥ 0 and start + size·count ≤ steps");
  if (req.traces.size() > nA) throw badArgument("traces", "at most one subset list per area");
  for (size_t a = 0; a < req.traces.size(); ++a) {
    const TraceSubsets& ts = req.traces[a];
    const std::string f = "traces[" + std::to_string(a) + "]";
    if (ts.offsets.empty()) continue;
    if (ts.offsets[0] != 0 || static_cast<size_t>(ts.offsets.back()) != ts.indices.size())
      throw badArgument(f + ".offsets", "must start at 0 and end at indices.length");
    for (size_t k = 1; k < ts.offsets.size(); ++k)
      if (ts.offsets[k] < ts.offsets[k - 1]) throw badArgument(f + ".offsets", "must be non-decreasing");
    for (int32_t i : ts.indices)
      if (i < 0 || i >= net_.areas[a].n) throw badArgument(f + ".indices", "neuron " + std::to_string(i) + " out of range");
  }
}

void Engine::validate(const BackwardRequest& req) const {
  if (!backend_->hasTape()) throw badArgument("backward", "no tape: run forward (with keepTape) first");
  const size_t B = options_.batch, nA = net_.areas.size();
  if (req.areas.size() != nA) throw badArgument("adjoints", "one entry per area");
  if (req.trainable.size() != net_.blocks.size()) throw badArgument("trainable", "one flag per block");
  for (size_t a = 0; a < nA; ++a) {
    const AreaAdjoints& adj = req.areas[a];
    const std::string f = "adjoints[" + std::to_string(a) + "]";
    const size_t n = net_.areas[a].n;
    if (!adj.counts.empty() && adj.counts.size() != B * lastBins_.count * n)
      throw badArgument(f + ".counts", "shape must match the forward's counts (batch·bins·n = " + std::to_string(B * lastBins_.count * n) + ")");
    const size_t K = a < lastTraceCounts_.size() ? lastTraceCounts_[a] : 0;
    if (!adj.traces.empty() && adj.traces.size() != B * K * lastSteps_)
      throw badArgument(f + ".traces", "shape must match the forward's traces (batch·K·steps = " + std::to_string(B * K * lastSteps_) + ")");
    for (float x : adj.counts)
      if (!std::isfinite(x)) throw badArgument(f + ".counts", "adjoints must be finite");
    for (float x : adj.traces)
      if (!std::isfinite(x)) throw badArgument(f + ".traces", "adjoints must be finite");
    if (!std::isfinite(adj.voltageRegularizer)) throw badArgument(f + ".voltageRegularizer", "must be finite");
  }
}

void Engine::validate(const OptimizerStep& step) const {
  // Fields are named as the caller writes them (Engine.update's argument, native/binding/engine_object.cc).
  if (step.step < 1) throw badArgument("update.step", "the optimizer step counter starts at 1");
  const std::pair<const char*, double> finite[] = {{"update.learningRate", step.learningRate}, {"update.beta1", step.beta1},
                                                   {"update.beta2", step.beta2}, {"update.epsilon", step.epsilon},
                                                   {"update.gradientScale", step.gradientScale}};
  for (const auto& [field, x] : finite)
    if (!std::isfinite(x)) throw badArgument(field, "must be a finite number");
  if (!(step.beta1 >= 0 && step.beta1 < 1)) throw badArgument("update.beta1", "β1 must lie in [0, 1)");
  if (!(step.beta2 >= 0 && step.beta2 < 1)) throw badArgument("update.beta2", "β2 must lie in [0, 1)");
  std::vector<bool> listed(net_.blocks.size(), false);
  for (int b : step.blocks) {
    if (b < 0 || b >= static_cast<int>(net_.blocks.size())) throw badArgument("update.blocks", "block index out of range");
    // A block listed twice would take two optimizer steps from one gradient.
    if (listed[b]) throw badArgument("update.blocks", "block '" + net_.blocks[b].name + "' is listed twice; list each block once");
    listed[b] = true;
  }
}

void Engine::forward(const ForwardRequest& req, ForwardResult& out) {
  validate(req);
  backend_->forward(req, out);
  lastBins_ = req.bins;
  lastSteps_ = req.steps;
  lastTraceCounts_.assign(net_.areas.size(), 0);
  for (size_t a = 0; a < req.traces.size(); ++a) lastTraceCounts_[a] = req.traces[a].count();
}

void Engine::backward(const BackwardRequest& req) {
  validate(req);
  backend_->backward(req);
}

void Engine::optimizerStep(const OptimizerStep& step) {
  validate(step);
  backend_->optimizerStep(step);
}

void Engine::toCaller(int block, const float* engineOrder, float* out) const {
  const auto& order = net_.blocks[block].order;
  for (size_t p = 0; p < order.size(); ++p) out[order[p]] = engineOrder[p];
}
void Engine::toEngine(int block, const float* callerOrder, float* out) const {
  const auto& order = net_.blocks[block].order;
  for (size_t p = 0; p < order.size(); ++p) out[p] = callerOrder[order[p]];
}

void Engine::getWeights(int block, float* out) {
  std::vector<float> tmp(blockSize(block));
  backend_->readWeights(block, tmp.data());
  toCaller(block, tmp.data(), out);
}
void Engine::setWeights(int block, const float* in) {
  std::vector<float> tmp(blockSize(block));
  toEngine(block, in, tmp.data());
  for (size_t s = 0; s < tmp.size(); ++s)
    if (!std::isfinite(tmp[s])) throw badArgument("weights", "weights must be finite");
  backend_->writeWeights(block, tmp.data());
}
void Engine::getGradients(int block, float* out) {
  std::vector<float> tmp(blockSize(block));
  backend_->readGradients(block, tmp.data());
  toCaller(block, tmp.data(), out);
}
void Engine::addGradients(int block, const float* in) {
  std::vector<float> tmp(blockSize(block));
  toEngine(block, in, tmp.data());
  for (float g : tmp)
    if (!std::isfinite(g)) throw badArgument("gradients", "gradients must be finite");
  backend_->addGradients(block, tmp.data());
}
void Engine::getOptimizerState(int block, float* m, float* v) {
  std::vector<float> tm(blockSize(block)), tv(blockSize(block));
  backend_->readOptimizerState(block, tm.data(), tv.data());
  toCaller(block, tm.data(), m);
  toCaller(block, tv.data(), v);
}
void Engine::setOptimizerState(int block, const float* m, const float* v) {
  std::vector<float> tm(blockSize(block)), tv(blockSize(block));
  toEngine(block, m, tm.data());
  toEngine(block, v, tv.data());
  backend_->writeOptimizerState(block, tm.data(), tv.data());
}

}  // namespace v1lm
