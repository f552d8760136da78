// The backend contract: what every backend (native/cpu, cuda/) implements. The Engine (engine.h)
// validates requests and maps caller order ↔ engine order; a backend sees only the compiled layout.
#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include "engine/network.h"
#include "engine/spec.h"

namespace v1lm {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // Runs one trial of req.steps steps for the whole batch; keeps the tape when req.keepTape.
  virtual void forward(const ForwardRequest& req, ForwardResult& out) = 0;
  // BPTT over the tape of the last forward. Gradients of the blocks marked trainable stay here
  // (engine order) until the next backward.
  virtual void backward(const BackwardRequest& req) = 0;
  virtual void readWeights(int block, float* out) = 0;  // engine order
  virtual void writeWeights(int block, const float* in) = 0;
  virtual void readGradients(int block, float* out) = 0;
  // Adds to the block's gradient (engine order): gradients of terms outside the simulation, e.g. the
  // weight regularizer (SPEC §10.3), computed in TypeScript.
  virtual void addGradients(int block, const float* in) = 0;
  virtual void optimizerStep(const OptimizerStep& step) = 0;
  virtual void readOptimizerState(int block, float* m, float* v) = 0;
  virtual void writeOptimizerState(int block, const float* m, const float* v) = 0;
  virtual bool hasTape() const = 0;
  // Peak device memory in bytes (0 for the CPU backend).
  virtual size_t peakDeviceBytes() const { return 0; }
  // Whether forward checks the range of the LGN probabilities itself, chunk by chunk while it stages them, with
  // the error Engine::validate would give (the first value outside [0, 1]); Engine::validate then skips its scan.
  virtual bool checksLgnWhileStaging() const { return false; }
  // Whether the forward sums the LGN and BKG inputs of its steps ahead of them (CUDA, batches of 1–2).
  virtual bool inputsAhead() const { return false; }
  // Whether each forward step is one kernel, the neuron update beside the push of the next step's input (CUDA,
  // with the inputs ahead).
  virtual bool fusedSteps() const { return false; }
  // Whether each forward step's push is split, the rows of delays ≥ 2 and the LGN rows running beside the neuron update
  // of the step before (CUDA fast mode, batches of 3 or more).
  virtual bool splitPush() const { return false; }
};

class ThreadPool;
// The CPU backend runs on the Engine's thread pool.
std::unique_ptr<Backend> makeCpuBackend(const CompiledNetwork& net, const EngineOptions& options, ThreadPool& pool);
// Defined in cuda/ when built with nvcc, else throws E_NO_CUDA with the reason.
std::unique_ptr<Backend> makeCudaBackend(const CompiledNetwork& net, const EngineOptions& options);

}  // namespace v1lm
