// A validated network in the engine's layout: receptor slots per neuron (SPEC §3.2) and every block as a
// presynaptic CSR over delay-expanded presynaptic ids, row (d − 1)·n_pre + pre (SPEC §3.4), each row
// sorted by postsynaptic row post·R + slot. Backends upload this and never see the caller's order.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/spec.h"

namespace v1lm {

struct CompiledArea {
  std::string name;
  int n = 0;
  int slots = 1;                               // R
  std::vector<NeuronConsts> typeConsts;        // per node type
  std::vector<int32_t> typeIndex;              // n
  std::vector<SynapseConsts> slotConsts;       // n·R
  std::vector<int8_t> receptorToSlot;          // n·4, −1 where the neuron does not use the receptor
};

struct CompiledBlock {
  std::string name;
  BlockKind kind = BlockKind::Recurrent;
  int target = 0, source = -1;
  int nPre = 0;   // presynaptic ids: source neurons, LGN units or BKG sources
  int nRows = 0;  // D·nPre for recurrent / interarea, nPre otherwise
  std::vector<int64_t> rowStart;  // nRows + 1
  std::vector<int32_t> postRow;   // per synapse: post·R + slot
  std::vector<int32_t> preOfRow;  // nRows (convenience: pre id of a row)
  std::vector<float> weight;      // engine order
  std::vector<uint8_t> positive;  // sign at initialization (SPEC §3.4): w ≥ 0
  std::vector<int64_t> order;     // engine position → caller index
  int64_t size() const { return static_cast<int64_t>(weight.size()); }
  bool delayed() const { return kind == BlockKind::Recurrent || kind == BlockKind::Interarea; }
  int delayOfRow(int row) const { return delayed() ? row / nPre + 1 : 0; }
};

struct CompiledNetwork {
  std::vector<CompiledArea> areas;
  std::vector<CompiledBlock> blocks;
  int nInputs = 0, nBkgSources = 0, maxDelay = 1;
  int lgnBlock = -1;                 // index of the LGN block, −1 if none
  std::vector<int> bkgBlockOfArea;   // per area, −1 if none
  int blockIndex(const std::string& name) const;
};

// Validates everything (index ranges, delays, receptors, finite parameters and weights, shapes) and
// throws v1lm::Error (E_BAD_NETWORK / E_BAD_ARGUMENT) naming the field; then builds the layout.
CompiledNetwork compileNetwork(const NetworkSpec& spec, const EngineOptions& options);

}  // namespace v1lm
