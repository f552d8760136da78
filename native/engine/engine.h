// The Engine: a compiled network on one backend. Validates every request against the network (shapes,
// ranges, finiteness) before a backend runs it, and maps caller order ↔ engine order for weights,
// gradients and optimizer state.
#pragma once
#include <memory>
#include <string>

#include "cpu/thread_pool.h"
#include "engine/backend.h"
#include "engine/network.h"
#include "engine/spec.h"

namespace v1lm {

enum class BackendKind { Cpu, Cuda };

class Engine {
 public:
  Engine(const NetworkSpec& spec, const EngineOptions& options, BackendKind kind);

  const CompiledNetwork& network() const { return net_; }
  const EngineOptions& options() const { return options_; }
  std::string backendName() const { return backend_->name(); }
  size_t peakDeviceBytes() const { return backend_->peakDeviceBytes(); }
  bool inputsAhead() const { return backend_->inputsAhead(); }
  bool fusedSteps() const { return backend_->fusedSteps(); }
  bool splitPush() const { return backend_->splitPush(); }

  void validate(const ForwardRequest& req) const;
  void validate(const BackwardRequest& req) const;
  void validate(const OptimizerStep& step) const;
  void forward(const ForwardRequest& req, ForwardResult& out);
  void backward(const BackwardRequest& req);
  void optimizerStep(const OptimizerStep& step);

  int blockIndex(const std::string& name, const std::string& field) const;  // throws E_BAD_ARGUMENT
  int64_t blockSize(int block) const { return net_.blocks[block].size(); }
  // Caller order (the order of the block's synapses at creation).
  void getWeights(int block, float* out);
  void setWeights(int block, const float* in);  // E_BAD_ARGUMENT on non-finite values
  void getGradients(int block, float* out);
  void addGradients(int block, const float* in);  // E_BAD_ARGUMENT on non-finite values
  void getOptimizerState(int block, float* m, float* v);
  void setOptimizerState(int block, const float* m, const float* v);

 private:
  void toCaller(int block, const float* engineOrder, float* out) const;
  void toEngine(int block, const float* callerOrder, float* out) const;
  CompiledNetwork net_;
  EngineOptions options_;
  // options.threads (0: all cores): the CPU backend's workers, and the scan of large inputs in validate
  // (calls on an Engine never overlap, so they never share the pool at once).
  mutable ThreadPool pool_;
  std::unique_ptr<Backend> backend_;  // declared after pool_: destroyed before it
  BinSpec lastBins_;
  std::vector<int> lastTraceCounts_;
  int lastSteps_ = 0;
};

}  // namespace v1lm
