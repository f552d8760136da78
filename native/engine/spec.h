// What an Engine is built from (a network and options) and what one trial takes and returns
// (ARCHITECTURE.md §2: inputs, observables, adjoints). Plain structs, no Node types, no backend types.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/large_pages.h"
#include "v1lm/glif.h"

namespace v1lm {

enum class BlockKind { Recurrent, Interarea, Lgn, Bkg };
// How dL/dI (the neuron adjoints the synapse pass reads) is stored: float32, or rounded to bfloat16 (half the
// bytes for the CUDA pull to read; every backend rounds the same way, v1lm/bf16.h).
enum class AdjointPrecision { Float32, Bfloat16 };

struct AreaSpec {
  std::string name;
  int n = 0;
  std::vector<NeuronTypeParams> types;
  std::vector<int32_t> typeIndex;  // n, into types
};

// One connection block, synapses in the caller's order (weights, gradients and optimizer state are
// exchanged in this order). Weights are normalized (SPEC §3.4) and already divided by lr_scale.
struct BlockSpec {
  std::string name;
  BlockKind kind = BlockKind::Recurrent;
  int target = 0;   // area index
  int source = -1;  // area index (recurrent: == target; interarea: the other area); -1 for LGN / BKG
  std::vector<int32_t> pre, post;
  std::vector<uint8_t> receptor;  // 0..3
  std::vector<uint8_t> delay;     // steps 1..D (recurrent / interarea); ignored for LGN / BKG (SPEC §3.3)
  std::vector<float> weight;
};

struct NetworkSpec {
  std::vector<AreaSpec> areas;
  std::vector<BlockSpec> blocks;
  int nInputs = 0;       // LGN units
  int nBkgSources = 100;  // per area (SPEC §6.3)
};

// A spike reaches another neuron's spike d + 2 ≥ 3 steps later, so at most 3 steps share a pass (docs/engine.md).
constexpr int kMaxBackwardStepsPerPass = 3;

struct EngineOptions {
  int batch = 1;
  int maxDelay = 5;  // D, common to all areas (SPEC §3.3, §15.9)
  float lrScale = 1.0f;
  bool hardReset = false;
  SurrogateParams surrogate{0.5f, 0.3f, false};
  float recurrentDampening = 0.5f;  // ρ
  bool connectRecurrent = true, connectAreas = true, connectNoise = true;
  uint64_t seed = 0;
  int threads = 0;  // CPU backend; 0 = hardware concurrency
  bool deterministic = false;  // CUDA backend: add inputs in the CPU's order, no atomics (slower; the CPU always is)
  // Backward steps whose synaptic adjoints share one pass over the synapses (temporal blocking, 1..3;
  // docs/engine.md). Gradients are identical for every value; the CUDA deterministic mode always runs 1.
  int backwardStepsPerPass = kMaxBackwardStepsPerPass;
  AdjointPrecision adjointPrecision = AdjointPrecision::Float32;
};

// Carried state of one area (SPEC §2.3); zbuf block k (0..D−1) = spikes emitted k+1 steps ago.
struct AreaState {
  ResultVector<uint8_t> zbuf;       // B·D·n
  ResultVector<float> v, r;         // B·n
  ResultVector<float> asc;          // B·2n (neuron-major)
  ResultVector<float> rise, psc;    // B·n·R
};

enum class LgnInputKind { None, Probability, Spikes, Current };

// A read-only view of memory the caller owns (the binding: a JS typed array it keeps alive until the call
// settles). Valid for the duration of one Engine call only: a backend that needs the values later (the CPU
// backend re-reads LGN inputs in backward) keeps its own copy.
template <typename T>
class ArrayRef {
 public:
  ArrayRef() = default;
  ArrayRef(const T* data, size_t size) : data_(data), size_(size) {}
  explicit ArrayRef(const std::vector<T>& v) : data_(v.data()), size_(v.size()) {}
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t k) const { return data_[k]; }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

struct BinSpec {
  int start = 0, size = 1, count = 0;  // count 0: no binned counts
};

struct TraceSubsets {
  std::vector<int32_t> offsets;  // K + 1
  std::vector<int32_t> indices;
  int count() const { return offsets.empty() ? 0 : static_cast<int>(offsets.size()) - 1; }
};

struct ForwardRequest {
  int steps = 0;
  uint32_t trial = 0;  // RNG counter of this trial
  LgnInputKind lgnKind = LgnInputKind::None;
  ArrayRef<float> lgnProbability;  // B·T·nInputs (Probability: p per step; Current: p, x = 1.3·p); caller's memory
  ArrayRef<uint8_t> lgnSpikes;     // B·T·nInputs (Spikes); caller's memory
  std::vector<std::vector<float>> bkgCounts;  // per area: empty (drawn) or B·T·nBkgSources
  std::vector<AreaState> initialState;        // empty = zero state
  BinSpec bins;
  std::vector<TraceSubsets> traces;     // per area (may be empty)
  std::vector<uint8_t> recordVoltages;  // per area
  bool keepTape = true;
};

struct AreaObservables {
  ResultVector<uint32_t> raster;  // B·T·ceil(n/32), bit i%32 of word i/32
  ResultVector<float> counts;     // B·bins.count·n
  ResultVector<float> traces;     // B·K·T
  ResultVector<float> voltages;   // B·T·n when recorded
  double voltageRegularizer = 0;  // mean over (b, t, i) of (v − 1)²
  double spikes = 0;              // total spikes (for rates in progress lines)
};

struct ForwardResult {
  std::vector<AreaObservables> areas;
  std::vector<AreaState> finalState;
};

struct AreaAdjoints {
  std::vector<float> counts;  // empty or B·bins.count·n
  std::vector<float> traces;  // empty or B·K·T
  double voltageRegularizer = 0;
};

struct BackwardRequest {
  std::vector<AreaAdjoints> areas;
  std::vector<uint8_t> trainable;  // per block: compute its weight gradient
};

enum class OptimizerKind { Adam, ExpAdam, Sgd };

struct OptimizerStep {
  OptimizerKind kind = OptimizerKind::Adam;
  double learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-11;
  int64_t step = 1;          // t of the bias correction (1-based)
  double gradientScale = 1;  // gradients are multiplied by this first (loss scaling, replicas)
  std::vector<int> blocks;   // which blocks to update
};

}  // namespace v1lm
