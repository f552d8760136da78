// The CUDA backend: SPEC §2–§5 forward and the exact BPTT of the CPU reference (native/cpu/cpu_backend.cc)
// on the device (ARCHITECTURE.md §4 levers 1, 2, 4, 6; docs/cuda-backend.md).
//
// Forward, step t: kPush (event-driven push of the spikes of steps t−d from per-step spike lists and LGN
// rows, atomics into I[b, post·R + slot]; the step's BKG counts) then kNeuron (both areas: the neuron's BKG
// synapses gathered, PSC, GLIF3, tape, observables, spike list of step t); rasters go down per chunk of
// steps. Deterministic mode replaces kPush by a per-post-row gather inside kNeuron that adds in the CPU's
// order (block, presynaptic row, synapse), so it matches the CPU bit for bit. Batches of 1–2 with the LGN and BKG
// inputs summed ahead run one kernel a step, kStep(t): kNeuron's update of step t beside kPush's spike rows of
// step t's input, since that input reaches only rise, which step t's spike does not read (docs/cuda-backend.md).
// Backward: kLiveSteps marks from the tapes the (step, neuron) whose ∂z/∂v is not zero in some batch element;
// then, in passes of G ≤ 3 steps (temporal blocking, docs/engine.md): kNeuronAdj (adjoints of every
// neuron for the G steps; dI = dL/dI of steps t − 2, float or bfloat16 (adjointPrecision), in
// [post row][step][batch] layout so one synapse read serves the batch and the pass) then kPull (one warp, or 8 lanes for batches of 1–2, per delay-expanded
// row of the presyn-major CSR: the ρ-dampened pull into the pending dL/dz ring, skipped where none of the
// row's steps is marked, and the weight gradient of rows whose presynaptic neuron spiked; no transposed copy;
// its first blocks compute the LGN / BKG weight gradients). The deterministic mode runs G = 1.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "engine/backend.h"
#include "engine/cuda_probe.h"
#include "engine/env.h"
#include "engine/errors.h"
#include "engine/input_checks.h"
#include "v1lm/glif.h"
#include "v1lm/optim.h"
#include "v1lm/philox.h"

namespace v1lm {
namespace {

constexpr float kCurrentInputGain = 1.3f;  // SPEC §3.5: analog LGN input x = 1.3·p
constexpr int kThreads = 256;
constexpr int kWarpsPerBlock = kThreads / 32;
constexpr int kBatchChunk = 8;  // batch elements of one piece set of the pull (kPull)
// Synapse rounds per lane in flight in the pull by pieces (W2 backward, H100: 2 → 317 ms, 4 → 277 ms).
constexpr int kPullPiecesInFlight = 4;
// The same in rows whose presynaptic neuron spiked in the pass, where the walk also adds the weight
// gradients: with 4, ptxas spills in that loop (48 registers with float adjoints, 40 with bfloat16); 3 fits
// the float loop, 2 the bfloat16 one (docs/perf-notes.md v18).
template <class Adj>
constexpr int kPullGradPiecesInFlight = std::is_same_v<Adj, float> ? 3 : 2;
// Resident blocks of kPull per SM asked of ptxas (H100, docs/perf-notes.md v8, v10): for the pieces kernels
// (NB ≥ 4) 5 with float adjoints (48 registers, 40 warps per SM instead of 32; W2 backward 277.7 → 252.7 ms
// in v8; 6 blocks in v10: 306.9 → 313.4 ms; 4 blocks on the H200 in v33, 64 registers and 16 B of spills:
// 117.3–117.7 → 125.1–126.1 ms) and 6 with bfloat16 adjoints (40 registers; v10: W2 backward
// 291.0 → 284.2 ms); 4 for the rest (64 registers, no spills, instead of ptxas's own 48 with spills; W1
// backward 15.7 / 15.5 → 15.1 / 15.2 ms, 1 block: 15.8 / 15.6 ms).
template <int NB, class Adj>
constexpr int kPullMinBlocks = NB < 4 ? 4 : std::is_same_v<Adj, float> ? 5 : 6;
constexpr int kBkgChunk = 128;  // synapses of a BKG row per warp (input gradients): 4 per lane, held in registers
constexpr int kMaxAreas = 4;
constexpr int kMaxBlocks = 16;
// Synapses per item of the lane-group pull (B ≤ 2): longer (d, pre) rows are cut into items of this many, so that
// W1's longest rows (≈ 760 synapses, 24 dependent round trips of 32) do not end every pass alone (H100, v16: W1
// backward 11.9 → 11.1 ms with 64; 128 and 32: 11.4).
constexpr int kPullChunk = 64;
// Lanes per item of the fast pull of batches 1–2 (kPull's LANES): 8, four items per warp, each walking its ≤ 64
// synapses in two rounds of 4 per lane. W1's pass was ≈ 6 waves of items' dependent chains at 16 lanes (two items
// per warp, 2 per lane): half the warps, half the waves (H100, v19: W1 pull 6.2 → 5.5 ms per call).
constexpr int kRowGroupLanes = 8;
// Synapses per lane in flight in a round of the lane-group pull. kPull loads an item's synapse records (static in
// the backward) before it waits on kNeuronAdj: all of them, kPullChunk / (8 · 4) = 2 rounds, so that after the wait
// only the adjoint gathers remain (H100, v23: W1 backward 6.41 → 6.26 ms; one round ahead 6.30).
constexpr int kRowGroupInFlight = 4;
constexpr int kRowGroupRoundsAhead = kPullChunk / (kRowGroupLanes * kRowGroupInFlight);
constexpr int kMaxPushEntries = 1024;  // delayed blocks × delays in kPush's shared table
// Batches ≥ 3: index k of kPush's grid-stride walk stands for item k · kPushItemScramble mod total (a prime above
// any step's items), so that the rows pushed at once come from every block, delay and population (F −2.6 %, H200,
// docs/perf-notes.md v30).
constexpr int kPushItemScramble = 1000003;
// kStep's push blocks per SM: with its B · neuron blocks (W1: 45) all of one step's blocks resident at once (4 per
// SM). 1 and 3 measured no better (H100, docs/perf-notes.md v24).
constexpr int kStepPushBlocksPerSm = 2;
// Synapses per lane of a spike row in flight in kStep's push: W1's longest rows (≈ 760 synapses) were 6 round trips at
// 4 and ended most steps; 8 keeps kStep within 64 registers (16: 44 bytes spilled) (H200, docs/perf-notes.md v28).
constexpr int kStepRowInFlight = 8;
// The inputs ahead (kExternalBkg): BKG sources whose counts a block keeps in shared memory; the bytes of the two
// segments' sums (ext) that turn them on.
constexpr int kMaxBkgSourcesAhead = 1024;
constexpr size_t kMaxInputsAheadBytes = size_t{64} << 20;
// Synapses per lane of an LGN row loaded before their atomics (kPush) or their gradient updates
// (lgnGradientsByUnits): the rows run to 1,821 synapses (W1), and one 32-synapse round trip after another a long
// row was the critical path of the push and of the pass (H100, v17: W1 forward −14 %, backward −28 %; W2 −22 %,
// −29 %; F −16 %; 8 in the push: no gain).
constexpr int kLgnInFlight = 4;
// LGN synapses per warp of the LGN weight gradients of batches of 1–2 (lgnGradientsByChunks), 4 consecutive per
// lane: every warp's work is one round of loads, where a walk per active unit had left W1's rows of up to 1,821
// synapses to one warp each, a chain of dependent rounds at the end of every pass (H100, v25: W1 backward 5.4–5.6
// → 5.0–5.1 ms).
constexpr int kLgnGradChunk = 128;
constexpr int kLgnChunkBatches = 2;
// Zero (offset 0, weight 0) synapses after a source's last pull row: the pull by pieces reads up to two
// rounds of ≤ 32 · 4 synapses past a row's end (AreaDev::pullSyn).
constexpr int kPullRowPadding = 256;
constexpr unsigned kFullMask = 0xffffffffu;

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    cudaGetLastError();
    throw Error("E_CUDA", "backend", std::string("CUDA error in ") + what + ": " + cudaGetErrorString(e));
  }
}
void checkLaunch(const char* kernel) { check(cudaGetLastError(), kernel); }

// kernel<<<grid, kThreads, 0, s>>>(args…), overlapping the kernel before it in s if asked.
template <class... Params, class... Args>
void launchKernel(const char* name, void (*kernel)(Params...), dim3 grid, cudaStream_t s, bool overlapping, Args... args) {
  cudaLaunchAttribute attribute{};
  attribute.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attribute.val.programmaticStreamSerializationAllowed = 1;
  cudaLaunchConfig_t config{};
  config.gridDim = grid;
  config.blockDim = dim3(kThreads);
  config.stream = s;
  config.attrs = &attribute;
  config.numAttrs = overlapping ? 1 : 0;
  check(cudaLaunchKernelEx(&config, kernel, args...), name);
}

// Every device allocation goes through here: bytes in use, the peak, and E_OUT_OF_MEMORY with the
// bytes asked and free.
class DeviceMemory {
 public:
  void* allocate(size_t bytes, const char* what) {
    if (bytes == 0) return nullptr;
    void* p = nullptr;
    if (cudaMalloc(&p, bytes) != cudaSuccess) {
      cudaGetLastError();
      size_t freeBytes = 0, totalBytes = 0;
      cudaMemGetInfo(&freeBytes, &totalBytes);
      throw Error("E_OUT_OF_MEMORY", "device",
                  std::string("CUDA device out of memory for ") + what + ": asked " + std::to_string(bytes) + " bytes, " +
                      std::to_string(freeBytes) + " free of " + std::to_string(totalBytes) +
                      " (this engine holds " + std::to_string(current_) + "); use a smaller batch, fewer steps or keepTape: false");
    }
    sizes_[p] = bytes;
    current_ += bytes;
    peak_ = std::max(peak_, current_);
    return p;
  }
  void release(void* p) {
    if (!p) return;
    cudaFree(p);
    current_ -= sizes_[p];
    sizes_.erase(p);
  }
  size_t peak() const { return peak_; }

 private:
  std::map<void*, size_t> sizes_;
  size_t current_ = 0, peak_ = 0;
};

template <typename T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : ptr_(o.ptr_), count_(o.count_), mem_(o.mem_) { o.ptr_ = nullptr, o.count_ = 0; }
  ~DeviceBuffer() { reset(); }
  // Exactly `count` elements (contents undefined); keeps the allocation when the size matches.
  void resize(DeviceMemory& mem, size_t count, const char* what) {
    if (count == count_ && (ptr_ || count == 0)) return;
    reset();
    mem_ = &mem;
    ptr_ = static_cast<T*>(mem.allocate(count * sizeof(T), what));
    count_ = count;
  }
  void reset() {
    if (ptr_) mem_->release(ptr_);
    ptr_ = nullptr;
    count_ = 0;
  }
  void upload(const T* src, size_t count, cudaStream_t s) {
    if (count) check(cudaMemcpyAsync(ptr_, src, count * sizeof(T), cudaMemcpyHostToDevice, s), "upload");
  }
  void download(T* dst, size_t count, cudaStream_t s) const {
    if (count) check(cudaMemcpyAsync(dst, ptr_, count * sizeof(T), cudaMemcpyDeviceToHost, s), "download");
  }
  void zero(cudaStream_t s) {
    if (count_) check(cudaMemsetAsync(ptr_, 0, count_ * sizeof(T), s), "memset");
  }
  T* get() const { return ptr_; }
  size_t size() const { return count_; }

 private:
  T* ptr_ = nullptr;
  size_t count_ = 0;
  DeviceMemory* mem_ = nullptr;
};

// V1LM_CUDA_PROFILE=1: device time per kernel, summed over a call, and the host's wall time between the
// call's host marks, printed to stderr (docs/cuda-backend.md). V1LM_CUDA_PROFILE=host: the host marks only, with
// the step graphs kept (the device marks need a plain stream), so that the host's phases are those of a normal run.
bool profileDeviceMarks() {
  const char* p = std::getenv("V1LM_CUDA_PROFILE");
  return p && std::strcmp(p, "host") != 0;
}
class PhaseTimer {
 public:
  PhaseTimer() : on_(std::getenv("V1LM_CUDA_PROFILE") != nullptr), deviceMarks_(profileDeviceMarks()) {}
  void begin(cudaStream_t s) {
    if (!on_) return;
    marks_.clear();
    hostMarks_.clear();
    host("");
    mark(s, "");
  }
  // Host wall time from the previous host mark to now, under `phase`.
  void host(const char* phase) {
    if (on_) hostMarks_.push_back({std::chrono::steady_clock::now(), phase});
  }
  void mark(cudaStream_t s, const char* phase) {
    if (!deviceMarks_) return;
    cudaEvent_t e;
    check(cudaEventCreate(&e), "cudaEventCreate");
    check(cudaEventRecord(e, s), "cudaEventRecord");
    marks_.push_back({e, phase});
  }
  // After a sync: sums the intervals ending at each mark by the mark's phase name.
  void report(const char* call) {
    if (!on_ || (marks_.size() < 2 && hostMarks_.size() < 2)) return;
    std::map<std::string, double> ms;
    for (size_t k = 1; k < marks_.size(); ++k) {
      float x = 0;
      cudaEventElapsedTime(&x, marks_[k - 1].first, marks_[k].first);
      ms[marks_[k].second] += x;
    }
    std::string line = std::string("v1lm cuda ") + call + ":";
    for (auto& [k, v] : ms) line += " " + k + " " + std::to_string(v) + " ms;";
    if (hostMarks_.size() > 1) {
      line += " | host:";
      for (size_t k = 1; k < hostMarks_.size(); ++k)
        line += " " + hostMarks_[k].second + " " + std::to_string(std::chrono::duration<double, std::milli>(hostMarks_[k].first - hostMarks_[k - 1].first).count()) + " ms;";
    }
    fprintf(stderr, "%s\n", line.c_str());
    for (auto& m : marks_) cudaEventDestroy(m.first);
    marks_.clear();
  }

 private:
  bool on_, deviceMarks_;
  std::vector<std::pair<cudaEvent_t, std::string>> marks_;
  std::vector<std::pair<std::chrono::steady_clock::time_point, std::string>> hostMarks_;
};

// Step graphs (docs/perf-notes.md v5): the launches of a segment of steps (forward and backward) are captured
// into a CUDA graph and replayed (W1 backward −1 ms on the H100: ≈ 20 µs kernels back to back, shorter launch
// gaps).
// Each segment keeps its instantiated graph and the bytes of everything its launches read from the host
// (kernel arguments, grids); equal bytes replay the graph as it is, others recapture and update it in place
// (cudaGraphExecUpdate), so the host capture of segment k + 1 overlaps the device running segment k.
// Off with V1LM_CUDA_GRAPHS=0 and under V1LM_CUDA_PROFILE=1 (its per-kernel event marks need a plain stream).
class StepGraphs {
 public:
  static bool enabled() { return !profileDeviceMarks() && !switchedOff("V1LM_CUDA_GRAPHS"); }
  ~StepGraphs() { clear(); }
  void clear() {
    for (auto& s : segments_)
      if (s.exec) cudaGraphExecDestroy(s.exec);
    segments_.clear();
  }
  // Runs segment k: launch(stream) issues its kernels; key holds the bytes that determine them.
  template <typename Launch>
  void run(size_t k, const std::vector<uint8_t>& key, cudaStream_t stream, Launch&& launch) {
    if (segments_.size() <= k) segments_.resize(k + 1);
    Segment& seg = segments_[k];
    if (!seg.exec || seg.key != key) {
      cudaGraph_t graph = nullptr;
      check(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
      try {
        launch(stream);
      } catch (...) {
        cudaStreamEndCapture(stream, &graph);
        if (graph) cudaGraphDestroy(graph);
        cudaGetLastError();
        throw;
      }
      check(cudaStreamEndCapture(stream, &graph), "cudaStreamEndCapture");
      keepWindow(stream, graph);
      bool updated = false;
      if (seg.exec) {
        cudaGraphExecUpdateResultInfo info{};
        updated = cudaGraphExecUpdate(seg.exec, graph, &info) == cudaSuccess;
        if (!updated) {
          cudaGetLastError();
          cudaGraphExecDestroy(seg.exec);
          seg.exec = nullptr;
        }
      }
      cudaError_t e = updated ? cudaSuccess : cudaGraphInstantiate(&seg.exec, graph, 0);
      cudaGraphDestroy(graph);
      check(e, "cudaGraphInstantiate");
      seg.key = key;
    }
    check(cudaGraphLaunch(seg.exec, stream), "cudaGraphLaunch");
  }

 private:
  // The stream's L2 access policy window (the forward's input accumulators, v11), set on every kernel node
  // of the captured graph so that its replays keep it.
  static void keepWindow(cudaStream_t stream, cudaGraph_t graph) {
    cudaStreamAttrValue window{};
    if (cudaStreamGetAttribute(stream, cudaStreamAttributeAccessPolicyWindow, &window) == cudaSuccess && window.accessPolicyWindow.num_bytes > 0) {
      size_t count = 0;
      if (cudaGraphGetNodes(graph, nullptr, &count) == cudaSuccess) {
        std::vector<cudaGraphNode_t> nodes(count);
        cudaLaunchAttributeValue value{};
        value.accessPolicyWindow = window.accessPolicyWindow;
        cudaGraphNodeType type;
        if (cudaGraphGetNodes(graph, nodes.data(), &count) == cudaSuccess)
          for (cudaGraphNode_t node : nodes)
            if (cudaGraphNodeGetType(node, &type) == cudaSuccess && type == cudaGraphNodeTypeKernel)
              cudaGraphKernelNodeSetAttribute(node, cudaLaunchAttributeAccessPolicyWindow, &value);
      }
    }
    cudaGetLastError();  // a refused hint changes speed, not results
  }
  struct Segment {
    cudaGraphExec_t exec = nullptr;
    std::vector<uint8_t> key;
  };
  std::vector<Segment> segments_;
};

// Pinned host memory kept and grown from call to call.
class PinnedBuffer {
 public:
  ~PinnedBuffer() { release(); }
  void release() {
    if (data_) cudaFreeHost(data_);
    data_ = nullptr;
    capacity_ = 0;
  }
  uint8_t* ensure(size_t bytes, const char* what) {
    if (bytes <= capacity_) return data_;
    release();
    if (cudaHostAlloc(reinterpret_cast<void**>(&data_), bytes, cudaHostAllocDefault) != cudaSuccess) {
      cudaGetLastError();
      data_ = nullptr;
      throw Error("E_OUT_OF_MEMORY", "host", "cannot allocate " + std::to_string(bytes) + " bytes of pinned host memory for " + what);
    }
    capacity_ = bytes;
    return data_;
  }

 private:
  uint8_t* data_ = nullptr;
  size_t capacity_ = 0;
};

// Threads kept for the forward's helpers (the LGN stagers, the raster copier, the downloads' copies): starting five
// threads per call took ≈ 0.1 ms of every W1 forward (H200, docs/perf-notes.md v27). Each task gets a thread of its
// own, an idle one or a new one, since the helpers wait on the launching thread's progress and must never queue
// behind one another.
class HelperThreads {
 public:
  HelperThreads() = default;
  HelperThreads(const HelperThreads&) = delete;
  HelperThreads& operator=(const HelperThreads&) = delete;
  ~HelperThreads() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  // The future is ready once the task has ended (its exception, if any, inside).
  std::future<void> run(std::function<void()> task) {
    std::packaged_task<void()> job(std::move(task));
    std::future<void> ended = job.get_future();
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_ == 0) threads_.emplace_back([this] { serve(); }), ++idle_;
    --idle_;
    jobs_.push_back(std::move(job));
    wake_.notify_one();
    return ended;
  }

 private:
  void serve() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopped
      std::packaged_task<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
      ++idle_;
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<void()>> jobs_;
  std::vector<std::thread> threads_;
  int idle_ = 0;
  bool stop_ = false;
};

// Device → host copies of a call's results: queued into one pinned buffer (kept and grown from call to
// call), then, after the stream's sync, copied into the result vectors by up to 8 host threads.
class PinnedDownloads {
 public:
  struct Item {
    const void* device;
    void* host;
    size_t bytes;
  };
  ~PinnedDownloads() { release(); }
  void release() {
    if (buffer_) cudaFreeHost(buffer_);
    buffer_ = nullptr;
    capacity_ = 0;
  }
  void start(const std::vector<Item>& items, cudaStream_t s) {
    size_t total = 0;
    for (const Item& it : items) total += align(it.bytes);
    if (total > capacity_) {
      release();
      if (cudaHostAlloc(&buffer_, total, cudaHostAllocDefault) != cudaSuccess) {
        cudaGetLastError();
        buffer_ = nullptr;
        throw Error("E_OUT_OF_MEMORY", "host", "cannot allocate " + std::to_string(total) + " bytes of pinned host memory for the results");
      }
      capacity_ = total;
    }
    size_t at = 0;
    for (const Item& it : items) {
      check(cudaMemcpyAsync(static_cast<uint8_t*>(buffer_) + at, it.device, it.bytes, cudaMemcpyDeviceToHost, s), "download");
      at += align(it.bytes);
    }
  }
  // After the stream's sync: pieces of ≤ 2 MB taken in turn by the launching thread and helpers, one thread per
  // 4 MB up to 8 (W2's 47 MB took 2.9 ms on 2 threads, F's 72 MB 5.5 ms on 3; H200 host, docs/perf-notes.md v33).
  void finish(const std::vector<Item>& items, HelperThreads& helpers) const {
    struct Piece {
      const uint8_t* from;
      uint8_t* to;
      size_t bytes;
    };
    std::vector<Piece> pieces;
    size_t at = 0, total = 0;
    for (const Item& it : items) {
      for (size_t o = 0; o < it.bytes; o += kPiece)
        pieces.push_back({static_cast<const uint8_t*>(buffer_) + at + o, static_cast<uint8_t*>(it.host) + o, std::min(kPiece, it.bytes - o)});
      at += align(it.bytes);
      total += it.bytes;
    }
    std::atomic<size_t> next{0};
    auto work = [&pieces, &next] {
      for (size_t p; (p = next.fetch_add(1, std::memory_order_relaxed)) < pieces.size();) std::memcpy(pieces[p].to, pieces[p].from, pieces[p].bytes);
    };
    const int nThreads = static_cast<int>(std::min<size_t>(kCopyThreads, 1 + total / (2 * kPiece)));
    std::vector<std::future<void>> copies;
    for (int k = 1; k < nThreads; ++k) copies.push_back(helpers.run(work));
    work();
    for (auto& c : copies) c.get();
  }

 private:
  static constexpr size_t kPiece = size_t{2} << 20;
  static constexpr int kCopyThreads = 8;
  static size_t align(size_t bytes) { return (bytes + 255) / 256 * 256; }
  void* buffer_ = nullptr;
  size_t capacity_ = 0;
};

// Appends the object representation of each argument to a segment key (StepGraphs).
template <typename... Args>
std::vector<uint8_t> graphKey(const Args&... args) {
  std::vector<uint8_t> key;
  auto put = [&key](const auto& x) {
    const auto* p = reinterpret_cast<const uint8_t*>(&x);
    key.insert(key.end(), p, p + sizeof(x));
  };
  (put(args), ...);
  return key;
}

// ---- what the kernels see (passed by value) ----------------------------------------------------------

struct AreaDev {
  int n, R, words, gridOffset;  // gridOffset: first CUDA block of this area in the flattened neuron grid
  const NeuronConsts* typeConsts;
  const int32_t* typeIndex;
  const SynapseConsts* slotConsts;
  float *v, *r, *asc, *rise, *psc;  // state (SPEC §2.3)
  float* I;  // input accumulator of kPush: (b, i·R + k) at I[b·NetDev::inputStride + i·R + k] (zeroed by kNeuron after use)
  uint8_t* z;                       // B·(T + D)·n spike tape, time t at index t + D
  uint8_t* refr;                    // B·T·n (keepTape)
  float* vtape;                     // B·T·n (keepTape or recorded voltages)
  uint32_t* raster;                 // B·T·words
  float* counts;                    // B·bins·n
  double* vreg;                     // B·words: Σ_t Σ_warp (v − 1)² per warp of 32 neurons (lane 0 owns it)
  int32_t* spikeList;               // (D + 3)·B·n ring of per-step lists of b·n + i (slotOfStep)
  int32_t* spikeCount;              // D + 3
  // Fused steps: beside entry k of a list, the synapses [x, y) of the spike's delay-1 row in each delayed block it
  // feeds, at spikeRows1[k · nOut + BlockDev::outIndex] (kStep's neuron half stores them, its next step's push
  // reads them with the entry); else null.
  int2* spikeRows1;
  // Fused steps: beside entry k of a list, t + D for the step t whose list holds it (−1 where none since the call's
  // start), so that the push of delay 1 reads the entries without their count.
  int32_t* spikeTag;
  int nOut;                    // the delayed blocks this area feeds,
  int outBlock[kMaxAreas];     // in block order (the first kMaxAreas)
  // Deterministic gather: incoming synapses of each post row, in (block, synapse) order.
  const int64_t* inStart;  // n·R + 1
  const int32_t* inSyn;
  const int32_t* inRow;
  const uint8_t* inBlock;
  // Backward.
  float *lv, *lasc, *lpsc, *lrise, *lcarry;  // λ after the last step done; lcarry: dL/dz of the next step from reset / ASC
  // dI: [post row][pass step j][batch] (dIRowSteps(G) steps per row), dL/dI of step hi − 2 − j, float or
  // __nv_bfloat16 (adjointPrecision);
  // pending: (D + 2)·B·n ring.
  void* dI;
  float* pending;
  // T·words bits: bit i % 32 of word (t, i / 32) is set when some batch element's ∂z/∂v at step t is not zero
  // (kLiveSteps). kNeuronAdj reads the pending dL/dz of (t, i) only multiplied by it, so the pull skips rows
  // that would add to no step whose bit is set (in the built networks a quarter of the synapses of a pass:
  // neurons held below rest, v ≤ 0 where the triangle surrogate is zero, or refractory).
  uint32_t* live;
  // The fast pull's rows (pullByPieces): every delayed block reading this area, row by row ((d, pre) rows of
  // n·D, blocks in block order within a row), each synapse packed as (dI element offset of its post row in
  // NetDev::dIAll, weight bits): one 8-byte load per synapse and no per-block pointers. Only the rows that
  // have synapses are kPull's items (43 % of the built networks' (d, pre) rows have none: a pre's edge types
  // give it one or two delays): pullRow[k] = (d − 1)·n + pre of the area's item k, whose synapses are
  // pullSyn[pullRowStart[k], pullRowStart[k + 1]); for batches of 1–2 an item is a chunk of ≤ kPullChunk
  // synapses of its row.
  const int32_t* pullRow;       // items, or null (deterministic mode: every (d, pre) row is an item)
  const int64_t* pullRowStart;  // items + 1
  const int2* pullSyn;
  // Fast mode, batches of 1–32: the weight gradients of the pull rows' synapses in pullSyn order,
  // added in the pull's own walk (pieces and lane-group rows) and copied to the blocks' gradients after the passes (kPullGradients); or null.
  float* pullGrad;
  const float* adjCounts;                          // B·bins·n or null
  const float* adjTraces;                          // B·K·T or null
  const int32_t* invStart;                         // n + 1: trace subsets of each neuron
  const int32_t* invK;
  int K;
  float vregCoef;
  const float* bkgGiven;  // B·T·nBkg or null (drawn)
  // Fast-mode forward: BKG rows gathered per neuron in kNeuron instead of pushed (docs/perf-notes.md v6).
  // (weight, k·4 + slot) of each incoming BKG synapse, bkgWidth per neuron in (k, synapse) order, padded with
  // (0, 0) to the largest in-degree: no list bound to load first (null when the BKG block is inactive or in
  // deterministic mode).
  const float2* bkgIn;
  int bkgWidth;
  float* bkgStep;             // B·nBkg: counts of step t, written by kPush
};

struct BlockDev {
  int kind, target, source, nPre, nRows;
  int outIndex;  // delayed blocks: its index among its source's (AreaDev::outBlock), or −1
  bool active, trainable;
  const int64_t* rowStart;
  const int32_t* postRow;
  const float* weight;
  float* grad;
};

struct NetDev {
  int nAreas, nBlocks, B, T, D;
  int inputStride;  // floats of one batch element's slab of every area's input accumulators (AreaDev::I)
  int dIStride;  // batch stride of dI, B padded to 1, 2, 4 or a multiple of 8 (aligned vector loads)
  int passSteps;  // backward steps per pass (G, temporal blocking): dI holds dIRowSteps(G) steps per post row
  const void* dIAll;  // the dI of every area in one allocation (AreaDev::dI points into it)
  int pullItemStart[kMaxAreas + 1];  // kPull's items of each area: its non-empty pull rows (AreaDev::pullRow), or its D·n rows
  AreaDev area[kMaxAreas];
  BlockDev block[kMaxBlocks];
  int lgnBlock, nInputs, nBkg;
  const int32_t* lgnUnitOfSynapse;  // batches of 1–2: the LGN block's row (unit) of each of its lgnSynapses synapses
  int64_t lgnSynapses;
  int bkgBlock[kMaxAreas];
  int lgnKind;
  const float* lgnProbability;
  const uint8_t* lgnSpikes;
  uint64_t seed;
  const uint32_t* trial;  // the call's trial number (Philox key of the inputs), in device memory so that the
                          // step graphs replay from call to call
  float lrScale, rho;
  bool hardReset, deterministic;
  SurrogateParams surrogate;
  int binStart, binSize, binCount;
  // Fused steps (kStep) and the split push: the input of odd steps sits this many floats after that of even steps; else 0.
  int64_t oddStepInputs;
};
static_assert(sizeof(NetDev) < 4000, "kernel parameter block must stay under 4 KB");

int dIStride(int B) { return B <= 2 ? B : B <= 4 ? 4 : (B + 7) / 8 * 8; }
// Steps per post row of dI for G steps per pass: G = 3 padded to 4, so that a row is a power of two of
// dIStride-runs and never straddles a 128-byte line (W2: 96 → 128 B in float32, 48 → 64 B in bfloat16).
__host__ __device__ constexpr int dIRowSteps(int G) { return G == 3 ? 4 : G; }

// The spike lists of steps t − D − 2 .. t. kPush(t) clears the count of t (the slot of t − D − 3) as it starts, kStep(t)
// that of t + 1 (the slot of t − D − 2, last read by kStep(t − 2)): with overlapped launches the kernel before may still
// run, and reads the lists of the D steps before its own.
__device__ __forceinline__ int slotOfStep(int t, int D) { return (t + D) % (D + 3); }
// Backward: pending dL/dz_t lives in slot t mod (D + 2); steps [lo − 2 − D, lo − 1] are live while steps ≥ lo are done.
__device__ __forceinline__ float* pendingOfStep(const AreaDev& A, int t, int B, int D) { return A.pending + static_cast<size_t>(t % (D + 2)) * B * A.n; }
// Where step t's input accumulators start in every area's I: the fused steps and the split push keep two, those of odd
// steps NetDev::oddStepInputs floats after those of even ones (else 0).
__device__ __forceinline__ int64_t inputsAtStep(const NetDev& net, int t) { return (t & 1) * net.oddStepInputs; }
// Area A's input accumulators of step t and batch element b.
__device__ __forceinline__ float* inputsOfStep(const NetDev& net, const AreaDev& A, int t, int b) {
  return A.I + inputsAtStep(net, t) + static_cast<size_t>(b) * net.inputStride;
}

// Programmatic dependent launch (sm_90; batches of 1–2, docs/perf-notes.md v21): a kernel launched overlapping
// (launchKernel) starts while the kernel before it in the stream still runs, and does what needs nothing of
// that kernel (its loads of static data, its entry table) before waitForPreviousKernel, which returns once that
// kernel has ended and its writes are visible. Every such kernel releases its successor only after its own
// wait (kStep: its neuron blocks; its push blocks release as they start), so a kernel starts only once the kernel two
// before it has ended: what it reads before its wait may come from that one (through L2, loadVia<true>: the L1 of
// another SM may hold the line from before), never from the kernel just before it. Without the launch attribute both
// instructions do nothing.
__device__ __forceinline__ void waitForPreviousKernel() { asm volatile("griddepcontrol.wait;" ::: "memory"); }
__device__ __forceinline__ void releaseNextKernel() { asm volatile("griddepcontrol.launch_dependents;" ::: "memory"); }
template <bool ThroughL2, class T>
__device__ __forceinline__ T loadVia(const T* p) {
  if constexpr (ThroughL2) return __ldcg(p);
  else return *p;
}

__device__ __forceinline__ float lgnInput(const NetDev& net, int b, int t, int u) {
  const size_t idx = (static_cast<size_t>(b) * net.T + t) * net.nInputs + u;
  switch (net.lgnKind) {
    case static_cast<int>(LgnInputKind::Probability):
      return lgnSpikeDraw(net.seed, *net.trial, t, u, b, net.lgnProbability[idx]);
    case static_cast<int>(LgnInputKind::Spikes): return net.lgnSpikes[idx] ? 1.0f : 0.0f;
    case static_cast<int>(LgnInputKind::Current): return kCurrentInputGain * net.lgnProbability[idx];
    default: return 0.0f;
  }
}

__device__ __forceinline__ float bkgCount(const NetDev& net, int a, int b, int t, int k) {
  const float* given = net.area[a].bkgGiven;
  if (given) return given[(static_cast<size_t>(b) * net.T + t) * net.nBkg + k];
  return bkgCountDraw(net.seed, *net.trial, t, a, k, net.nBkg, b);
}

__device__ __forceinline__ int areaOfGridBlock(const NetDev& net, int x) {
  int a = 0;
  while (a + 1 < net.nAreas && x >= net.area[a + 1].gridOffset) ++a;
  return a;
}

// ---- forward ------------------------------------------------------------------------------------------

// Spike lists of the initial buffer (times −D..−1) from the z tape.
__global__ void kInitLists(const __grid_constant__ NetDev net, int a) {
  const AreaDev& A = net.area[a];
  const size_t total = static_cast<size_t>(net.B) * net.D * A.n;
  for (size_t k = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; k < total; k += static_cast<size_t>(gridDim.x) * blockDim.x) {
    const int i = static_cast<int>(k % A.n);
    const int tt = static_cast<int>((k / A.n) % net.D);
    const int b = static_cast<int>(k / (static_cast<size_t>(A.n) * net.D));
    if (!A.z[(static_cast<size_t>(b) * (net.T + net.D) + tt) * A.n + i]) continue;
    const int slot = slotOfStep(tt - net.D, net.D);
    const int pos = atomicAdd(&A.spikeCount[slot], 1);
    const size_t at = static_cast<size_t>(slot) * net.B * A.n + pos;
    A.spikeList[at] = b * A.n + i;
    if (A.spikeTag) A.spikeTag[at] = tt;
    if (A.spikeRows1)
      for (int o = 0; o < A.nOut; ++o) {
        const int64_t* rowStart = net.block[A.outBlock[o]].rowStart;  // its delay-1 row is row i
        A.spikeRows1[at * A.nOut + o] = make_int2(static_cast<int>(rowStart[i]), static_cast<int>(rowStart[i + 1]));
      }
  }
}

// A lane's N synapses s, s + 32, …, s + 32 (N − 1) of a row ending at r1: loaded together, then added.
template <int N>
struct SynapsesInFlight {
  int post[N];
  float w[N];
  __device__ __forceinline__ void load(const int32_t* postRow, const float* weight, int64_t s, int64_t r1) {
#pragma unroll
    for (int q = 0; q < N; ++q) {
      const bool in = s + q * 32 < r1;
      post[q] = in ? postRow[s + q * 32] : -1, w[q] = in ? weight[s + q * 32] : 0.0f;
    }
  }
  __device__ __forceinline__ void add(float* I, float scale) const {
#pragma unroll
    for (int q = 0; q < N; ++q)
      if (post[q] >= 0) atomicAdd(&I[post[q]], w[q] * scale);
  }
};

// The warp adds scale · weight into I[post] for the synapses [r0, r1) of blk, N per lane loaded before their
// atomics. (kPush<1>'s spike rows keep their one-at-a-time loop: this walk at N = 1 cost F 7 %, v17.)
template <int N>
__device__ __forceinline__ void pushSynapsesInFlight(float* I, const int32_t* postRow, const float* weight, int64_t r0, int64_t r1, int lane, float scale) {
  for (int64_t s = r0 + lane; s < r1; s += 32 * N) {
    SynapsesInFlight<N> syn;
    syn.load(postRow, weight, s, r1);
    syn.add(I, scale);
  }
}
template <int N>
__device__ __forceinline__ void pushRowInFlight(float* I, const BlockDev& blk, int64_t r0, int64_t r1, int lane, float scale) {
  pushSynapsesInFlight<N>(I, blk.postRow, blk.weight, r0, r1, lane, scale);
}

// The rows of the active LGN units among units first .. first + 31 (x: lane l's unit's input of the step) into I.
__device__ __forceinline__ void pushLgnUnits(const BlockDev& blk, float* I, float x, int first, int lane) {
  unsigned active = __ballot_sync(kFullMask, x != 0.0f);
  while (active) {
    const int j = __ffs(active) - 1;
    active &= active - 1;
    const float xj = __shfl_sync(kFullMask, x, j);
    const int uj = first + j;
    // One row per warp instruction: neighbouring units share targets, and one instruction's atomics on one
    // address serialize (rows mixed in one instruction: F +11 %, v12). The bounds in registers: in the loop
    // condition they were loaded again after every atomic (F −2.5 %, v12).
    pushRowInFlight<kLgnInFlight>(I, blk, blk.rowStart[uj], blk.rowStart[uj + 1], lane, xj);
  }
}

// SPEC §3.5: adds the BKG rows of neuron i (AreaDev::bkgIn) with the step's counts to input[slot].
template <int N>
__device__ __forceinline__ void addBkgRows(const AreaDev& A, int i, const float* count, float (&input)[N]) {
  const float2* in = A.bkgIn + static_cast<size_t>(i) * A.bkgWidth;
#pragma unroll 4
  for (int q = 0; q < A.bkgWidth; ++q) {
    const float2 e = in[q];
    const int tag = __float_as_int(e.y);
    const float x = count[tag >> 2];
    if (x != 0.0f) input[tag & 3] += e.x * x;
  }
}

// The spike rows of delays dFirst..dLast (steps t − dLast .. t − dFirst; recurrent and inter-area blocks) into the input
// accumulators at I + inputAt, by push block `pushBlock` of `pushBlocks`. With InFlight > 1 the kernel overlaps the one
// before it, which wrote the lists of step t − 1.
template <int InFlight>
__device__ __forceinline__ void pushSpikeRows(const NetDev& net, int t, int pushBlock, int pushBlocks, int64_t inputAt, int dFirst, int dLast) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  __shared__ int entryEnd[kMaxPushEntries];
  __shared__ short entryBlock[kMaxPushEntries], entryDelay[kMaxPushEntries];
  __shared__ int nEntries;
  if (threadIdx.x == 0) {
    int e = 0;
    for (int bk = 0; bk < net.nBlocks; ++bk) {
      const BlockDev& blk = net.block[bk];
      if (!blk.active || blk.kind > static_cast<int>(BlockKind::Interarea)) continue;
      for (int d = dFirst; d <= dLast && e < kMaxPushEntries; ++d, ++e) entryBlock[e] = static_cast<short>(bk), entryDelay[e] = static_cast<short>(d);
    }
    nEntries = e;
  }
  __syncthreads();
  if constexpr (InFlight > 1) waitForPreviousKernel(), releaseNextKernel();  // the lists of kNeuron(t − 1)
  for (int e = threadIdx.x; e < nEntries; e += blockDim.x)  // the counts load in parallel
    entryEnd[e] = net.area[net.block[entryBlock[e]].source].spikeCount[slotOfStep(t - entryDelay[e], net.D)];
  __syncthreads();
  if (threadIdx.x == 0)
    for (int e = 1; e < nEntries; ++e) entryEnd[e] += entryEnd[e - 1];
  __syncthreads();
  if (nEntries == 0) return;
  const int total = entryEnd[nEntries - 1];
  // Batches of 1–2 (InFlight > 1): items dealt block by block, so that the consecutive spikes of a list (W1: a
  // group of neurons that fire every step, hundreds of synapses each) are pushed by different SMs, not by the
  // warps of one (W1 forward −0.3 to −1 ms, H100, docs/perf-notes.md v20). Larger batches keep a block's warps
  // on consecutive turns (dealt: F +1 to +3.5 %), each turn's item scrambled (kPushItemScramble).
  const int first = InFlight > 1 ? warp * pushBlocks + pushBlock : pushBlock * kWarpsPerBlock + warp;
  for (int taken = first; taken < total; taken += pushBlocks * kWarpsPerBlock) {
    const int item = InFlight > 1 || total >= kPushItemScramble ? taken : static_cast<int>(static_cast<int64_t>(taken) * kPushItemScramble % total);
    int lo = 0, hi = nEntries - 1;  // first entry with entryEnd > item
    while (lo < hi) {
      const int mid = (lo + hi) >> 1;
      if (entryEnd[mid] > item) hi = mid;
      else lo = mid + 1;
    }
    const BlockDev& blk = net.block[entryBlock[lo]];
    const int d = entryDelay[lo];
    const AreaDev& src = net.area[blk.source];
    const AreaDev& dst = net.area[blk.target];
    const int k = item - (lo ? entryEnd[lo - 1] : 0);
    const int e = src.spikeList[static_cast<size_t>(slotOfStep(t - d, net.D)) * net.B * src.n + k];
    const int b = e / src.n, pre = e % src.n;
    const int row = (d - 1) * blk.nPre + pre;
    float* I = dst.I + inputAt + static_cast<size_t>(b) * net.inputStride;
    if constexpr (InFlight == 1) {
      for (int64_t s = blk.rowStart[row] + lane; s < blk.rowStart[row + 1]; s += 32) atomicAdd(&I[blk.postRow[s]], blk.weight[s]);
    } else {
      pushRowInFlight<InFlight>(I, blk, blk.rowStart[row], blk.rowStart[row + 1], lane, 1.0f);
    }
  }
}

// The rows that the lanes of a warp hold (lane j of `held`: block bk, batch element b, synapses [r0, r1)) into the
// input accumulators at I + inputAt, one row after another by the whole warp.
__device__ __forceinline__ void pushHeldRows(const NetDev& net, unsigned held, int bk, int b, int64_t r0, int64_t r1, int64_t inputAt, int lane) {
  while (held) {
    const int j = __ffs(held) - 1;
    held &= held - 1;
    const BlockDev& blk = net.block[__shfl_sync(kFullMask, bk, j)];
    float* I = net.area[blk.target].I + inputAt + static_cast<size_t>(__shfl_sync(kFullMask, b, j)) * net.inputStride;
    pushRowInFlight<kStepRowInFlight>(I, blk, __shfl_sync(kFullMask, r0, j), __shfl_sync(kFullMask, r1, j), lane, 1.0f);
  }
}

// kStep's push (fused steps): the spike rows of steps t − D .. t − 1 into the input accumulators at I + inputAt, by
// push block `pushBlock` of `pushBlocks`; the first half of the blocks push the rows of delay 1, the rest those of
// delays ≥ 2, and all release the next kernel as they start (kStep(t + 1) still starts only after kStep(t)'s neuron
// blocks waited on kStep(t − 1)). Delays ≥ 2: their lists are those of steps ≤ t − 2, whose kernel had ended before
// this one started, so their counts, entries (past L1) and rows' bounds, one item per lane, and the first synapses
// of the warp's first row load before the wait; after it only that row's atomics and the other rows remain.
// Delay 1: after the wait the lane's list entry, its tag (AreaDev::spikeTag) and its row's bounds
// (AreaDev::spikeRows1) load at once, then the synapses: no count, no prefix. Items dealt block by block, so that
// the consecutive spikes of a list (W1: a group of neurons that fire every step, hundreds of synapses each) go to
// different SMs (v20).
__device__ __forceinline__ void pushSpikeRowsFused(const NetDev& net, int t, int pushBlock, int pushBlocks, int64_t inputAt) {
  releaseNextKernel();
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int delay1Blocks = (pushBlocks + 1) / 2;
  const bool delay1 = pushBlock < delay1Blocks;
  __shared__ int entryEnd[kMaxPushEntries];
  __shared__ short entryBlock[kMaxPushEntries], entryDelay[kMaxPushEntries];
  __shared__ int nEntries;
  if (threadIdx.x == 0) {
    int e = 0;
    for (int bk = 0; bk < net.nBlocks; ++bk) {
      const BlockDev& blk = net.block[bk];
      if (!blk.active || blk.kind > static_cast<int>(BlockKind::Interarea)) continue;
      for (int d = delay1 ? 1 : 2; d <= (delay1 ? 1 : net.D) && e < kMaxPushEntries; ++d, ++e) entryBlock[e] = static_cast<short>(bk), entryDelay[e] = static_cast<short>(d);
    }
    nEntries = e;
  }
  __syncthreads();
  const int E = nEntries;
  if (E == 0) return;
  if (delay1) {
    // perEntry warps per entry (block of delay 1); lane l of warp w takes spikes w % perEntry + (32 · round + l) · perEntry,
    // those whose tag is step t − 1's (the list's first count entries: no load of the count, which every warp would
    // have read from one address).
    const int warps = delay1Blocks * kWarpsPerBlock, w = warp * delay1Blocks + pushBlock;
    const int perEntry = max(1, warps / E);
    for (int e = w / perEntry; e < E; e += max(1, warps / perEntry)) {
      // The entry's pointers and sizes from the kernel's parameters, before the wait: their constant cache is cold at
      // every launch, and after the wait each load through it was a round trip on the critical path.
      const BlockDev& blk = net.block[entryBlock[e]];
      const AreaDev& src = net.area[blk.source];
      const int n = src.n, capacity = net.B * n, tag = t - 1 + net.D, stride = net.inputStride;
      const size_t list = static_cast<size_t>(slotOfStep(t - 1, net.D)) * capacity;
      const int32_t *tags = src.spikeTag + list, *entries = src.spikeList + list, *postRow = blk.postRow;
      const int2* rowsOf = src.spikeRows1 + list * src.nOut + blk.outIndex;
      const float* weight = blk.weight;
      float* I = net.area[blk.target].I + inputAt;
      const int nOut = src.nOut;
      asm volatile("" ::"l"(tags), "l"(entries), "l"(postRow), "l"(rowsOf), "l"(weight), "l"(I), "r"(n), "r"(nOut), "r"(stride));
      waitForPreviousKernel();  // the lists of kStep(t − 1)
      for (int k0 = w % perEntry; k0 < capacity; k0 += 32 * perEntry) {
        const int k = k0 + lane * perEntry;
        const bool inList = k < capacity;
        const int entryTag = inList ? tags[k] : -1;
        const int entry = inList ? entries[k] : 0;
        const int2 rows = inList ? rowsOf[static_cast<size_t>(k) * nOut] : make_int2(0, 0);
        unsigned held = __ballot_sync(kFullMask, entryTag == tag);
        const bool more = held >> 31;  // else the list ends in this round
        while (held) {
          const int j = __ffs(held) - 1;
          held &= held - 1;
          pushSynapsesInFlight<kStepRowInFlight>(I + static_cast<size_t>(__shfl_sync(kFullMask, entry, j) / n) * stride, postRow, weight,
                                                 __shfl_sync(kFullMask, rows.x, j), __shfl_sync(kFullMask, rows.y, j), lane, 1.0f);
        }
        if (!more) break;
      }
    }
    return;
  }
  for (int e = threadIdx.x; e < E; e += blockDim.x)  // the counts load in parallel
    entryEnd[e] = loadVia<true>(&net.area[net.block[entryBlock[e]].source].spikeCount[slotOfStep(t - entryDelay[e], net.D)]);
  __syncthreads();
  if (threadIdx.x == 0)
    for (int e = 1; e < E; ++e) entryEnd[e] += entryEnd[e - 1];
  __syncthreads();
  const int total = entryEnd[E - 1];
  const int blocks = pushBlocks - delay1Blocks, warps = blocks * kWarpsPerBlock, w = warp * blocks + pushBlock - delay1Blocks;
  bool waited = false;
  for (int base = w; base < total; base += 32 * warps) {
    const int item = base + lane * warps;
    int bk = 0, b = 0;
    int64_t r0 = 0, r1 = 0;
    if (item < total) {
      int lo = 0, hi = E - 1;  // first entry with entryEnd > item
      while (lo < hi) {
        const int mid = (lo + hi) >> 1;
        if (entryEnd[mid] > item) hi = mid;
        else lo = mid + 1;
      }
      bk = entryBlock[lo];
      const BlockDev& blk = net.block[bk];
      const int d = entryDelay[lo];
      const AreaDev& src = net.area[blk.source];
      const int entry = loadVia<true>(&src.spikeList[static_cast<size_t>(slotOfStep(t - d, net.D)) * net.B * src.n + item - (lo ? entryEnd[lo - 1] : 0)]);
      b = entry / src.n;
      const int row = (d - 1) * blk.nPre + entry % src.n;
      r0 = blk.rowStart[row], r1 = blk.rowStart[row + 1];
    }
    unsigned held = __ballot_sync(kFullMask, item < total);
    if (!waited) {  // the first row's first 32 · 4 synapses before the wait
      const int j = __ffs(held) - 1;
      held &= held - 1;
      const BlockDev& blk = net.block[__shfl_sync(kFullMask, bk, j)];
      float* I = net.area[blk.target].I + inputAt + static_cast<size_t>(__shfl_sync(kFullMask, b, j)) * net.inputStride;
      const int64_t s0 = __shfl_sync(kFullMask, r0, j) + lane, s1 = __shfl_sync(kFullMask, r1, j);
      SynapsesInFlight<4> first;
      first.load(blk.postRow, blk.weight, s0, s1);
      waitForPreviousKernel();  // the accumulators: kStep(t − 1) read and cleared them
      waited = true;
      first.add(I, 1.0f);
      pushRowInFlight<kStepRowInFlight>(I, blk, s0 - lane + 128, s1, lane, 1.0f);
    }
    pushHeldRows(net, held, bk, b, r0, r1, inputAt, lane);
  }
}

// SPEC §3.5 without lr_scale (applied in kNeuron): event-driven push of recurrent and inter-area rows
// (blocks [0, pushBlocks)), LGN rows ([pushBlocks, pushBlocks + lgnBlocks)); the rest draws the BKG counts
// of the step, whose rows kNeuron gathers (4 synapses per neuron instead of ≈ 1 M atomics per step).
// InFlight: synapses per lane of a recurrent / inter-area row loaded before their atomics — 4 for batches of
// 1–2, where a step's few rows are its critical path; 1 otherwise, where the atomics' rate is the limit and
// 4 cost 8 registers (v14: W1's push −7 %, W2's and F's +3 %).
// part (the split push of batches ≥ 3, CudaBackend::splitPush_): kPushWhole does all of the above; kPushLater the rows
// of delays ≥ 2 and the LGN rows, which need nothing of kNeuron(t − 1) and run beside it on a second stream;
// kPushDelay1 the rows of delay 1, the BKG counts and the count reset, after kNeuron(t − 1). The input accumulators
// of step t are at inputsAtStep(t).
constexpr int kPushWhole = 0, kPushDelay1 = 1, kPushLater = 2;
template <int InFlight>
__global__ void __launch_bounds__(kThreads) kPush(const __grid_constant__ NetDev net, int t, int pushBlocks, int lgnBlocks, int part) {
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int64_t inputAt = inputsAtStep(net, t);
  if (part != kPushLater && blockIdx.x == 0 && threadIdx.x < net.nAreas) net.area[threadIdx.x].spikeCount[slotOfStep(t, net.D)] = 0;
  if (static_cast<int>(blockIdx.x) < pushBlocks) {
    pushSpikeRows<InFlight>(net, t, blockIdx.x, pushBlocks, inputAt, part == kPushLater ? 2 : 1, part == kPushDelay1 ? 1 : net.D);
    return;
  }
  if constexpr (InFlight > 1) waitForPreviousKernel(), releaseNextKernel();  // I and the BKG counts, read by kNeuron(t − 1)
  if (static_cast<int>(blockIdx.x) < pushBlocks + lgnBlocks) {
    const BlockDev& blk = net.block[net.lgnBlock];
    const AreaDev& dst = net.area[blk.target];
    const int chunks = (net.nInputs + 31) / 32;
    const int item = (blockIdx.x - pushBlocks) * kWarpsPerBlock + warp;
    if (item >= chunks * net.B) return;
    const int b = item / chunks, u = (item % chunks) * 32 + lane;
    const float x = u < net.nInputs ? lgnInput(net, b, t, u) : 0.0f;
    pushLgnUnits(blk, dst.I + inputAt + static_cast<size_t>(b) * net.inputStride, x, (item % chunks) * 32, lane);
    return;
  }
  if (part == kPushLater) return;
  // BKG counts of step t (SPEC §6.3), one thread per (area, batch element, source); kNeuron gathers the rows.
  const int item = (blockIdx.x - pushBlocks - lgnBlocks) * kThreads + threadIdx.x;
  if (item >= net.nAreas * net.B * net.nBkg) return;
  const int k = item % net.nBkg, b = (item / net.nBkg) % net.B, a = item / (net.nBkg * net.B);
  if (net.area[a].bkgIn) net.area[a].bkgStep[b * net.nBkg + k] = bkgCount(net, a, b, t, k);
}

// Deterministic mode: the total input of post row p at step t in the CPU's order (SPEC §3.5).
__device__ float gatherInput(const NetDev& net, int a, int b, int t, int p) {
  const AreaDev& A = net.area[a];
  float I = 0.0f;
  for (int64_t q = A.inStart[p]; q < A.inStart[p + 1]; ++q) {
    const BlockDev& blk = net.block[A.inBlock[q]];
    if (!blk.active) continue;
    const int row = A.inRow[q];
    const float w = blk.weight[A.inSyn[q]];
    if (blk.kind <= static_cast<int>(BlockKind::Interarea)) {
      const AreaDev& src = net.area[blk.source];
      const int d = row / blk.nPre + 1, pre = row % blk.nPre;
      if (src.z[(static_cast<size_t>(b) * (net.T + net.D) + t - d + net.D) * src.n + pre]) I += w;
    } else {
      const float x = blk.kind == static_cast<int>(BlockKind::Lgn) ? lgnInput(net, b, t, row) : bkgCount(net, a, b, t, row);
      if (x != 0.0f) I += w * x;
    }
  }
  return I;
}

// N consecutive floats from / to p (p + 0 aligned to N floats): float4 / float2 vector accesses.
template <int N, bool ThroughL2 = false>
__device__ __forceinline__ void loadFloats(const float* p, float* x) {
  if constexpr (N % 4 == 0) {
    for (int k = 0; k < N; k += 4) {
      const float4 q = loadVia<ThroughL2>(reinterpret_cast<const float4*>(p) + k / 4);
      x[k] = q.x, x[k + 1] = q.y, x[k + 2] = q.z, x[k + 3] = q.w;
    }
  } else if constexpr (N % 2 == 0) {
    for (int k = 0; k < N; k += 2) {
      const float2 q = loadVia<ThroughL2>(reinterpret_cast<const float2*>(p) + k / 2);
      x[k] = q.x, x[k + 1] = q.y;
    }
  } else {
    for (int k = 0; k < N; ++k) x[k] = loadVia<ThroughL2>(p + k);
  }
}
template <int N>
__device__ __forceinline__ void storeFloats(float* p, const float* x) {
  if constexpr (N % 4 == 0) {
    for (int k = 0; k < N; k += 4) reinterpret_cast<float4*>(p)[k / 4] = make_float4(x[k], x[k + 1], x[k + 2], x[k + 3]);
  } else if constexpr (N % 2 == 0) {
    for (int k = 0; k < N; k += 2) reinterpret_cast<float2*>(p)[k / 2] = make_float2(x[k], x[k + 1]);
  } else {
    for (int k = 0; k < N; ++k) p[k] = x[k];
  }
}

// The input of a step with its LGN and BKG sums computed ahead (× lr_scale): `ext` plus the recurrent sum at `acc`
// (ThroughL2: read past L1), which is cleared for its next use. kNeuron's, kStep's and kFinishRise's one formula.
template <bool ThroughL2>
__device__ __forceinline__ float inputWithSumsAhead(const NetDev& net, float ext, float* acc) {
  const float input = (ext + loadVia<ThroughL2>(acc)) * net.lrScale;
  *acc = 0.0f;
  return input;
}

// SPEC §2.4 for neuron i of batch element b with R receptor slots: every state load first (vector loads of
// the [neuron][slot] rows), then the shared formulas of glif.h, then the stores. Returns the spike z and
// (v − 1)² for the voltage regularizer. The input of step t: the CPU's gather (Deterministic), kPush's sums and
// the BKG rows (fast mode), or (Ahead) kPush's recurrent sums `acc` plus the LGN and BKG sums of the step in
// `ext`, computed ahead (kExternalBkg, kExternalLgn); that launch overlaps kPush(t) (waitForPreviousKernel before
// `acc`, the state loaded before through L2). Lagged (kStep, the fused steps): step t − 1's rise is finished here
// with its input (`acc` and `ext` of step t − 1; none at t = 0, where the state's rise is already final) before the
// psc of step t reads it, and the rise stored is that of step t − 1; the state comes from the kernel just before,
// so only the constants and `ext` load before the wait.
template <int R, bool Deterministic, bool Ahead = false, bool Lagged = false>
__device__ __forceinline__ float neuronUpdate(const NetDev& net, const AreaDev& A, int a, int b, int i, int t, double& dv2, float* acc = nullptr,
                                              const float* ext = nullptr) {
  const int n = A.n, T = net.T, D = net.D;
  const size_t bi = static_cast<size_t>(b) * n + i, p0 = bi * R;
  float input[R], rise[R], psc[R], sc[2 * R], asc[2];
  const float* slotConsts = reinterpret_cast<const float*>(A.slotConsts + static_cast<size_t>(i) * R);
  const NeuronConsts* type = A.typeConsts + A.typeIndex[i];
  NeuronConsts c;
  if constexpr (Lagged) {
    loadFloats<2 * R>(slotConsts, sc);
    c = *type;
    if (t > 0) loadFloats<R>(ext, input);
    waitForPreviousKernel(), releaseNextKernel();  // the state and acc: kStep(t − 1)
  }
  loadFloats<R, Ahead || Lagged>(A.psc + p0, psc);
  loadFloats<R, Ahead || Lagged>(A.rise + p0, rise);
  if constexpr (!Lagged) loadFloats<2 * R>(slotConsts, sc);
  loadFloats<2, Ahead || Lagged>(A.asc + 2 * bi, asc);
  float v = loadVia<Ahead || Lagged>(A.v + bi), r = loadVia<Ahead || Lagged>(A.r + bi);
  const size_t zb = static_cast<size_t>(b) * (T + D) * n;
  const float prevZ = loadVia<Ahead || Lagged>(A.z + zb + static_cast<size_t>(t - 1 + D) * n + i);
  if constexpr (!Lagged) c = *type;
  if constexpr (Lagged) {
    if (t > 0)
      for (int k = 0; k < R; ++k) riseStep(SynapseConsts{sc[2 * k], sc[2 * k + 1]}, inputWithSumsAhead<true>(net, input[k], acc + k), rise[k]);
  } else if constexpr (Deterministic) {
    for (int k = 0; k < R; ++k) input[k] = gatherInput(net, a, b, t, i * R + k) * net.lrScale;
  } else if constexpr (Ahead) {
    loadFloats<R>(ext, input);
    waitForPreviousKernel(), releaseNextKernel();  // acc: kPush(t)'s sums
    for (int k = 0; k < R; ++k) input[k] = inputWithSumsAhead<false>(net, input[k], acc + k);
  } else {
    float* I = inputsOfStep(net, A, t, b) + static_cast<size_t>(i) * R;
    loadFloats<R>(I, input);
    if (A.bkgIn) {  // SPEC §3.5: the BKG rows of this neuron, counts of step t from kPush
      addBkgRows(A, i, A.bkgStep + static_cast<size_t>(b) * net.nBkg, input);
    }
    for (int k = 0; k < R; ++k) input[k] *= net.lrScale;
    const float zero[R] = {};
    storeFloats<R>(I, zero);
  }
  float pscSum = 0.0f;
  for (int k = 0; k < R; ++k) pscSum += psc[k];  // OLD psc (SPEC §2.4 step 5)
  if constexpr (Lagged) {
    for (int k = 0; k < R; ++k) pscFromRise(SynapseConsts{sc[2 * k], sc[2 * k + 1]}, rise[k], psc[k]);
  } else {
    for (int k = 0; k < R; ++k) pscStep(SynapseConsts{sc[2 * k], sc[2 * k + 1]}, input[k], rise[k], psc[k]);
  }
  bool refractory = false;
  const float z = neuronStep(c, prevZ, pscSum, net.hardReset, v, r, asc[0], asc[1], refractory);
  storeFloats<R>(A.psc + p0, psc);
  storeFloats<R>(A.rise + p0, rise);
  storeFloats<2>(A.asc + 2 * bi, asc);
  A.v[bi] = v, A.r[bi] = r;
  A.z[zb + static_cast<size_t>(t + D) * n + i] = static_cast<uint8_t>(z);
  const size_t ti = (static_cast<size_t>(b) * T + t) * n + i;
  if (A.refr) A.refr[ti] = refractory ? 1 : 0;
  if (A.vtape) A.vtape[ti] = v;
  const double dv = static_cast<double>(v - 1.0f);
  dv2 = dv * dv;
  if (z != 0.0f && net.binCount > 0 && t >= net.binStart && t < net.binStart + net.binSize * net.binCount)
    A.counts[(static_cast<size_t>(b) * net.binCount + (t - net.binStart) / net.binSize) * n + i] += 1.0f;
  return z;
}

// SPEC §2.4 for every neuron of every area at step t, plus the tape and the per-step observables. Grid
// (B, neuron blocks): the batch elements of one block of neurons run side by side, so their constants,
// slot constants and BKG in-lists come from L2 after the first. Instantiated for the largest R of the
// network: R ≤ 3 (the built networks: V1 3, LM 2) fits 64 registers, 4 blocks per SM resident (R 3: 20 bytes
// spilled; without the bound 78 registers, 3 blocks); R = 4 takes 80 (3 blocks); the one kernel with the gather
// inlined took 114 registers (2 blocks per SM).
// Where the LGN and BKG inputs of step t come from: kPush and the BKG rows, in the step (InputsInStep), or the
// sums of a segment's steps computed ahead on a second stream (InputsAhead: step t at ext + (t − t0)·B slabs of
// NetDev::inputStride floats).
struct InputsInStep {};
struct InputsAhead {
  const float* ext;
  int t0;
};
// The fused steps (kStep): the sums ahead as InputsAhead, and those of step t0 − 1 (the previous segment's last) at
// `before` (slab 0), read by kStep(t0) to finish that step's rise.
struct InputsLagged {
  const float* ext;
  int t0;
  const float* before;
};
// Where area A's sums of step t0 + s and batch element b start in a segment's inputs ahead: slabs of
// NetDev::inputStride floats per step and batch element, each area at its offset in AreaDev::I.
template <class F>
__device__ __forceinline__ F* aheadInputs(F* ext, const NetDev& net, const AreaDev& A, int s, int b) {
  return ext + (static_cast<size_t>(s) * net.B + b) * net.inputStride + (A.I - net.area[0].I);
}

// 4 bytes from global memory at p to shared memory at s, in flight without a register (cp.async); cpAsyncWait makes
// the thread's own copies visible to it.
__device__ __forceinline__ void cpAsync4(int* s, const void* p) {
  asm volatile("cp.async.ca.shared.global [%0], [%1], 4;" ::"r"(static_cast<unsigned>(__cvta_generic_to_shared(s))), "l"(p) : "memory");
}
__device__ __forceinline__ void cpAsyncWait() { asm volatile("cp.async.wait_all;" ::: "memory"); }

// The neurons of block y (of the flattened neuron grid) for batch element b at step t. rowsAhead (kStep, kMaxAreas ·
// 2 · kThreads ints of shared memory): where the bounds of the thread's delay-1 rows wait for its spike.
template <bool Deterministic, int MaxR, class Inputs>
__device__ __forceinline__ void neuronBlock(const NetDev& net, int t, const Inputs& inputs, int b, int y, int* rowsAhead = nullptr) {
  constexpr bool lagged = std::is_same_v<Inputs, InputsLagged>;
  const int a = areaOfGridBlock(net, y);
  const AreaDev& A = net.area[a];
  const int i = (y - A.gridOffset) * kThreads + threadIdx.x;
  const int n = A.n, lane = threadIdx.x & 31;
  // Fused steps: the bounds of the neuron's delay-1 rows (row i of each block it feeds; the low words of rowStart)
  // load before the wait, for the list entry of a spike (AreaDev::spikeRows1).
  if (lagged && A.spikeRows1 && i < n)
    for (int o = 0; o < A.nOut; ++o) {
      const int64_t* rowStart = net.block[A.outBlock[o]].rowStart + i;
      cpAsync4(rowsAhead + (2 * o) * kThreads + threadIdx.x, rowStart);
      cpAsync4(rowsAhead + (2 * o + 1) * kThreads + threadIdx.x, rowStart + 1);
    }
  // The warp's voltage-regularizer sum is loaded before the update: its latency overlaps the state's instead
  // of ending the warp's chain of loads (the stores of the update may alias it, so the compiler cannot). Lagged:
  // after it, since the kernel just before wrote it.
  const size_t w = static_cast<size_t>(b) * A.words + (i >> 5);
  double vreg = 0.0;
  if constexpr (!lagged) vreg = lane == 0 && i < n ? loadVia<std::is_same_v<Inputs, InputsAhead>>(A.vreg + w) : 0.0;
  float z = 0.0f;
  double dv2 = 0.0;
  if (i < n) {
    const auto update = [&](auto slots) {
      constexpr int R = decltype(slots)::value;
      if constexpr (std::is_same_v<Inputs, InputsAhead>) {
        const size_t at = static_cast<size_t>(i) * R;
        return neuronUpdate<R, false, true>(net, A, a, b, i, t, dv2, A.I + static_cast<size_t>(b) * net.inputStride + at,
                                            aheadInputs(inputs.ext, net, A, t - inputs.t0, b) + at);
      } else if constexpr (lagged) {
        const size_t at = static_cast<size_t>(i) * R;
        const float* ext = t > inputs.t0 ? aheadInputs(inputs.ext, net, A, t - 1 - inputs.t0, b) : aheadInputs(inputs.before, net, A, 0, b);
        return neuronUpdate<R, false, false, true>(net, A, a, b, i, t, dv2, inputsOfStep(net, A, t - 1, b) + at, ext + at);
      } else {
        return neuronUpdate<R, Deterministic>(net, A, a, b, i, t, dv2);
      }
    };
    // The area's R slots; the kernel instantiates the update only up to its MaxR.
    if (A.R == 1) z = update(std::integral_constant<int, 1>{});
    else if (MaxR == 2 || A.R == 2) z = update(std::integral_constant<int, 2>{});
    else if constexpr (MaxR >= 3) {
      if (MaxR == 3 || A.R == 3) z = update(std::integral_constant<int, 3>{});
      else z = update(std::integral_constant<int, MaxR>{});
    }
  }
  if constexpr (lagged) vreg = lane == 0 && i < n ? loadVia<true>(A.vreg + w) : 0.0;
  const unsigned spiking = __ballot_sync(kFullMask, z != 0.0f);
  for (int o = 16; o > 0; o >>= 1) dv2 += __shfl_xor_sync(kFullMask, dv2, o);  // fixed tree: run to run identical
  if (lane == 0 && i < n) {
    A.raster[(static_cast<size_t>(b) * net.T + t) * A.words + (i >> 5)] = spiking;
    A.vreg[w] = vreg + dv2;
  }
  if (A.spikeList && spiking) {
    int base = 0;
    const int slot = slotOfStep(t, net.D);
    if (lane == 0) base = atomicAdd(&A.spikeCount[slot], __popc(spiking));
    base = __shfl_sync(kFullMask, base, 0);
    const size_t at = static_cast<size_t>(slot) * net.B * n + base + __popc(spiking & ((1u << lane) - 1));
    if (z != 0.0f) {
      A.spikeList[at] = b * n + i;
      if (lagged) A.spikeTag[at] = t + net.D;
      if (lagged && A.spikeRows1) {
        cpAsyncWait();
        for (int o = 0; o < A.nOut; ++o)
          A.spikeRows1[at * A.nOut + o] = make_int2(rowsAhead[(2 * o) * kThreads + threadIdx.x], rowsAhead[(2 * o + 1) * kThreads + threadIdx.x]);
      }
    }
  }
  if (lagged && A.spikeRows1) cpAsyncWait();  // (no copy left in flight at the thread's exit)
}

template <bool Deterministic, int MaxR, class Inputs>
__global__ void __launch_bounds__(kThreads, MaxR <= 3 ? 4 : 3) kNeuron(const __grid_constant__ NetDev net, int t, Inputs inputs) {
  neuronBlock<Deterministic, MaxR>(net, t, inputs, blockIdx.x, blockIdx.y);
}

// Fused steps (batches of 1–2 with the inputs ahead; docs/cuda-backend.md): SPEC §2.4 says step t's input reaches
// only rise, which step t's spike does not read, so kStep(t) runs the neuron update of step t — finishing step
// t − 1's rise with its input first — beside the push of the spike rows that make step t's input, into the other
// of two accumulators. One kernel a step instead of kPush then kNeuron: the push of step t waits on the spike
// lists of t − 1, the update on the input of t − 1, and both on the kernel just before (pushSpikeRowsFused). Grid:
// B · neuron blocks (as kNeuron's, batch element fastest), then pushBlocks. kStep(0) has no rise to finish (the
// state's is final); kFinishRise finishes step T − 1's after the last.
template <int MaxR>
__global__ void __launch_bounds__(kThreads, MaxR <= 3 ? 4 : 3) kStep(const __grid_constant__ NetDev net, int t, int pushBlocks, InputsLagged inputs) {
  const int neuronBlocks = static_cast<int>(gridDim.x) - pushBlocks;
  const int x = blockIdx.x;
  if (x == 0 && threadIdx.x < net.nAreas) net.area[threadIdx.x].spikeCount[slotOfStep(t + 1, net.D)] = 0;
  __shared__ int rowsAhead[kMaxAreas * 2 * kThreads];
  if (x < neuronBlocks) neuronBlock<false, MaxR>(net, t, inputs, x % net.B, x / net.B, rowsAhead);
  else pushSpikeRowsFused(net, t, x - neuronBlocks, pushBlocks, inputsAtStep(net, t));
}

// Step T − 1's rise with its input, after the last kStep (grid as kNeuron's; inputs: the last segment's).
__global__ void __launch_bounds__(kThreads) kFinishRise(const __grid_constant__ NetDev net, InputsLagged inputs) {
  const int T = net.T, a = areaOfGridBlock(net, blockIdx.y), b = blockIdx.x;
  const AreaDev& A = net.area[a];
  const int i = (blockIdx.y - A.gridOffset) * kThreads + threadIdx.x;
  if (i >= A.n) return;
  const int R = A.R;
  const float* ext = aheadInputs(inputs.ext, net, A, T - 1 - inputs.t0, b) + static_cast<size_t>(i) * R;
  float* acc = inputsOfStep(net, A, T - 1, b) + static_cast<size_t>(i) * R;
  float* rise = A.rise + (static_cast<size_t>(b) * A.n + i) * R;
  for (int k = 0; k < R; ++k) {
    const float input = inputWithSumsAhead<false>(net, ext[k], acc + k);
    riseStep(A.slotConsts[static_cast<size_t>(i) * R + k], input, rise[k]);
  }
}

// ---- the LGN and BKG inputs of a segment's steps, ahead of the steps (batches of 1–2) ----------------------
// They do not depend on the network's state, so for small batches (W1) they leave the steps' chains: the BKG rows
// gathered and the LGN rows pushed for every step of the next segment at once, on a second stream, while the
// steps of this one run (kNeuron<…, InputsAhead> adds them; kPush then pushes the spike rows only). The same
// sums as in the steps, with the BKG terms added before instead of after the atomics.

// The BKG sums of steps [t0, t0 + steps) into ext (plain stores; kExternalLgn adds to them). Grid (neuron
// blocks as kNeuron's, steps · B): each block draws its area's counts of its step once.
__global__ void __launch_bounds__(kThreads) kExternalBkg(const __grid_constant__ NetDev net, int t0, float* ext) {
  __shared__ float count[kMaxBkgSourcesAhead];
  const int a = areaOfGridBlock(net, blockIdx.x);
  const AreaDev& A = net.area[a];
  const int s = blockIdx.y / net.B, b = blockIdx.y % net.B, t = t0 + s;
  if (A.bkgIn)
    for (int k = threadIdx.x; k < net.nBkg; k += blockDim.x) count[k] = bkgCount(net, a, b, t, k);
  __syncthreads();
  const int i = (blockIdx.x - A.gridOffset) * kThreads + threadIdx.x;
  if (i >= A.n) return;
  float sum[4] = {};
  if (A.bkgIn) addBkgRows(A, i, count, sum);
  float* out = aheadInputs(ext, net, A, s, b) + static_cast<size_t>(i) * A.R;
  for (int k = 0; k < A.R; ++k) out[k] = sum[k];
}

// The LGN rows of steps [t0, t0 + steps) into ext, as kPush adds them into I: a warp per (step, batch element,
// 32 units).
__global__ void __launch_bounds__(kThreads) kExternalLgn(const __grid_constant__ NetDev net, int t0, int steps, float* ext) {
  const BlockDev& blk = net.block[net.lgnBlock];
  const AreaDev& dst = net.area[blk.target];
  const int lane = threadIdx.x & 31;
  const int chunks = (net.nInputs + 31) / 32;
  const int item = blockIdx.x * kWarpsPerBlock + (threadIdx.x >> 5);
  if (item >= chunks * net.B * steps) return;
  const int c = item % chunks, b = (item / chunks) % net.B, s = item / (chunks * net.B), t = t0 + s;
  const int u = c * 32 + lane;
  const float x = u < net.nInputs ? lgnInput(net, b, t, u) : 0.0f;
  pushLgnUnits(blk, aheadInputs(ext, net, dst, s, b), x, c * 32, lane);
}

// BKG weights into the per-neuron in-lists at the start of a forward call (the optimizer moves them); the
// padding (syn −1) keeps weight 0.
__global__ void kBkgWeights(float2* in, const int32_t* syn, const float* weight, int count) {
  for (int q = blockIdx.x * blockDim.x + threadIdx.x; q < count; q += gridDim.x * blockDim.x)
    if (syn[q] >= 0) in[q].x = weight[syn[q]];
}

// Spikes of one area over a call, from its raster words (a host popcount of F's 406 MB took ≈ 225 ms).
__global__ void kCountSpikes(const uint32_t* raster, size_t words, unsigned long long* total) {
  unsigned long long sum = 0;
  for (size_t q = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; q < words; q += static_cast<size_t>(gridDim.x) * blockDim.x) sum += __popc(raster[q]);
  for (int o = 16; o > 0; o >>= 1) sum += __shfl_xor_sync(kFullMask, sum, o);
  if ((threadIdx.x & 31) == 0 && sum) atomicAdd(total, sum);
}

// Population traces (SPEC §10 observables): spikes of each subset at every step, after the run.
__global__ void kTraces(const __grid_constant__ NetDev net, int a, const int32_t* offsets, const int32_t* indices, int K, float* traces) {
  const AreaDev& A = net.area[a];
  const size_t total = static_cast<size_t>(net.B) * K * net.T;
  for (size_t q = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; q < total; q += static_cast<size_t>(gridDim.x) * blockDim.x) {
    const int t = static_cast<int>(q % net.T);
    const int k = static_cast<int>((q / net.T) % K);
    const int b = static_cast<int>(q / (static_cast<size_t>(net.T) * K));
    const uint8_t* z = A.z + (static_cast<size_t>(b) * (net.T + net.D) + t + net.D) * A.n;
    float sum = 0.0f;
    for (int32_t j = offsets[k]; j < offsets[k + 1]; ++j) sum += z[indices[j]];
    traces[q] = sum;
  }
}

// ---- backward -----------------------------------------------------------------------------------------

// dL/dI storage (EngineOptions::adjointPrecision): float, or bfloat16 rounded to nearest even as the CPU's
// roundToBfloat16 (v1lm/bf16.h); a bfloat16 is the top half of the float it reads back as.
__device__ __forceinline__ void storeAdjoint(float* p, float x) { *p = x; }
__device__ __forceinline__ void storeAdjoint(__nv_bfloat16* p, float x) { *p = __float2bfloat16_rn(x); }
__device__ __forceinline__ float adjointAt(const float* p) { return *p; }
__device__ __forceinline__ float adjointAt(const __nv_bfloat16* p) { return __bfloat162float(*p); }
__device__ __forceinline__ float lowBfloat16(unsigned x) { return __uint_as_float(x << 16); }
__device__ __forceinline__ float highBfloat16(unsigned x) { return __uint_as_float(x & 0xffff0000u); }
// 4 consecutive adjoints (p aligned to 4 elements) in one load: a piece of the pull by pieces.
__device__ __forceinline__ float4 loadPiece(const float* p) { return *reinterpret_cast<const float4*>(p); }
__device__ __forceinline__ float4 loadPiece(const __nv_bfloat16* p) {
  const uint2 x = *reinterpret_cast<const uint2*>(p);
  return make_float4(lowBfloat16(x.x), highBfloat16(x.x), lowBfloat16(x.y), highBfloat16(x.y));
}
// The adjoints of one post row for batches of 1–2 (N = nb; dIStride = B) in one load.
template <int N>
__device__ __forceinline__ void loadAdjoints(const float* p, float (&g)[N]) {
  if constexpr (N == 2) {
    const float2 x = *reinterpret_cast<const float2*>(p);
    g[0] = x.x, g[1] = x.y;
  } else {
    g[0] = p[0];
  }
}
template <int N>
__device__ __forceinline__ void loadAdjoints(const __nv_bfloat16* p, float (&g)[N]) {
  if constexpr (N == 2) {
    const unsigned x = *reinterpret_cast<const unsigned*>(p);
    g[0] = lowBfloat16(x), g[1] = highBfloat16(x);
  } else {
    g[0] = __bfloat162float(p[0]);
  }
}

// AreaDev::live of area a, warp per (step, word of 32 neurons): the tapes of the forward, kLiveInFlight batch
// elements at a time (one at a time, W2's took 1.0 ms for ≈ 0.8 GB of tapes: each lane's loads waited on the last).
constexpr int kLiveInFlight = 4;
__global__ void kLiveSteps(const __grid_constant__ NetDev net, int a) {
  const AreaDev& A = net.area[a];
  const int64_t word = (static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x) >> 5;
  if (word >= static_cast<int64_t>(net.T) * A.words) return;
  const int t = static_cast<int>(word / A.words), i = static_cast<int>(word % A.words) * 32 + (threadIdx.x & 31);
  bool live = false;
  for (int b0 = 0; b0 < net.B && i < A.n && !live; b0 += kLiveInFlight) {
    float v[kLiveInFlight];
    bool refractory[kLiveInFlight];
#pragma unroll
    for (int q = 0; q < kLiveInFlight; ++q) {
      const size_t ti = (static_cast<size_t>(b0 + q) * net.T + t) * A.n + i;
      v[q] = b0 + q < net.B ? A.vtape[ti] : 0.0f, refractory[q] = b0 + q < net.B ? A.refr[ti] != 0 : true;
    }
#pragma unroll
    for (int q = 0; q < kLiveInFlight; ++q) live |= !refractory[q] && surrogate(net.surrogate, v[q]) != 0.0f;  // as kNeuronAdj weighs dL/dz
  }
  const unsigned bits = __ballot_sync(kFullMask, live);
  if ((threadIdx.x & 31) == 0) A.live[word] = bits;
}

// Which pending entries that a pull row of source S adds to kNeuronAdj reads: bit j for pre at step top − j, j < J
// (those ≥ 0).
__device__ __forceinline__ unsigned pendingReadSteps(const AreaDev& S, int pre, int top, int J) {
  unsigned steps = 0;
#pragma unroll
  for (int j = 0; j < kMaxBackwardStepsPerPass; ++j)
    if (j < J && top - j >= 0) steps |= ((S.live[static_cast<size_t>(top - j) * S.words + (pre >> 5)] >> (pre & 31)) & 1u) << j;
  return steps;
}

// Neuron adjoints of steps hi..lo (the CPU's phase 1, line for line; ≤ 3 steps, each thread walks its
// neuron's steps in order), writing dL/dI of step t − 2 into pass slot hi − t of dI. R: the area's receptor
// slots, so that the slot adjoints stay in registers. The pass's inputs (pending dL/dz, the count adjoints,
// the voltage and refractory tapes of its steps) are loaded first: the stores of a step may alias them for
// the compiler, which would otherwise wait for each step's stores before the next step's loads.
// Overlap (launched overlapping the pull before it): what needs nothing of that pull — the tapes, the constants
// and the adjoint state that kNeuronAdj of the pass before wrote (through L2) — is loaded before
// waitForPreviousKernel, the pending dL/dz that the pull adds to (with its count adjoints) after it.
template <int R, bool Overlap>
__device__ __forceinline__ void neuronAdjoint(const NetDev& net, const AreaDev& A, int b, int i, int hi, int lo, float* out, int outStride) {
  constexpr int kMaxPassSteps = kMaxBackwardStepsPerPass;
  const int n = A.n, T = net.T, D = net.D, B = net.B, rowSteps = dIRowSteps(net.passSteps);
  const size_t bi = static_cast<size_t>(b) * n + i;
  const bool countsGiven = A.adjCounts && net.binCount > 0;
  // The pending dL/dz of step t plus its count adjoint (after the wait when overlapping: the pull adds to it).
  const auto pendingAt = [&](int t) {
    float gz = pendingOfStep(A, t, B, D)[bi];
    if (countsGiven && t >= net.binStart && t < net.binStart + net.binSize * net.binCount)
      gz += A.adjCounts[(static_cast<size_t>(b) * net.binCount + (t - net.binStart) / net.binSize) * n + i];
    return gz;
  };
  float gzIn[kMaxPassSteps], vIn[kMaxPassSteps];
  bool refractoryIn[kMaxPassSteps];
#pragma unroll
  for (int s = 0; s < kMaxPassSteps; ++s) {
    const int t = hi - s;
    gzIn[s] = 0.0f, vIn[s] = 0.0f, refractoryIn[s] = false;
    if (t < lo) continue;
    if constexpr (!Overlap) gzIn[s] = pendingAt(t);
    const size_t ti = (static_cast<size_t>(b) * T + t) * n + i;
    vIn[s] = A.vtape[ti];
    refractoryIn[s] = A.refr[ti] != 0;
  }
  const NeuronConsts c = A.typeConsts[A.typeIndex[i]];
  const size_t p0 = bi * R;
  float lv = loadVia<Overlap>(A.lv + bi), la0 = loadVia<Overlap>(A.lasc + 2 * bi), la1 = loadVia<Overlap>(A.lasc + 2 * bi + 1),
        carry = loadVia<Overlap>(A.lcarry + bi);
  float lpsc[R], lrise[R];
  SynapseConsts sc[R];
#pragma unroll
  for (int k = 0; k < R; ++k)
    lpsc[k] = loadVia<Overlap>(A.lpsc + p0 + k), lrise[k] = loadVia<Overlap>(A.lrise + p0 + k), sc[k] = A.slotConsts[static_cast<size_t>(i) * R + k];
  if constexpr (Overlap) {
    waitForPreviousKernel(), releaseNextKernel();
#pragma unroll
    for (int s = 0; s < kMaxPassSteps; ++s)
      if (hi - s >= lo) gzIn[s] = pendingAt(hi - s);
  }
#pragma unroll
  for (int s = 0; s < kMaxPassSteps; ++s) {
    const int t = hi - s;
    if (t < lo) break;
    float gz = gzIn[s];
    if (A.adjTraces)
      for (int32_t q = A.invStart[i]; q < A.invStart[i + 1]; ++q) {
        const float g = A.adjTraces[(static_cast<size_t>(b) * A.K + A.invK[q]) * T + t];
        if (g != 0.0f) gz += g;
      }
    gz = gz + carry;
    pendingOfStep(A, t, B, D)[bi] = 0.0f;  // this slot is reused for step t − D − 2
    const float v = vIn[s];
    const bool refractory = refractoryIn[s];
    float gv = lv + A.vregCoef * (v - 1.0f);
    if (!refractory) gv += gz * surrogate(net.surrogate, v);
    const float gPre = (net.hardReset && refractory) ? 0.0f : gv;  // hard reset overwrote v'
    lv = c.decay * gPre;
    carry = c.vGap * gPre + c.ascAmp[0] * la0 + c.ascAmp[1] * la1;  // dL/dz_{t−1}: reset and ASC jump
    const float na0 = c.currentFactor * gPre + c.ascDecay[0] * la0, na1 = c.currentFactor * gPre + c.ascDecay[1] * la1;
    la0 = na0, la1 = na1;
#pragma unroll
    for (int k = 0; k < R; ++k) {
      lpsc[k] = c.currentFactor * gPre + sc[k].decay * lpsc[k];
      lrise[k] = sc[k].decay * lrise[k] + static_cast<float>(kDt) * sc[k].decay * lpsc[k];
      out[(k * rowSteps + (hi - t)) * outStride] = net.lrScale * sc[k].initial * lrise[k];
    }
  }
  A.lv[bi] = lv, A.lasc[2 * bi] = la0, A.lasc[2 * bi + 1] = la1, A.lcarry[bi] = carry;
#pragma unroll
  for (int k = 0; k < R; ++k) A.lpsc[p0 + k] = lpsc[k], A.lrise[p0 + k] = lrise[k];
}

// One thread per (neuron, batch element): a block holds kThreads / L consecutive neurons (one per lane, so that
// the state and tape loads of a warp are runs of consecutive neurons) and L batch elements (L = min(dIStride, 8)
// divides kThreads). The dI rows of its neurons are staged in shared memory ([neuron][slot][pass step][batch],
// zeros where no adjoint is written) and stored as the runs of L batch elements they are in dI: for L =
// dIStride, one contiguous stretch. Grid: (neuronGridX · L, ⌈B / L⌉). The adjoint is instantiated up to MaxR
// slots, as kNeuron's update.
// Overlap (batches of 1–2): launched overlapping the pull before it, each thread loads what needs nothing of that
// pull, then waits for it (neuronAdjoint; the threads without a neuron wait at once: every thread's dI stores
// follow the __syncthreads after the waits). Batches ≥ 3: 4 blocks per SM (≤ 64 registers; R = 3 spills 44–56 bytes)
// instead of the 3 that 74 registers allow: W2 backward −1 % (H200, docs/perf-notes.md v29); batches of 1–2 run one
// block per SM and keep all their registers.
template <class Adj, int MaxR, bool Overlap>
__global__ void __launch_bounds__(kThreads, Overlap ? 1 : 4) kNeuronAdj(const __grid_constant__ NetDev net, int hi, int lo, int L) {
  const int x = blockIdx.x / L;
  const int a = areaOfGridBlock(net, x);
  const AreaDev& A = net.area[a];
  const int N = kThreads / L, il = threadIdx.x % N, bl = threadIdx.x / N;  // neurons of the block; this thread's
  const int i0 = (x - A.gridOffset) * kThreads + (blockIdx.x % L) * N, i = i0 + il, b = blockIdx.y * L + bl;
  const int R = A.R, rowSteps = dIRowSteps(net.passSteps), run = R * rowSteps * L;  // tile elements of one neuron
  constexpr int kTile = kThreads * MaxR * dIRowSteps(kMaxBackwardStepsPerPass) + kThreads;  // + one float per neuron: no bank conflicts
  __shared__ float tile[kTile];
  float* out = tile + il * (run + 1) + bl;
  for (int e = 0; e < R * rowSteps; ++e) out[e * L] = 0.0f;
  if (i < A.n && b < net.B) {
    if (R == 1) neuronAdjoint<1, Overlap>(net, A, b, i, hi, lo, out, L);
    else if (MaxR == 2 || R == 2) neuronAdjoint<2, Overlap>(net, A, b, i, hi, lo, out, L);
    else if constexpr (MaxR >= 3) {
      if (MaxR == 3 || R == 3) neuronAdjoint<3, Overlap>(net, A, b, i, hi, lo, out, L);
      else neuronAdjoint<MaxR, Overlap>(net, A, b, i, hi, lo, out, L);
    }
  } else if constexpr (Overlap) {
    waitForPreviousKernel(), releaseNextKernel();
  }
  __syncthreads();
  // dI element of tile element e = (neuron, slot, step, batch): ((i0 + neuron)·R + slot)·rowSteps + step) runs of
  // dIStride, batch element blockIdx.y·L + batch within it.
  Adj* dI = static_cast<Adj*>(A.dI);
  const int neurons = min(N, A.n - i0);
  for (int e = threadIdx.x; e < neurons * run; e += kThreads) {
    const int neuron = e / run, r = e % run;
    storeAdjoint(dI + (static_cast<size_t>(i0) * R * rowSteps + neuron * R * rowSteps + r / L) * net.dIStride + blockIdx.y * L + r % L,
                 tile[neuron * (run + 1) + r]);
  }
}

// LGN weight gradients of a pass for batches of 1–2 (t = hi − 2 − j): one warp per kLgnGradChunk synapses of the
// block (its CSR by unit), 4 consecutive per lane. The lane loads their units, post rows and gradients before the
// wait (static, or written by the pass before: through L2); after it, it adds the adjoints of the (step, batch
// element)s where its units' inputs are not zero, by step then batch element as the CPU does, and stores the four
// gradients once. The steps run in a loop: unrolled, they spill in W1's kernel for no gain (v25).
template <class Adj>
__device__ __forceinline__ void lgnGradientsByChunks(const NetDev& net, int hi, int J, int chunk, bool overlap) {
  const BlockDev& blk = net.block[net.lgnBlock];
  if (!blk.active || !blk.grad) return;
  const int64_t s0 = static_cast<int64_t>(chunk) * kLgnGradChunk + (threadIdx.x & 31) * 4, left = net.lgnSynapses - s0;
  const int n = left <= 0 ? 0 : left >= 4 ? 4 : static_cast<int>(left);
  int unit[4] = {-1, -1, -1, -1}, post[4] = {0, 0, 0, 0};
  float grad[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  if (n == 4) {  // (the block's arrays are separate allocations: 16-byte aligned at multiples of 4)
    const int4 u4 = *reinterpret_cast<const int4*>(net.lgnUnitOfSynapse + s0), p4 = *reinterpret_cast<const int4*>(blk.postRow + s0);
    const float4 g4 = __ldcg(reinterpret_cast<const float4*>(blk.grad + s0));
    unit[0] = u4.x, unit[1] = u4.y, unit[2] = u4.z, unit[3] = u4.w, post[0] = p4.x, post[1] = p4.y, post[2] = p4.z, post[3] = p4.w;
    grad[0] = g4.x, grad[1] = g4.y, grad[2] = g4.z, grad[3] = g4.w;
  } else {
#pragma unroll
    for (int q = 0; q < 4; ++q)
      if (q < n) unit[q] = net.lgnUnitOfSynapse[s0 + q], post[q] = blk.postRow[s0 + q], grad[q] = __ldcg(blk.grad + s0 + q);
  }
  // The inputs are static: the (step, batch element)s in which one of the lane's units has one not zero (bit
  // j·B + b < 6) are known before the wait, so that the lanes whose units are silent in the pass (most: ≈ 2 % of
  // the units fire a step) end right after it; the others draw those inputs again after it.
  unsigned active = 0;
#pragma unroll 1
  for (int j = 0; j < J; ++j)
    for (int b = 0; b < net.B; ++b)
#pragma unroll
      for (int q = 0; q < 4; ++q)
        if (unit[q] >= 0 && (q == 0 || unit[q] != unit[q - 1]) && lgnInput(net, b, hi - 2 - j, unit[q]) != 0.0f) active |= 1u << (j * net.B + b);
  if (overlap) waitForPreviousKernel(), releaseNextKernel();
  if (active == 0) return;
  const Adj* dI = static_cast<const Adj*>(net.area[blk.target].dI);
  const int rowSteps = dIRowSteps(net.passSteps);
#pragma unroll 1
  for (int j = 0; j < J; ++j)
    for (int b = 0; b < net.B; ++b) {
      if (!((active >> (j * net.B + b)) & 1u)) continue;
      float x = 0.0f;
#pragma unroll
      for (int q = 0; q < 4; ++q) {
        if (unit[q] < 0) continue;
        if (q == 0 || unit[q] != unit[q - 1]) x = lgnInput(net, b, hi - 2 - j, unit[q]);
        if (x != 0.0f) grad[q] = grad[q] + adjointAt(dI + (static_cast<size_t>(post[q]) * rowSteps + j) * net.dIStride + b) * x;
      }
    }
  if (n == 4) *reinterpret_cast<float4*>(blk.grad + s0) = make_float4(grad[0], grad[1], grad[2], grad[3]);
  else
#pragma unroll
    for (int q = 0; q < 4; ++q)
      if (q < n) blk.grad[s0 + q] = grad[q];
}

// LGN weight gradients of a pass for batches of 3 or more: one warp per 32 units, each lane drawing its unit's
// input once per (step, batch element), the warp walking the rows of the active units (≈ 2 % per step) after a
// ballot, kLgnInFlight synapses per lane with their post rows, adjoints and gradients loaded before the stores.
// By chunks the draws would repeat in every lane a unit's row spans, J·B times each (W2 backward +4 %, v25).
template <class Adj>
__device__ __forceinline__ void lgnGradientsByUnits(const NetDev& net, int hi, int J, int group) {
  const BlockDev& blk = net.block[net.lgnBlock];
  if (!blk.active || !blk.grad) return;
  const int lane = threadIdx.x & 31, rowSteps = dIRowSteps(net.passSteps);
  const Adj* dI = static_cast<const Adj*>(net.area[blk.target].dI);
  const int u = group * 32 + lane;
  const int64_t r0 = u < net.nInputs ? blk.rowStart[u] : 0, r1 = u < net.nInputs ? blk.rowStart[u + 1] : 0;
  for (int j = 0; j < J; ++j)
    for (int b = 0; b < net.B; ++b) {
      const float x = u < net.nInputs ? lgnInput(net, b, hi - 2 - j, u) : 0.0f;
      unsigned active = __ballot_sync(kFullMask, x != 0.0f && r1 > r0);
      while (active) {
        const int l = __ffs(active) - 1;
        active &= active - 1;
        const float xl = __shfl_sync(kFullMask, x, l);
        const int64_t s0 = __shfl_sync(kFullMask, r0, l), s1 = __shfl_sync(kFullMask, r1, l);
        for (int64_t s = s0 + lane; s < s1; s += 32 * kLgnInFlight) {
          int post[kLgnInFlight];
          float g[kLgnInFlight], adj[kLgnInFlight];
#pragma unroll
          for (int q = 0; q < kLgnInFlight; ++q) post[q] = s + q * 32 < s1 ? blk.postRow[s + q * 32] : -1;
#pragma unroll
          for (int q = 0; q < kLgnInFlight; ++q) {
            g[q] = post[q] >= 0 ? blk.grad[s + q * 32] : 0.0f;
            adj[q] = post[q] >= 0 ? adjointAt(dI + (static_cast<size_t>(post[q]) * rowSteps + j) * net.dIStride + b) : 0.0f;
          }
#pragma unroll
          for (int q = 0; q < kLgnInFlight; ++q)
            if (post[q] >= 0) blk.grad[s + q * 32] = g[q] + adj[q] * xl;
        }
      }
    }
}

// Weight gradients of the LGN and BKG blocks for the J steps of a pass (t = hi − 2 − j): the first lgnItems warps
// the LGN block's (lgnGradientsByChunks for batches of 1–2, lgnGradientsByUnits beyond), then one warp per chunk
// of kBkgChunk synapses of a BKG row. Every synapse adds its terms by step, then batch element b = 0..B−1, as on
// the CPU. Runs in kPull's grid, before its pull blocks: both read only dI. overlap: kPull was launched
// overlapping kNeuronAdj, whose dI it waits for.
template <int NB, class Adj>
__device__ __forceinline__ void inputGrad(const NetDev& net, int hi, int J, int item, int lgnItems, int bkgChunks, bool overlap) {
  if (item < lgnItems) {
    if constexpr (NB <= kLgnChunkBatches) lgnGradientsByChunks<Adj>(net, hi, J, item, overlap);  // (NB = B for B ≤ 2)
    else lgnGradientsByUnits<Adj>(net, hi, J, item);
    return;
  }
  if (overlap) waitForPreviousKernel(), releaseNextKernel();
  const int lane = threadIdx.x & 31;
  const int B = net.B, rowSteps = dIRowSteps(net.passSteps);
  const int k = (item - lgnItems) / bkgChunks, chunk = (item - lgnItems) % bkgChunks;
  if (k >= net.nAreas * net.nBkg) return;
  const int a = k / net.nBkg, row = k % net.nBkg, bk = net.bkgBlock[a];
  if (bk < 0) return;
  const BlockDev& blk = net.block[bk];
  const int64_t s0 = blk.rowStart[row] + static_cast<int64_t>(chunk) * kBkgChunk;
  const int64_t s1 = min(blk.rowStart[row + 1], s0 + kBkgChunk);
  if (!blk.active || !blk.grad || s0 >= s1) return;
  const Adj* dI = static_cast<const Adj*>(net.area[a].dI);
  // The lane's synapses of the chunk in registers (post rows and running gradients, loaded once), so the
  // adjoint loads of one (step, batch element) are independent; the additions into each gradient keep
  // their order.
  constexpr int kPerLane = kBkgChunk / 32;
  int post[kPerLane];
  float grad[kPerLane];
#pragma unroll
  for (int q = 0; q < kPerLane; ++q) {
    const bool in = s0 + lane + q * 32 < s1;
    post[q] = in ? blk.postRow[s0 + lane + q * 32] : 0, grad[q] = in ? blk.grad[s0 + lane + q * 32] : 0.0f;
  }
  for (int j = 0; j < J; ++j)
    for (int b = 0; b < B; ++b) {
      const float x = bkgCount(net, a, b, hi - 2 - j, row);
      if (x == 0.0f) continue;
#pragma unroll
      for (int q = 0; q < kPerLane; ++q) grad[q] += adjointAt(dI + (static_cast<size_t>(post[q]) * rowSteps + j) * net.dIStride + b) * x;
    }
#pragma unroll
  for (int q = 0; q < kPerLane; ++q)
    if (s0 + lane + q * 32 < s1) blk.grad[s0 + lane + q * 32] = grad[q];
}

// The rounds of one batch chunk of pullByPieces: acc += the piece's Σ w·dI over the lane's synapse slots; with
// Grads, the slot's pieces also meet by shuffles in its first lane, which adds the adjoints of the spiking
// batch elements (mask: bits of the piece's four) to the synapse's gradient. Warp-uniform rounds,
// software-pipelined: the synapses of the next round load while this round's adjoints do. Slots past the row
// read the next row's synapses (or the zero padding after the last row, kPullRowPadding) and load no adjoints;
// loadLen (len, or 0 for a piece whose adjoints nothing needs) bounds the loads, len the gradients' adds.
template <bool Grads, int kPieces, int kSpan, class Adj>
__device__ __forceinline__ void piecesRounds(const int2* syn, const Adj* dI, int pieceOffset, int rowLen, int len, int loadLen, int piece, unsigned mask,
                                             float* gradRow, float (&acc)[4]) {
  constexpr int kInFlight = Grads ? kPullGradPiecesInFlight<Adj> : kPullPiecesInFlight, kRound = kSpan * kInFlight;
  int2 next[kInFlight];
#pragma unroll
  for (int q = 0; q < kInFlight; ++q) next[q] = syn[q * kSpan];
  for (int k = 0; k < rowLen; k += kRound) {
    int2 e[kInFlight];
#pragma unroll
    for (int q = 0; q < kInFlight; ++q) e[q] = next[q], next[q] = syn[k + kRound + q * kSpan];
    float4 g[kInFlight];
#pragma unroll
    for (int q = 0; q < kInFlight; ++q) g[q] = k + q * kSpan < loadLen ? loadPiece(dI + (e[q].x + pieceOffset)) : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
#pragma unroll
    for (int q = 0; q < kInFlight; ++q) {
      const float w = __int_as_float(e[q].y);
      acc[0] = __fmaf_rn(w, g[q].x, acc[0]), acc[1] = __fmaf_rn(w, g[q].y, acc[1]);
      acc[2] = __fmaf_rn(w, g[q].z, acc[2]), acc[3] = __fmaf_rn(w, g[q].w, acc[3]);
      if constexpr (Grads) {
        const float mine = ((mask & 1u) ? g[q].x : 0.0f) + ((mask & 2u) ? g[q].y : 0.0f) + ((mask & 4u) ? g[q].z : 0.0f) +
                           ((mask & 8u) ? g[q].w : 0.0f);
        float sum = mine;
#pragma unroll
        for (int x = 1; x < kPieces; ++x) sum += __shfl_down_sync(kFullMask, mine, x);
        if (piece == 0 && k + q * kSpan < len) atomicAdd(gradRow + k + q * kSpan, sum);
      }
    }
  }
}

// The fast pull of one row for batches of 3 or more (NB = 4 or 8), by pieces: a post row's adjoints of
// the pass are G·NB values, kPieces pieces of 4 (a float4, or 8 B of bfloat16); lane l loads piece
// l mod kPieces of synapse l / kPieces, so one load instruction reads kSpan whole runs (5 lines of 128 B for G = 3, NB = 8: a padded row is one line) instead of one
// piece of 32 runs (32 lines), and each lane keeps 4 accumulators instead of G·NB. The per-piece sums of
// the warp's kSpan synapse slots meet in lanes 0..kPieces − 1, which add them into pending. The row is the
// source's pull row (AreaDev::pullSyn: every block reading the source, packed): per synapse slot one
// 8-byte load, one address and one piece load; multiply-adds fused (the fast mode's sums are not the CPU's
// order anyway).
template <int NB, int G, class Adj>
__device__ __forceinline__ void pullByPieces(const NetDev& net, const AreaDev& S, int64_t r0, int64_t r1, int d, int pre, int hi,
                                             unsigned readSteps, const unsigned (&spiked)[G], bool anySpike, int lane) {
  constexpr int kPieces = G * NB / 4, kSpan = 32 / kPieces;
  const int slot = lane / kPieces, piece = lane % kPieces;
  const int pj = piece / (NB / 4), pb = (piece % (NB / 4)) * 4;  // the piece's pass step and first batch element
  const int B = net.B, D = net.D;
  // Where pre spiked in some (step, batch element) of the pass (warp-uniform), the same walk adds the weight
  // gradients: each lane sums its piece's adjoints of the spiking batch elements, the slot's pieces meet by
  // shuffles, and its first lane adds the sum to the synapse's gradient (one per synapse and batch chunk).
  const bool grads = anySpike && S.pullGrad;
  if (readSteps == 0 && !grads) return;  // (warp-uniform)
  unsigned pieceSpikes = 0;  // the spiking batch elements of the piece's pass step
#pragma unroll
  for (int j = 0; j < G; ++j)
    if (j == pj) pieceSpikes = spiked[j];
  const int2* syn = S.pullSyn + r0 + slot;
  float* gradRow = grads ? S.pullGrad + r0 + slot : nullptr;
  const int rowLen = static_cast<int>(r1 - r0), len = slot < kSpan ? rowLen - slot : 0;  // this lane's synapses start at slot
  const Adj* dI = static_cast<const Adj*>(net.dIAll);
  const int ts = hi - 2 - pj - d;  // rows of other delays add to the same pending entries: atomics
  // The piece's pass step adds to a pending entry that kNeuronAdj reads (its bit implies pj < J and ts ≥ 0); where
  // it does not and pre did not spike there either, the piece's lanes load no adjoints (a step's pieces share a sector).
  const bool stepRead = (readSteps >> pj) & 1u;
  const bool adds = stepRead && lane < kPieces;
  for (int b0 = 0; b0 < B; b0 += NB) {
    const int nb = min(NB, B - b0), pieceOffset = b0 + pj * net.dIStride + pb;
    const unsigned mask = (pieceSpikes >> (b0 + pb)) & 0xfu;
    const int loadLen = stepRead || (grads && mask != 0) ? len : 0;
    float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    if (grads) piecesRounds<true, kPieces, kSpan>(syn, dI, pieceOffset, rowLen, len, loadLen, piece, mask, gradRow, acc);
    else piecesRounds<false, kPieces, kSpan>(syn, dI, pieceOffset, rowLen, len, loadLen, piece, mask, gradRow, acc);
    float* pend = adds ? pendingOfStep(S, ts, B, D) + static_cast<size_t>(b0 + pb) * S.n + pre : nullptr;
#pragma unroll
    for (int x = 0; x < 4; ++x) {
      float sum = acc[x];
#pragma unroll
      for (int v = 1; v < kSpan; ++v) sum += __shfl_down_sync(kFullMask, acc[x], v * kPieces);  // lanes < kPieces: all slots
      if (adds && pb + x < nb) atomicAdd(pend + static_cast<size_t>(x) * S.n, net.rho * sum);
    }
  }
}

// The pull rows of a source area (AreaDev::pullSyn), block by block: warp per row of block bk, whose
// segment of pull row r starts at pullStart[r]. build: (dI offset, weight) of every synapse; otherwise only
// the weights (refreshed at each backward: the optimizer moves the block's weights).
__global__ void kPullRows(const __grid_constant__ NetDev net, int bk, const int64_t* pullStart, int2* pullSyn, int64_t dIBase, bool build) {
  const BlockDev& blk = net.block[bk];
  const int row = static_cast<int>((static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x) >> 5), lane = threadIdx.x & 31;
  if (row >= blk.nRows) return;
  const int64_t s0 = blk.rowStart[row], n = blk.rowStart[row + 1] - s0;
  int2* out = pullSyn + pullStart[row];
  const int64_t rowElems = static_cast<int64_t>(dIRowSteps(net.passSteps)) * net.dIStride;
  for (int64_t k = lane; k < n; k += 32) {
    if (build) out[k].x = static_cast<int>(dIBase + blk.postRow[s0 + k] * rowElems);
    out[k].y = __float_as_int(blk.weight[s0 + k]);
  }
}

// The fast pull's weight gradients (AreaDev::pullGrad, in pull-row order) into block bk's own gradients, warp
// per row of the block, whose segment of pull row r starts at pullStart[r] (as in kPullRows).
__global__ void kPullGradients(const __grid_constant__ NetDev net, int bk, const int64_t* pullStart, const float* pullGrad) {
  const BlockDev& blk = net.block[bk];
  const int row = static_cast<int>((static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x) >> 5), lane = threadIdx.x & 31;
  if (row >= blk.nRows) return;
  const int64_t s0 = blk.rowStart[row], n = blk.rowStart[row + 1] - s0;
  const float* in = pullGrad + pullStart[row];
  for (int64_t k = lane; k < n; k += 32) blk.grad[s0 + k] = in[k];
}

// One warp per delay-expanded presynaptic row (d, pre) of each source area, serving every block that
// reads that source, in block order, for the J ≤ G steps t_j = hi − 2 − j of a pass (temporal blocking:
// each synapse is read once for G steps): pending[t_j − d] += ρ·Σ_s w_s·dI_j[post_s] and, where pre spiked
// at t_j − d, grad_s += dI_j[post_s]. Rows are stored once (presyn-major); each synapse read serves the batch.
// NB: batch elements per piece set (1, 2, 4 or 8 = min(B, 8) rounded up). The fast mode pulls batches of
// 3 or more by pieces (pullByPieces), batches of 1–2 in lane-group rows (LANES = kRowGroupLanes: four items
// per warp, where a row's ≈ 65 synapses would leave most of a 32-lane warp's second load idle; pieces
// measured slower there); both add the weight gradients of rows whose presynaptic neuron spiked in the same walk
// (AreaDev::pullGrad). The deterministic mode and batches beyond 32 walk those rows again for them.
// The deterministic mode (LANES = 32, G = 1) sums each batch element in the CPU's order. The first
// inputBlocks blocks compute the LGN / BKG weight gradients of the pass instead (inputGrad): one launch per
// pass for both, the input blocks first so that their walks do not trail the pull.
template <int NB, int LANES, int G, class Adj>
__global__ void __launch_bounds__(kThreads, kPullMinBlocks<NB, Adj>) kPull(const __grid_constant__ NetDev net, int hi, int J, int inputBlocks,
                                                  int lgnItems, int bkgChunks) {
  if (static_cast<int>(blockIdx.x) < inputBlocks) {
    inputGrad<NB, Adj>(net, hi, J, (blockIdx.x * kThreads + threadIdx.x) >> 5, lgnItems, bkgChunks, LANES < 32);
    return;
  }
  constexpr unsigned kRowMask = LANES == 32 ? kFullMask : (1u << LANES) - 1;
  const int lane = threadIdx.x & 31, sub = lane / LANES, sl = lane % LANES;
  const int64_t item = ((static_cast<int64_t>(blockIdx.x - inputBlocks) * kThreads + threadIdx.x) >> 5) * (32 / LANES) + sub;
  const bool valid = item < net.pullItemStart[net.nAreas];
  if (LANES == 32 && !valid) return;  // (lane-group rows stay for the shuffles)
  int o = 0;
  while (o + 1 < net.nAreas && item >= net.pullItemStart[o + 1]) ++o;
  const AreaDev& S = net.area[o];
  const int areaItem = valid ? static_cast<int>(item - net.pullItemStart[o]) : 0;
  const unsigned row = S.pullRow ? (valid ? S.pullRow[areaItem] : 0) : areaItem;  // (d − 1)·n + pre; unsigned: the cheaper division
  // The fast pull's row bounds, loaded beside the row's id: after the row's tests (the skip, the spikes) they
  // would be one more round trip in every row's chain.
  const int64_t r0 = valid && S.pullRow ? S.pullRowStart[areaItem] : 0, r1 = valid && S.pullRow ? S.pullRowStart[areaItem + 1] : 0;
  const int d = static_cast<int>(row / S.n) + 1, pre = static_cast<int>(row % S.n);
  const int B = net.B, T = net.T, D = net.D;
  // Bit j: step t_j − d ≥ 0 of the pass has a pending entry there that kNeuronAdj reads; pull: some step has.
  const unsigned readSteps = valid && hi - 2 - d >= 0 ? pendingReadSteps(S, pre, hi - 2 - d, J) : 0u;
  const bool pull = readSteps != 0;
  // Which of the first LANES batch elements had pre spike at t_j − d (the initial buffer for t_j − d < 0):
  // loaded first, so their latency overlaps the pull.
  unsigned spiked0[G];
  bool anySpike = false;
#pragma unroll
  for (int j = 0; j < G; ++j) {
    const uint8_t* zRow = S.z + static_cast<size_t>(hi - 2 - j - d + D) * S.n + pre;  // + b·(T + D)·n
    spiked0[j] = (__ballot_sync(kFullMask, valid && j < J && sl < B && zRow[static_cast<size_t>(sl) * (T + D) * S.n]) >> (sub * LANES)) & kRowMask;
    anySpike |= spiked0[j] != 0;
  }
  // Lane-group rows (batches of 1–2) are launched overlapping kNeuronAdj: what came before needs only the
  // forward's tapes, the live steps and the rows (with the first rounds' synapse records); the adjoints dI come from it.
  constexpr int kAhead = LANES < 32 ? kRowGroupRoundsAhead * kRowGroupInFlight : 1;
  int2 ahead[kAhead];  // round r's records: ahead[r · kRowGroupInFlight + q] (beyond the row: offset 0, weight 0)
  // Lane-group rows whose pre spiked in the pass add their weight gradients in the same walk (AreaDev::pullGrad).
  const bool grads = LANES < 32 && anySpike;
  const int len = pull || grads ? static_cast<int>(r1 - r0) : 0;
  if constexpr (LANES < 32) {
#pragma unroll
    for (int q = 0; q < kAhead; ++q) ahead[q] = sl + q * LANES < len ? __ldcg(S.pullSyn + r0 + sl + q * LANES) : make_int2(0, 0);
    waitForPreviousKernel(), releaseNextKernel();
  }
  if constexpr (LANES == 32 && NB >= 4) {
    if (!net.deterministic) {
      pullByPieces<NB, G, Adj>(net, S, r0, r1, d, pre, hi, readSteps, spiked0, anySpike, sl);
      if (S.pullGrad) return;  // the weight gradients came with the pull
    }
  } else if constexpr (LANES < 32) {
    // Fast path of batches of 1–2 (NB = B = dIStride): the source's pull row (every block reading it) in
    // one accumulator per pass step and batch element, one atomic add each; a round's synapse records (the first
    // kRowGroupRoundsAhead rounds' from before the wait), then the adjoints of their G steps, kInFlight per lane.
    constexpr int kInFlight = kRowGroupInFlight;
    float acc[G][NB];
#pragma unroll
    for (int j = 0; j < G; ++j)
#pragma unroll
      for (int jb = 0; jb < NB; ++jb) acc[j][jb] = 0.0f;
    const int2* syn = S.pullSyn + r0;
    float* gradRow = S.pullGrad + r0;  // (fast mode, B ≤ 32: allocated)
    const Adj* dI = static_cast<const Adj*>(net.dIAll);
    // The round of this lane's synapses k + q · LANES: their adjoints into the pass's sums, and where pre spiked,
    // each synapse's adjoints of the spiking (step, batch element)s into its gradient (in the walk's order).
    const auto addRound = [&](const int2* e, int k) {
      float g[kInFlight][G][NB];
#pragma unroll
      for (int q = 0; q < kInFlight; ++q)
#pragma unroll
        for (int j = 0; j < G; ++j) loadAdjoints<NB>(dI + (e[q].x + j * NB), g[q][j]);
#pragma unroll
      for (int q = 0; q < kInFlight; ++q)
#pragma unroll
        for (int j = 0; j < G; ++j)
#pragma unroll
          for (int jb = 0; jb < NB; ++jb) acc[j][jb] = __fmaf_rn(__int_as_float(e[q].y), g[q][j][jb], acc[j][jb]);
      if (grads)
#pragma unroll
        for (int q = 0; q < kInFlight; ++q) {
          float sum = 0.0f;
#pragma unroll
          for (int j = 0; j < G; ++j)
#pragma unroll
            for (int jb = 0; jb < NB; ++jb)
              if ((spiked0[j] >> jb) & 1u) sum += g[q][j][jb];
          if (k + q * LANES < len) gradRow[k + q * LANES] += sum;
        }
    };
#pragma unroll
    for (int r = 0; r < kRowGroupRoundsAhead; ++r)
      if (sl + r * LANES * kInFlight < len) addRound(ahead + r * kInFlight, sl + r * LANES * kInFlight);
    for (int k = sl + kRowGroupRoundsAhead * LANES * kInFlight; k < len; k += LANES * kInFlight) {
      int2 e[kInFlight];  // beyond the row: offset 0, weight 0
#pragma unroll
      for (int q = 0; q < kInFlight; ++q) e[q] = k + q * LANES < len ? syn[k + q * LANES] : make_int2(0, 0);
      addRound(e, k);
    }
#pragma unroll
    for (int j = 0; j < G; ++j) {
      float mine = 0.0f;
#pragma unroll
      for (int jb = 0; jb < NB; ++jb) {
        for (int off = LANES / 2; off > 0; off >>= 1) acc[j][jb] += __shfl_xor_sync(kFullMask, acc[j][jb], off);
        if (sl == jb) mine = acc[j][jb];
      }
      const int ts = hi - 2 - j - d;  // rows of other delays add to the same pending entries: atomics
      if (pull && j < J && ts >= 0 && sl < NB) atomicAdd(pendingOfStep(S, ts, B, D) + static_cast<size_t>(sl) * S.n + pre, net.rho * mine);
    }
  }
  // The weight gradients of the deterministic mode and of fast batches beyond 32 (the others' came with their
  // pull): the row's segment of every block it feeds.
  if constexpr (LANES == 32) {
    for (int bk = 0; bk < net.nBlocks; ++bk) {
      const BlockDev& blk = net.block[bk];
      if (!blk.active || blk.source != o || blk.kind > static_cast<int>(BlockKind::Interarea)) continue;
      const int64_t s0 = blk.rowStart[row], s1 = blk.rowStart[row + 1];
      if (s0 == s1) continue;
      const Adj* dI = static_cast<const Adj*>(net.area[blk.target].dI);
      if (pull && net.deterministic) {  // G = 1: sequential sum per batch element and block, as on the CPU
        float* pend = pendingOfStep(S, hi - 2 - d, B, D);
        for (int b = sl; b < B; b += LANES) {
          float acc = 0.0f;
          for (int64_t s = s0; s < s1; ++s) acc += blk.weight[s] * adjointAt(dI + static_cast<size_t>(blk.postRow[s]) * net.dIStride + b);
          pend[static_cast<size_t>(b) * S.n + pre] += net.rho * acc;
        }
      }
      if (blk.grad) {
#pragma unroll
        for (int j = 0; j < G; ++j) {
          if (j >= J) break;
          const uint8_t* zRow = S.z + static_cast<size_t>(hi - 2 - j - d + D) * S.n + pre;
          for (int b0 = 0; b0 < B; b0 += LANES) {  // which batch elements had pre spike at t_j − d: one load per lane
            unsigned spiked = b0 == 0 ? spiked0[j] : __ballot_sync(kFullMask, b0 + lane < B && zRow[static_cast<size_t>(b0 + lane) * (T + D) * S.n]);
            while (spiked) {
              const int b = b0 + __ffs(spiked) - 1;
              spiked &= spiked - 1;
              for (int64_t s = s0 + sl; s < s1; s += LANES) blk.grad[s] += adjointAt(dI + (static_cast<size_t>(blk.postRow[s]) * dIRowSteps(G) + j) * net.dIStride + b);
            }
          }
        }
      }
    }
  }
}

__global__ void kAddGradients(float* grad, const float* in, int64_t E) {
  for (int64_t s = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; s < E; s += static_cast<int64_t>(gridDim.x) * blockDim.x) grad[s] += in[s];
}

// ---- optimizer (SPEC §11.3 + sign projection §3.4) ------------------------------------------------------

__global__ void kOptimizer(float* w, const float* grad, float* m, float* v, const uint8_t* positive, int64_t E, int kind, float b1,
                           float b2, float eps, float lr, float alpha, float scale) {
  for (int64_t s = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; s < E; s += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const float g = grad[s] * scale;
    float x = w[s];
    if (kind == static_cast<int>(OptimizerKind::Sgd)) {
      x = sgdUpdate(x, g, lr);
    } else {
      float ms = m[s], vs = v[s];
      adamMoments(g, b1, b2, ms, vs);
      m[s] = ms, v[s] = vs;
      x = kind == static_cast<int>(OptimizerKind::Adam) ? adamUpdate(x, ms, vs, alpha, eps) : expAdamUpdate(x, ms, vs, alpha, eps);
    }
    w[s] = signProject(x, positive[s] != 0);
  }
}

// ---- host side ----------------------------------------------------------------------------------------

using PullKernel = void (*)(NetDev, int, int, int, int, int);
template <int G, class Adj>
PullKernel pullKernelOfSteps(int nb, bool rowGroups) {
  if (rowGroups) return nb == 1 ? kPull<1, kRowGroupLanes, G, Adj> : kPull<2, kRowGroupLanes, G, Adj>;
  return nb == 1 ? kPull<1, 32, G, Adj> : nb == 2 ? kPull<2, 32, G, Adj> : nb <= 4 ? kPull<4, 32, G, Adj> : kPull<8, 32, G, Adj>;
}
template <class Adj>
PullKernel pullKernelOfAdjoint(int nb, bool rowGroups, int G) {
  return G == 1 ? pullKernelOfSteps<1, Adj>(nb, rowGroups) : G == 2 ? pullKernelOfSteps<2, Adj>(nb, rowGroups) : pullKernelOfSteps<3, Adj>(nb, rowGroups);
}
// The instantiation of a kernel templated on the largest R (kNeuron, kNeuronAdj) for a network's largest R.
template <class Kernel>
Kernel bySlots(int maxR, Kernel r2, Kernel r3, Kernel r4) { return maxR <= 2 ? r2 : maxR == 3 ? r3 : r4; }
template <class Adj, bool Overlap>
auto neuronAdjKernelFor(int maxR) { return bySlots(maxR, kNeuronAdj<Adj, 2, Overlap>, kNeuronAdj<Adj, 3, Overlap>, kNeuronAdj<Adj, 4, Overlap>); }
PullKernel pullKernelFor(int nb, bool rowGroups, int G, bool bf16Adjoints) {
  return bf16Adjoints ? pullKernelOfAdjoint<__nv_bfloat16>(nb, rowGroups, G) : pullKernelOfAdjoint<float>(nb, rowGroups, G);
}

struct AreaBuffers {
  DeviceBuffer<NeuronConsts> typeConsts;
  DeviceBuffer<int32_t> typeIndex;
  DeviceBuffer<SynapseConsts> slotConsts;
  DeviceBuffer<float> v, r, asc, rise, psc;
  DeviceBuffer<float> vReset;  // the zero state's v (SPEC §2.3: v_reset of the neuron's type) of every batch element
  DeviceBuffer<uint8_t> z, refr;
  DeviceBuffer<float> vtape, counts;
  DeviceBuffer<uint32_t> raster;
  DeviceBuffer<unsigned long long> spikeTotal;  // spikes of the call (kCountSpikes)
  DeviceBuffer<double> vreg;
  DeviceBuffer<int32_t> spikeList, spikeCount;
  DeviceBuffer<int2> spikeRows1;  // AreaDev::spikeRows1 (fused steps)
  DeviceBuffer<int32_t> spikeTag;  // AreaDev::spikeTag (fused steps)
  DeviceBuffer<int64_t> inStart;
  DeviceBuffer<int32_t> inSyn, inRow;
  DeviceBuffer<uint8_t> inBlock;
  DeviceBuffer<float> lv, lasc, lpsc, lrise, lcarry, pending, adjCounts, adjTraces, bkgGiven;
  DeviceBuffer<uint32_t> live;  // AreaDev::live
  DeviceBuffer<int32_t> pullRow;  // fast pull rows of this source (AreaDev::pullRow, pullRowStart, pullSyn)
  DeviceBuffer<int64_t> pullRowStart;
  DeviceBuffer<int2> pullSyn;
  DeviceBuffer<float> pullGrad;  // AreaDev::pullGrad (fast mode, batches of 1–32)
  int pullItems = 0;  // rows with synapses (B ≤ 2: their chunks)
  DeviceBuffer<int32_t> invStart, invK, traceOffsets, traceIndices;
  DeviceBuffer<float> traces;
  DeviceBuffer<int32_t> bkgInSyn;  // fast mode: BKG in-lists per neuron (kNeuron), −1 for padding
  int bkgWidth = 0;
  DeviceBuffer<float2> bkgIn;
  DeviceBuffer<float> bkgStep;
};

struct BlockBuffers {
  DeviceBuffer<int64_t> rowStart;
  DeviceBuffer<int64_t> pullStart;  // delayed blocks: where row r's synapses start in the source's pull row r
  DeviceBuffer<int32_t> postRow;
  DeviceBuffer<float> weight, grad, m, v;
  DeviceBuffer<uint8_t> positive;
};

class CudaBackend final : public Backend {
 public:
  CudaBackend(const CompiledNetwork& net, const EngineOptions& options);
  ~CudaBackend() override {
    cudaSetDevice(device_);
    areas_.clear();
    blocks_.clear();
    lgnProbability_.reset();
    lgnUnitOfSynapse_.reset();
    lgnSpikes_.reset();
    dI_.reset();
    ext_.reset();
    for (int k = 0; k < 3; ++k) {
      if (extDone_[k]) cudaEventDestroy(extDone_[k]);
      if (stepsDone_[k]) cudaEventDestroy(stepsDone_[k]);
    }
    if (forwardQueued_) cudaEventDestroy(forwardQueued_);
    if (extStream_) cudaStreamDestroy(extStream_);
    for (cudaEvent_t* e : splitPushEvents())
      if (*e) cudaEventDestroy(*e);
    if (pushStream_) cudaStreamDestroy(pushStream_);
    trialDevice_.reset();
    trialPinned_.release();
    forwardGraphs_.clear();
    backwardGraphs_.clear();
    downloads_.release();
    rasterPinned_.release();
    for (auto e : rasterEvents_)
      if (e) cudaEventDestroy(e);
    if (downloadStream_) cudaStreamDestroy(downloadStream_);
    releaseStaging();
    for (auto e : lgnUploaded_)
      if (e) cudaEventDestroy(e);
    if (copyStream_) cudaStreamDestroy(copyStream_);
    if (stream_) cudaStreamDestroy(stream_);
  }
  std::string name() const override { return "cuda"; }
  bool hasTape() const override { return tapeSteps_ > 0; }
  size_t peakDeviceBytes() const override { return mem_.peak(); }
  bool inputsAhead() const override { return inputsAhead_; }
  bool fusedSteps() const override { return fusedSteps_; }
  bool splitPush() const override { return splitPush_; }
  bool checksLgnWhileStaging() const override { return true; }  // copyCheckedLgn

  void forward(const ForwardRequest& req, ForwardResult& out) override;
  void backward(const BackwardRequest& req) override;
  void optimizerStep(const OptimizerStep& step) override;

  void readWeights(int b, float* out) override { copyOut(blocks_[b].weight, out); }
  void writeWeights(int b, const float* in) override { copyIn(blocks_[b].weight, in); }
  void readGradients(int b, float* out) override { copyOut(blocks_[b].grad, out); }
  void addGradients(int b, const float* in) override {
    activate();
    const int64_t E = net_.blocks[b].size();
    if (E == 0) return;
    DeviceBuffer<float> tmp;
    tmp.resize(mem_, E, "added gradients");
    tmp.upload(in, E, stream_);
    kAddGradients<<<static_cast<int>(std::min<int64_t>(smCount_ * 8, (E + kThreads - 1) / kThreads)), kThreads, 0, stream_>>>(blocks_[b].grad.get(), tmp.get(), E);
    checkLaunch("kAddGradients");
    sync();
  }
  void readOptimizerState(int b, float* m, float* v) override {
    ensureSlots(b);
    copyOut(blocks_[b].m, m);
    copyOut(blocks_[b].v, v);
  }
  void writeOptimizerState(int b, const float* m, const float* v) override {
    ensureSlots(b);
    copyIn(blocks_[b].m, m);
    copyIn(blocks_[b].v, v);
  }

 private:
  void activate() const { check(cudaSetDevice(device_), "cudaSetDevice"); }
  void sync() const { check(cudaStreamSynchronize(stream_), "kernel execution"); }
  void copyOut(const DeviceBuffer<float>& d, float* out) {
    activate();
    d.download(out, d.size(), stream_);
    sync();
  }
  void copyIn(DeviceBuffer<float>& d, const float* in) {
    activate();
    d.upload(in, d.size(), stream_);
    sync();
  }
  void ensureSlots(int b) {
    activate();
    BlockBuffers& bb = blocks_[b];
    if (bb.m.get() || net_.blocks[b].size() == 0) return;
    bb.m.resize(mem_, net_.blocks[b].size(), "Adam m");
    bb.v.resize(mem_, net_.blocks[b].size(), "Adam v");
    bb.m.zero(stream_);
    bb.v.zero(stream_);
    sync();
  }
  bool bf16Adjoints() const { return opt_.adjointPrecision == AdjointPrecision::Bfloat16; }
  size_t adjointBytes() const { return bf16Adjoints() ? sizeof(__nv_bfloat16) : sizeof(float); }
  // Backward steps per pass over the synapses (temporal blocking; the deterministic sums go step by step).
  int passSteps() const { return opt_.deterministic ? 1 : opt_.backwardStepsPerPass; }
  // The most receptor slots of an area: kNeuron and kNeuronAdj are instantiated up to it (bySlots).
  int maxSlots() const {
    int R = 1;
    for (const auto& ar : net_.areas) R = std::max(R, ar.slots);
    return R;
  }
  // Where the fast pull adds the weight gradients in its own walk (AreaDev::pullGrad; one spike bit per batch
  // element, so up to a warp's lanes): the pieces (B 3–32) and every lane-group pull (B ≤ 2), which has no other
  // walk for them; the deterministic mode and larger batches walk the spiking rows again.
  bool pullGradients() const { return !opt_.deterministic && opt_.batch <= 32; }
  bool blockActive(const CompiledBlock& blk) const {
    switch (blk.kind) {
      case BlockKind::Recurrent: return opt_.connectRecurrent;
      case BlockKind::Interarea: return opt_.connectAreas;
      case BlockKind::Lgn: return lgnKind_ != LgnInputKind::None;
      case BlockKind::Bkg: return opt_.connectNoise;
    }
    return false;
  }
  NetDev deviceView() const;
  void buildGather();
  void buildBkgLists();
  // LGN input of one forward call: caller memory → pinned staging slot → device, chunk by chunk of steps.
  struct LgnUpload {
    const uint8_t* host = nullptr;
    uint8_t* device = nullptr;
    size_t elementBytes = 0;
    // Chunk c: steps [chunkStart[c], chunkStart[c + 1]); the first short (kFirstLgnChunkSteps, then doubling), so that
    // the first steps wait on a small copy (W1: 8 steps, 0.56 MB), the rest as many steps as kStagingChunkBytes holds
    // (W1: 14), but kFirstLgnChunkSteps where those fit kMaxStagingChunkBytes (W2: 8 steps, 3.3 MB; fewer copies).
    std::vector<int> chunkStart;
    int chunks() const { return static_cast<int>(chunkStart.size()) - 1; }
    bool checkRange = false;  // probabilities or analog input: each value in [0, 1], checked as it is copied
    size_t size = 0;          // values of the whole input
  };
  void ensureStaging(size_t bytes) {
    if (stagingBytes_ >= bytes) return;
    releaseStaging();
    for (int k = 0; k < stagingSlots_; ++k) {
      void*& p = staging_[k];
      if (cudaHostAlloc(&p, bytes, cudaHostAllocDefault) != cudaSuccess) {
        cudaGetLastError();
        p = nullptr;
        releaseStaging();
        throw Error("E_OUT_OF_MEMORY", "host", "cannot allocate " + std::to_string(bytes) + " bytes of pinned host memory for the LGN upload");
      }
    }
    stagingBytes_ = bytes;
  }
  void releaseStaging() {
    for (auto& p : staging_) {
      if (p) cudaFreeHost(p);
      p = nullptr;
    }
    stagingBytes_ = 0;
  }
  // The steps of chunk c of every batch element ([b][t][u] layout) into staging slot c mod stagingSlots_, once
  // the upload of the slot's chunk before is done, then an async upload on copyStream_, marked by lgnUploaded_[c].
  void stageLgn(const LgnUpload& lgn, int c, int T) {
    const int slot = c % stagingSlots_, t0 = lgn.chunkStart[c], t1 = lgn.chunkStart[c + 1];
    if (c >= stagingSlots_) check(cudaEventSynchronize(lgnUploaded_[c - stagingSlots_]), "LGN staging");
    const size_t rowBytes = static_cast<size_t>(t1 - t0) * net_.nInputs * lgn.elementBytes;
    uint8_t* st = static_cast<uint8_t*>(staging_[slot]);
    for (int b = 0; b < opt_.batch; ++b) {
      const size_t at = (static_cast<size_t>(b) * T + t0) * net_.nInputs * lgn.elementBytes;
      if (lgn.checkRange) copyCheckedLgn(lgn, st + b * rowBytes, at / sizeof(float), rowBytes / sizeof(float));
      else std::memcpy(st + b * rowBytes, lgn.host + at, rowBytes);
      check(cudaMemcpyAsync(lgn.device + at, st + b * rowBytes, rowBytes, cudaMemcpyHostToDevice, copyStream_), "LGN upload");
    }
    check(cudaEventRecord(lgnUploaded_[c], copyStream_), "cudaEventRecord");
  }

  // Values [from, from + n) of the LGN input into dst, 64 K at a time, each range-checked before its copy (one read
  // from memory, the copy from cache). A value outside [0, 1] fails the forward with Engine::validate's error:
  // the first such value of the whole input, found by scanning it from its start.
  static void copyCheckedLgn(const LgnUpload& lgn, uint8_t* dst, size_t from, size_t n) {
    const float* src = reinterpret_cast<const float*>(lgn.host) + from;
    constexpr size_t kPart = 1 << 16;
    for (size_t k = 0; k < n; k += kPart) {
      const size_t m = std::min(kPart, n - k);
      if (firstOutsideUnit(src + k, m) < m) {
        const float* all = reinterpret_cast<const float*>(lgn.host);
        const size_t first = firstOutsideUnit(all, lgn.size);
        throw lgnProbabilityOutOfRange(first, all[first]);
      }
      std::memcpy(dst + k * sizeof(float), src + k, m * sizeof(float));
    }
  }

  CompiledNetwork net_;  // the layout; the current weights live on the device (net_.blocks[].weight is the initial copy)
  EngineOptions opt_;
  int device_ = 0, smCount_ = 1;
  cudaStream_t stream_ = nullptr;
  mutable DeviceMemory mem_;
  std::vector<AreaBuffers> areas_;
  std::vector<BlockBuffers> blocks_;
  DeviceBuffer<float> lgnProbability_;
  DeviceBuffer<int32_t> lgnUnitOfSynapse_;  // NetDev::lgnUnitOfSynapse
  DeviceBuffer<uint8_t> lgnSpikes_;
  // dL/dI of every area in one allocation (float or bfloat16) of dIElems_ elements, area a from element
  // dIBase_[a] (set in the constructor).
  DeviceBuffer<uint8_t> dI_;
  std::vector<int64_t> dIBase_;
  int64_t dIElems_ = 0;
  bool pullRowsBuilt_ = false;
  void preparePullRows(NetDev& d);
  void setPullItems(NetDev& d) const;
  // The input accumulators of every area in one allocation: area a from element IBase_[a] (a multiple of 4,
  // for kNeuron's vector loads) of each batch element's slab of inputStride_ floats.
  DeviceBuffer<float> I_;
  std::vector<int64_t> IBase_;
  // Per area, the delayed blocks whose source it is, in block order (AreaDev::outBlock); per block, its index
  // there (BlockDev::outIndex, −1 for undelayed blocks). Fixed by the network: built once in the constructor.
  std::vector<std::vector<int>> outBlocks_;
  std::vector<int> outIndex_;
  int inputStride_ = 0;
  // The forward's steps keep I in the L2 set-aside (an access-policy window on the compute stream): they are
  // the push's atomic targets, and the push's synapse rows stream past them (F −6 %, docs/perf-notes.md
  // v11). After the steps the window closes and its lines become normal again, but the set-aside stays reserved (v31:
  // twice the bytes cost W2's backward and update 1.3 ms).
  size_t inputWindowBytes_ = 0;
  float inputHitRatio_ = 0.0f;
  void persistInputs(bool on) noexcept {
    if (inputHitRatio_ <= 0.0f) return;
    cudaStreamAttrValue attr{};
    if (on) {
      attr.accessPolicyWindow.base_ptr = I_.get();
      attr.accessPolicyWindow.num_bytes = inputWindowBytes_;
      attr.accessPolicyWindow.hitRatio = inputHitRatio_;
      attr.accessPolicyWindow.hitProp = cudaAccessPropertyPersisting;
      attr.accessPolicyWindow.missProp = cudaAccessPropertyStreaming;
    }
    cudaStreamSetAttribute(stream_, cudaStreamAttributeAccessPolicyWindow, &attr);
    if (pushStream_) cudaStreamSetAttribute(pushStream_, cudaStreamAttributeAccessPolicyWindow, &attr);
    if (!on) cudaCtxResetPersistingL2Cache();
    cudaGetLastError();  // a refused hint changes speed, not results
  }
  // LGN staging: stagingSlots_ pinned slots of ≥ kStagingChunkBytes, one helper thread each; lgnUploaded_[c] marks
  // chunk c's upload (events kept from call to call). Batches of 1–2 take eight helpers: W1's steps of 3.7 µs read 19 GB/s
  // of probabilities, and with four they waited 0.6–1 ms per call at the segments' starts (H200, docs/perf-notes.md
  // v28); larger batches, whose steps outlast the copies, keep three: eight cost F 5 % (v26).
  static constexpr int kMaxStagingSlots = 8;
  int stagingSlots_ = 3;
  static constexpr size_t kStagingChunkBytes = size_t{1} << 20, kMaxStagingChunkBytes = size_t{4} << 20;
  static constexpr int kFirstLgnChunkSteps = 8;
  void* staging_[kMaxStagingSlots] = {};
  size_t stagingBytes_ = 0;
  cudaStream_t copyStream_ = nullptr;
  std::vector<cudaEvent_t> lgnUploaded_;
  int neuronGridX_ = 0;
  // The LGN and BKG sums of each segment's steps computed ahead on extStream_ (kExternalBkg, kExternalLgn), two
  // segments' worth in ext_: fast mode, batches of 1–2, while they fit kMaxInputsAheadBytes (V1LM_INPUTS_AHEAD=0
  // turns it off).
  bool inputsAhead_ = false;
  // The steps' kernels of batches of 1–2 (fast mode) launched as programmatic dependent launches, each overlapping
  // the one before it (waitForPreviousKernel; V1LM_OVERLAP_LAUNCHES=0 at the engine's creation turns it off).
  bool overlapLaunches_ = false;
  // With the inputs ahead, one kernel a step (kStep) instead of kPush and kNeuron (V1LM_FUSED_STEPS=0 at the
  // engine's creation turns it off): two input accumulators, and three segments of sums ahead, since kStep(t0)
  // reads those of step t0 − 1.
  bool fusedSteps_ = false;
  int aheadSegments() const { return fusedSteps_ ? 3 : 2; }
  // Steps whose input accumulators I holds at once: two with the fused steps or the split push (step t's at
  // inputsAtStep(t), the next step's pushed beside the update of this one), else one.
  int inputSteps() const { return fusedSteps_ || splitPush_ ? 2 : 1; }
  // Batches of 3 or more (fast mode): kPush(t) split in two (kPushLater, kPushDelay1). The rows of delays ≥ 2 and the
  // LGN rows of step t need only the lists of steps ≤ t − 2, so they run on pushStream_ beside kNeuron(t − 1) (after
  // kNeuron(t − 2): laterDone_ / neuronDone_), into the other of two input accumulators; after kNeuron(t − 1) only the
  // rows of delay 1 remain. V1LM_SPLIT_PUSH=0 at the engine's creation turns it off.
  bool splitPush_ = false;
  cudaStream_t pushStream_ = nullptr;
  cudaEvent_t laterDone_[2] = {}, neuronDone_[4] = {}, pushFork_ = nullptr;
  // std::array: an initializer_list's array would not outlive the return (v31's mend: garbage event handles).
  std::array<cudaEvent_t*, 7> splitPushEvents() { return {&laterDone_[0], &laterDone_[1], &neuronDone_[0], &neuronDone_[1], &neuronDone_[2], &neuronDone_[3], &pushFork_}; }
  DeviceBuffer<float> ext_;
  cudaStream_t extStream_ = nullptr;
  cudaEvent_t extDone_[3] = {}, stepsDone_[3] = {};
  // Recorded on stream_ after what a forward queues before its steps (the trial number, given BKG counts, the BKG
  // weights of kBkgWeights); extStream_ waits for it before the call's first sums.
  cudaEvent_t forwardQueued_ = nullptr;
  const float* sumInputsAhead(const NetDev& d, int t0, int t1, int segment, bool lgn);
  int bkgChunks_ = 1;  // kBkgChunk-synapse pieces of the longest BKG row
  mutable PhaseTimer timer_;
  StepGraphs forwardGraphs_, backwardGraphs_;
  PinnedDownloads downloads_;
  HelperThreads helpers_;  // the forward's LGN stagers, raster copier and download copies
  // Rasters come down chunk by chunk of steps on downloadStream_ while later steps run (docs/perf-notes.md v6):
  // rasterEvents_[2c] marks chunk c computed, [2c + 1] downloaded into rasterPinned_.
  PinnedBuffer rasterPinned_;
  cudaStream_t downloadStream_ = nullptr;
  std::vector<cudaEvent_t> rasterEvents_;
  static constexpr int kGraphSteps = 50;  // steps per captured segment
  std::vector<int> gridOffset_;
  // The last forward.
  int steps_ = 0, tapeSteps_ = 0;
  uint32_t trial_ = 0;
  DeviceBuffer<uint32_t> trialDevice_;  // trial_ for the kernels (NetDev::trial), uploaded by forward
  PinnedBuffer trialPinned_;
  LgnInputKind lgnKind_ = LgnInputKind::None;
  BinSpec bins_;
  std::vector<TraceSubsets> traces_;
  std::vector<bool> bkgGiven_;
};

CudaBackend::CudaBackend(const CompiledNetwork& net, const EngineOptions& options) : net_(net), opt_(options) {
  if (net_.areas.size() > static_cast<size_t>(kMaxAreas) || net_.blocks.size() > static_cast<size_t>(kMaxBlocks))
    throw badNetwork("network", "the CUDA backend supports up to " + std::to_string(kMaxAreas) + " areas and " +
                                    std::to_string(kMaxBlocks) + " blocks; use backend 'cpu'");
  int delayedBlocks = 0;
  for (const auto& b : net_.blocks) delayedBlocks += b.delayed();
  if (delayedBlocks * net_.maxDelay > kMaxPushEntries)
    throw badArgument("options.maxDelay", "delayed blocks × maxDelay must stay ≤ " + std::to_string(kMaxPushEntries) + " on the CUDA backend");
  activate();
  cudaDeviceProp prop{};
  check(cudaGetDeviceProperties(&prop, device_), "cudaGetDeviceProperties");
  smCount_ = prop.multiProcessorCount;
  check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate");
  check(cudaStreamCreateWithFlags(&copyStream_, cudaStreamNonBlocking), "cudaStreamCreate");
  check(cudaStreamCreateWithFlags(&downloadStream_, cudaStreamNonBlocking), "cudaStreamCreate");
  const int B = opt_.batch, D = net_.maxDelay;
  stagingSlots_ = B <= 2 ? kMaxStagingSlots : 3;
  areas_.resize(net_.areas.size());
  blocks_.resize(net_.blocks.size());
  for (size_t a = 0; a < net_.areas.size(); ++a) {
    const CompiledArea& ar = net_.areas[a];
    AreaBuffers& ab = areas_[a];
    const size_t n = ar.n, nR = n * ar.slots;
    ab.typeConsts.resize(mem_, ar.typeConsts.size(), "neuron constants");
    ab.typeConsts.upload(ar.typeConsts.data(), ar.typeConsts.size(), stream_);
    ab.typeIndex.resize(mem_, n, "node type index");
    ab.typeIndex.upload(ar.typeIndex.data(), n, stream_);
    ab.slotConsts.resize(mem_, nR, "slot constants");
    ab.slotConsts.upload(ar.slotConsts.data(), nR, stream_);
    ab.v.resize(mem_, B * n, "v");
    {  // the zero state's v (SPEC §2.3: v_reset of the neuron's type), copied into v by every call without a state
      std::vector<float> v0(static_cast<size_t>(B) * n);
      for (int b = 0; b < B; ++b)
        for (size_t i = 0; i < n; ++i) v0[b * n + i] = ar.typeConsts[ar.typeIndex[i]].vReset;
      ab.vReset.resize(mem_, v0.size(), "initial voltages");
      ab.vReset.upload(v0.data(), v0.size(), stream_);  // (pageable: copied before the call returns)
    }
    ab.r.resize(mem_, B * n, "r");
    ab.asc.resize(mem_, 2 * B * n, "asc");
    ab.rise.resize(mem_, B * nR, "psc_rise");
    ab.psc.resize(mem_, B * nR, "psc");
    ab.vreg.resize(mem_, B * ((n + 31) / 32), "voltage regularizer");
    if (!opt_.deterministic) {
      ab.spikeList.resize(mem_, static_cast<size_t>(D + 3) * B * n, "spike lists");
      ab.spikeCount.resize(mem_, D + 3, "spike counts");
    }
    gridOffset_.push_back(neuronGridX_);
    neuronGridX_ += static_cast<int>((n + kThreads - 1) / kThreads);
  }
  trialDevice_.resize(mem_, 1, "trial number");
  for (size_t b = 0; b < net_.blocks.size(); ++b) {
    const CompiledBlock& blk = net_.blocks[b];
    BlockBuffers& bb = blocks_[b];
    bb.rowStart.resize(mem_, blk.rowStart.size(), "row starts");
    bb.rowStart.upload(blk.rowStart.data(), blk.rowStart.size(), stream_);
    bb.postRow.resize(mem_, blk.size(), "post rows");
    bb.postRow.upload(blk.postRow.data(), blk.size(), stream_);
    bb.weight.resize(mem_, blk.size(), "weights");
    bb.weight.upload(blk.weight.data(), blk.size(), stream_);
    bb.positive.resize(mem_, blk.size(), "weight signs");
    bb.positive.upload(blk.positive.data(), blk.size(), stream_);
    bb.grad.resize(mem_, blk.size(), "gradients");
    bb.grad.zero(stream_);
    if (blk.kind == BlockKind::Bkg)
      for (int r = 0; r < blk.nRows; ++r)
        bkgChunks_ = std::max<int>(bkgChunks_, static_cast<int>((blk.rowStart[r + 1] - blk.rowStart[r] + kBkgChunk - 1) / kBkgChunk));
  }
  if (net_.lgnBlock >= 0 && net_.blocks[net_.lgnBlock].size() > 0 && opt_.batch <= kLgnChunkBatches) {  // lgnGradientsByChunks
    const CompiledBlock& lgn = net_.blocks[net_.lgnBlock];
    std::vector<int32_t> unit(lgn.size());
    for (int u = 0; u < lgn.nRows; ++u) std::fill(unit.begin() + lgn.rowStart[u], unit.begin() + lgn.rowStart[u + 1], u);
    lgnUnitOfSynapse_.resize(mem_, unit.size(), "LGN units of the synapses");
    lgnUnitOfSynapse_.upload(unit.data(), unit.size(), stream_);  // (pageable: copied before the call returns)
  }
  IBase_.assign(net_.areas.size(), 0);
  int64_t inputs = 0;
  for (size_t a = 0; a < net_.areas.size(); ++a) IBase_[a] = inputs, inputs += (static_cast<int64_t>(net_.areas[a].n) * net_.areas[a].slots + 3) / 4 * 4;
  if (inputs > 0x7fffffff) throw badNetwork("network", "too many neurons for the CUDA backend's 32-bit input offsets");
  inputStride_ = static_cast<int>(inputs);
  const size_t aheadFloats = 3 * static_cast<size_t>(kGraphSteps) * B * inputStride_;  // the most aheadSegments() asks
  inputsAhead_ = !opt_.deterministic && B <= 2 && aheadFloats * sizeof(float) <= kMaxInputsAheadBytes && net_.nBkgSources <= kMaxBkgSourcesAhead &&
                 !switchedOff("V1LM_INPUTS_AHEAD");
  outBlocks_.assign(net_.areas.size(), {});
  outIndex_.assign(net_.blocks.size(), -1);
  for (size_t b = 0; b < net_.blocks.size(); ++b) {
    if (!net_.blocks[b].delayed()) continue;
    std::vector<int>& out = outBlocks_[net_.blocks[b].source];
    outIndex_[b] = static_cast<int>(out.size());
    out.push_back(static_cast<int>(b));
  }
  // kStep's lists carry the bounds of their spikes' delay-1 rows (AreaDev::spikeRows1): ≤ kMaxAreas delayed blocks
  // from each area, with 32-bit synapse offsets.
  bool rowsFit = true;
  for (const std::vector<int>& out : outBlocks_) {
    rowsFit = rowsFit && out.size() <= static_cast<size_t>(kMaxAreas);
    for (int bk : out) rowsFit = rowsFit && net_.blocks[bk].size() <= INT32_MAX;
  }
  fusedSteps_ = inputsAhead_ && rowsFit && !switchedOff("V1LM_FUSED_STEPS");
  for (size_t a = 0; fusedSteps_ && a < net_.areas.size(); ++a) {
    areas_[a].spikeRows1.resize(mem_, areas_[a].spikeList.size() * outBlocks_[a].size(), "spike rows of delay 1");
    areas_[a].spikeTag.resize(mem_, areas_[a].spikeList.size(), "spike list tags");
  }
  splitPush_ = !opt_.deterministic && B >= 3 && !inputsAhead_ && !switchedOff("V1LM_SPLIT_PUSH");
  I_.resize(mem_, static_cast<size_t>(inputSteps()) * B * inputs, "input currents");
  // L2 set-aside for the input accumulators (persistInputs): never below what another engine of the process set. The
  // set-aside stays L2 that the backward and the optimizer lose (v31, H200: W2's backward + update 116.5 → 117.8 ms with
  // the split push's two accumulators set aside, 17.3 MB, instead of one; the full column with its 36.4 MB set aside ran
  // its backward in 347 ms, against v29's 237), so two steps' accumulators are set aside together only while they take
  // at most half of L2 (F: 28.8 MB of 60, its forward 348.5 → 320 ms with both), else one step's worth (hit ratio 1/2).
  inputWindowBytes_ = std::min<size_t>(I_.size() * sizeof(float), static_cast<size_t>(prop.accessPolicyMaxWindowSize));
  size_t setAside = 0;
  if (inputWindowBytes_ > 0 && prop.persistingL2CacheMaxSize > 0 && cudaDeviceGetLimit(&setAside, cudaLimitPersistingL2CacheSize) == cudaSuccess) {
    const bool halve = inputSteps() == 2 && inputWindowBytes_ > static_cast<size_t>(prop.l2CacheSize) / 2;
    const size_t want = std::min<size_t>(halve ? inputWindowBytes_ / 2 : inputWindowBytes_, static_cast<size_t>(prop.persistingL2CacheMaxSize));
    if (setAside < want && cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, want) == cudaSuccess) setAside = want;
  }
  cudaGetLastError();  // MIG and MPS refuse the set-aside: the window then stays off
  inputHitRatio_ = inputWindowBytes_ > 0 ? std::min(1.0f, static_cast<float>(setAside) / static_cast<float>(inputWindowBytes_)) : 0.0f;
  // dI's layout (dIRowSteps(G) steps of dIStride(B) per post row, G of them used) is fixed by the options; its memory waits for a backward.
  const size_t dIRowElems = static_cast<size_t>(dIRowSteps(passSteps())) * dIStride(B);
  dIBase_.assign(net_.areas.size(), 0);
  for (size_t a = 0; a < net_.areas.size(); ++a) dIBase_[a] = dIElems_, dIElems_ += static_cast<int64_t>(dIRowElems) * net_.areas[a].n * net_.areas[a].slots;
  if (opt_.deterministic) buildGather();
  else buildBkgLists();
  overlapLaunches_ = !opt_.deterministic && B <= 2 && !switchedOff("V1LM_OVERLAP_LAUNCHES");
  if (inputsAhead_) {
    ext_.resize(mem_, static_cast<size_t>(aheadSegments()) * kGraphSteps * B * inputStride_, "LGN and BKG inputs ahead");
    check(cudaStreamCreateWithFlags(&extStream_, cudaStreamNonBlocking), "cudaStreamCreate");
    for (int k = 0; k < aheadSegments(); ++k) {
      check(cudaEventCreateWithFlags(&extDone_[k], cudaEventDisableTiming), "cudaEventCreate");
      check(cudaEventCreateWithFlags(&stepsDone_[k], cudaEventDisableTiming), "cudaEventCreate");
    }
    check(cudaEventCreateWithFlags(&forwardQueued_, cudaEventDisableTiming), "cudaEventCreate");
  }
  if (splitPush_) {
    check(cudaStreamCreateWithFlags(&pushStream_, cudaStreamNonBlocking), "cudaStreamCreate");
    for (cudaEvent_t* e : splitPushEvents()) check(cudaEventCreateWithFlags(e, cudaEventDisableTiming), "cudaEventCreate");
  }
  sync();
}

// The LGN and BKG sums of segment `segment` = steps [t0, t1) on extStream_, into part segment % aheadSegments() of
// ext_: after the steps that read that part before are done with it (and after the uploads of the LGN chunks and
// the call's setup, forwardQueued_, that the caller made extStream_ wait for); the compute stream waits for them. Issued before the segment's steps, so
// that they run beside the steps of the segment before.
const float* CudaBackend::sumInputsAhead(const NetDev& d, int t0, int t1, int segment, bool lgn) {
  const int B = opt_.batch, steps = t1 - t0, part = segment % aheadSegments();
  float* ext = ext_.get() + static_cast<size_t>(part) * kGraphSteps * B * inputStride_;
  // The last segment whose steps read this part: the one that summed into it before, and with fused steps the
  // segment after that (its first step reads the step before).
  const int lastReader = segment - aheadSegments() + (fusedSteps_ ? 1 : 0);
  if (lastReader >= 0) check(cudaStreamWaitEvent(extStream_, stepsDone_[lastReader % aheadSegments()], 0), "cudaStreamWaitEvent");
  kExternalBkg<<<dim3(neuronGridX_, steps * B), kThreads, 0, extStream_>>>(d, t0, ext);
  checkLaunch("kExternalBkg");
  if (lgn) {
    const int warps = steps * B * ((net_.nInputs + 31) / 32);
    kExternalLgn<<<(warps + kWarpsPerBlock - 1) / kWarpsPerBlock, kThreads, 0, extStream_>>>(d, t0, steps, ext);
    checkLaunch("kExternalLgn");
  }
  check(cudaEventRecord(extDone_[part], extStream_), "cudaEventRecord");
  check(cudaStreamWaitEvent(stream_, extDone_[part], 0), "cudaStreamWaitEvent");
  return ext;
}

// The fast pull's rows (AreaDev::pullSyn), built by the first fast-mode backward (their dI
// offsets depend on G and the batch, both fixed for the engine); later backwards refresh only the weights.
void CudaBackend::preparePullRows(NetDev& d) {
  const bool build = !pullRowsBuilt_;
  auto pulled = [&](int bk) { return d.block[bk].active && net_.blocks[bk].delayed(); };
  if (build) {
    if (dI_.size() / adjointBytes() > 0x7fffffffu) throw badNetwork("network", "too many neurons for the CUDA pull's 32-bit adjoint offsets");
    const int D = net_.maxDelay;
    for (size_t o = 0; o < net_.areas.size(); ++o) {
      const size_t rows = static_cast<size_t>(D) * net_.areas[o].n;
      std::vector<int64_t> len(rows, 0);  // synapses of every (d, pre) row
      std::vector<int> reading;  // the pulled blocks reading area o, in block order (as the gradient walk)
      for (int bk = 0; bk < d.nBlocks; ++bk)
        if (pulled(bk) && d.block[bk].source == static_cast<int>(o)) reading.push_back(bk);
      for (int bk : reading)
        for (size_t r = 0; r < rows; ++r) len[r] += net_.blocks[bk].rowStart[r + 1] - net_.blocks[bk].rowStart[r];
      // kPull's items: the rows with synapses, stored in item order. Lane-group rows (B ≤ 2) take them longest
      // first, so that no long row starts last in a pass (W1 backward 13.8 → 13.4 ms, H200, v13); the pieces
      // (B ≥ 3) keep row order, where neighbouring presynaptic neurons share warps (W2 275.6 → 278.6 sorted).
      std::vector<int32_t> kept;
      for (size_t r = 0; r < rows; ++r)
        if (len[r] > 0) kept.push_back(static_cast<int32_t>(r));
      if (opt_.batch <= 2) std::stable_sort(kept.begin(), kept.end(), [&](int32_t x, int32_t y) { return len[x] > len[y]; });
      // The items: the kept rows in order, those of lane-group rows cut into chunks of kPullChunk synapses.
      const int64_t chunk = opt_.batch <= 2 ? kPullChunk : std::numeric_limits<int64_t>::max();
      std::vector<int64_t> at(rows, 0), itemStart{0};  // at: where every row starts in pullSyn
      std::vector<int32_t> itemRow;
      for (int32_t r : kept) {
        at[r] = itemStart.back();
        for (int64_t off = 0; off < len[r]; off += chunk) {
          itemRow.push_back(r);
          itemStart.push_back(itemStart.back() + std::min(chunk, len[r] - off));
        }
      }
      AreaBuffers& ab = areas_[o];
      ab.pullItems = static_cast<int>(itemRow.size());
      ab.pullRow.resize(mem_, std::max<size_t>(1, itemRow.size()), "pull rows");
      ab.pullRow.upload(itemRow.data(), itemRow.size(), stream_);
      ab.pullRowStart.resize(mem_, itemStart.size(), "pull rows");
      ab.pullRowStart.upload(itemStart.data(), itemStart.size(), stream_);
      ab.pullSyn.resize(mem_, itemStart.back() + kPullRowPadding, "pull rows");
      ab.pullSyn.zero(stream_);
      if (pullGradients()) ab.pullGrad.resize(mem_, std::max<int64_t>(1, itemStart.back()), "pull gradients");
      for (int bk : reading) {  // each block's segment of a row follows those before it
        const std::vector<int64_t>& rs = net_.blocks[bk].rowStart;
        blocks_[bk].pullStart.resize(mem_, rows, "pull rows");
        blocks_[bk].pullStart.upload(at.data(), rows, stream_);
        sync();  // `at` moves on to the next block
        for (size_t r = 0; r < rows; ++r) at[r] += rs[r + 1] - rs[r];
      }
      sync();  // the host vectors go out of scope
    }
    pullRowsBuilt_ = true;
    setPullItems(d);
  }
  for (int bk = 0; bk < d.nBlocks; ++bk) {
    if (!pulled(bk)) continue;
    const BlockDev& X = d.block[bk];
    kPullRows<<<(X.nRows + kWarpsPerBlock - 1) / kWarpsPerBlock, kThreads, 0, stream_>>>(d, bk, blocks_[bk].pullStart.get(), areas_[X.source].pullSyn.get(), dIBase_[X.target], build);
    checkLaunch("kPullRows");
  }
}

// kPull's items of each area: the fast pull's rows with synapses once built, otherwise every (d, pre) row.
void CudaBackend::setPullItems(NetDev& d) const {
  for (int a = 0; a < d.nAreas; ++a) {
    const AreaBuffers& ab = areas_[a];
    AreaDev& A = d.area[a];
    A.pullRow = pullRowsBuilt_ ? ab.pullRow.get() : nullptr;
    A.pullRowStart = ab.pullRowStart.get(), A.pullSyn = ab.pullSyn.get();
    A.pullGrad = pullRowsBuilt_ ? ab.pullGrad.get() : nullptr;  // null in the deterministic mode and for B > 32: never allocated
    d.pullItemStart[a + 1] = d.pullItemStart[a] + (pullRowsBuilt_ ? ab.pullItems : d.D * net_.areas[a].n);
  }
}

// Fast mode: the incoming BKG synapses of every neuron in (k, synapse) order, tagged k·4 + slot, width W = the
// largest in-degree per neuron (the built networks: exactly 4 each), padded with (0, 0); kNeuron gathers them
// with the step's counts (their weights are refreshed at each forward call, kBkgWeights).
void CudaBackend::buildBkgLists() {
  for (size_t a = 0; a < net_.areas.size(); ++a) {
    const int bk = net_.bkgBlockOfArea[a];
    if (bk < 0 || net_.blocks[bk].size() == 0) continue;
    const CompiledBlock& blk = net_.blocks[bk];
    const int n = net_.areas[a].n, R = net_.areas[a].slots;
    std::vector<int32_t> degree(n, 0);
    for (int32_t p : blk.postRow) degree[p / R]++;
    const int W = *std::max_element(degree.begin(), degree.end());
    std::vector<int32_t> syn(static_cast<size_t>(n) * W, -1);
    std::vector<float2> in(static_cast<size_t>(n) * W, make_float2(0.0f, 0.0f));
    std::vector<int32_t> fill(n);
    for (int i = 0; i < n; ++i) fill[i] = i * W;
    for (int k = 0; k < blk.nRows; ++k)
      for (int64_t s = blk.rowStart[k]; s < blk.rowStart[k + 1]; ++s) {
        const int32_t q = fill[blk.postRow[s] / R]++;
        const int32_t tag = k * 4 + blk.postRow[s] % R;
        float tagBits;
        std::memcpy(&tagBits, &tag, sizeof tag);
        syn[q] = static_cast<int32_t>(s), in[q] = make_float2(0.0f, tagBits);
      }
    AreaBuffers& ab = areas_[a];
    ab.bkgWidth = W;
    ab.bkgInSyn.resize(mem_, syn.size(), "BKG in-list synapses");
    ab.bkgInSyn.upload(syn.data(), syn.size(), stream_);
    ab.bkgIn.resize(mem_, in.size(), "BKG in-lists");
    ab.bkgIn.upload(in.data(), in.size(), stream_);
    ab.bkgStep.resize(mem_, static_cast<size_t>(opt_.batch) * net_.nBkgSources, "BKG counts of a step");
    sync();  // the host vectors go out of scope
  }
}

// Deterministic mode: for every post row, its incoming synapses of every block in (block, synapse) order,
// which is the order the CPU reference adds them in (SPEC §3.5).
void CudaBackend::buildGather() {
  for (size_t a = 0; a < net_.areas.size(); ++a) {
    const size_t nR = static_cast<size_t>(net_.areas[a].n) * net_.areas[a].slots;
    std::vector<int64_t> start(nR + 1, 0);
    for (const auto& blk : net_.blocks)
      if (blk.target == static_cast<int>(a))
        for (int32_t p : blk.postRow) start[p + 1]++;
    for (size_t p = 0; p < nR; ++p) start[p + 1] += start[p];
    const size_t total = start[nR];
    if (total > 0x7fffffffu) throw badArgument("options.deterministic", "too many synapses for the deterministic gather");
    std::vector<int32_t> syn(total), row(total);
    std::vector<uint8_t> blockOf(total);
    std::vector<int64_t> fill(start.begin(), start.end() - 1);
    for (size_t bk = 0; bk < net_.blocks.size(); ++bk) {
      const CompiledBlock& blk = net_.blocks[bk];
      if (blk.target != static_cast<int>(a)) continue;
      for (int r = 0; r < blk.nRows; ++r)
        for (int64_t s = blk.rowStart[r]; s < blk.rowStart[r + 1]; ++s) {
          const int64_t q = fill[blk.postRow[s]]++;
          syn[q] = static_cast<int32_t>(s), row[q] = r, blockOf[q] = static_cast<uint8_t>(bk);
        }
    }
    AreaBuffers& ab = areas_[a];
    ab.inStart.resize(mem_, nR + 1, "gather starts");
    ab.inStart.upload(start.data(), nR + 1, stream_);
    ab.inSyn.resize(mem_, total, "gather synapses");
    ab.inSyn.upload(syn.data(), total, stream_);
    ab.inRow.resize(mem_, total, "gather rows");
    ab.inRow.upload(row.data(), total, stream_);
    ab.inBlock.resize(mem_, total, "gather blocks");
    ab.inBlock.upload(blockOf.data(), total, stream_);
    sync();  // the host vectors go out of scope
  }
}

NetDev CudaBackend::deviceView() const {
  // Zero bytes throughout, padding included: the step graphs compare the view's bytes (graphKey).
  NetDev d;
  static_assert(std::is_trivially_copyable_v<NetDev>);
  std::memset(&d, 0, sizeof d);
  d.nAreas = static_cast<int>(net_.areas.size());
  d.nBlocks = static_cast<int>(net_.blocks.size());
  d.B = opt_.batch;
  d.T = steps_;
  d.D = net_.maxDelay;
  d.dIStride = dIStride(opt_.batch);
  d.passSteps = passSteps();
  d.dIAll = dI_.get();
  d.inputStride = inputStride_;
  d.oddStepInputs = inputSteps() == 2 ? static_cast<int64_t>(opt_.batch) * inputStride_ : 0;
  setPullItems(d);
  for (int a = 0; a < d.nAreas; ++a) {
    const AreaBuffers& ab = areas_[a];
    AreaDev& A = d.area[a];
    A.n = net_.areas[a].n;
    A.R = net_.areas[a].slots;
    A.words = (A.n + 31) / 32;
    A.gridOffset = gridOffset_[a];
    A.typeConsts = ab.typeConsts.get();
    A.typeIndex = ab.typeIndex.get();
    A.slotConsts = ab.slotConsts.get();
    A.v = ab.v.get(), A.r = ab.r.get(), A.asc = ab.asc.get(), A.rise = ab.rise.get(), A.psc = ab.psc.get();
    A.I = I_.get() + IBase_[a];
    A.z = ab.z.get(), A.refr = ab.refr.get(), A.vtape = ab.vtape.get();
    A.raster = ab.raster.get(), A.counts = ab.counts.get(), A.vreg = ab.vreg.get();
    A.spikeList = ab.spikeList.get(), A.spikeCount = ab.spikeCount.get();
    A.spikeRows1 = ab.spikeRows1.get(), A.spikeTag = ab.spikeTag.get();
    A.nOut = static_cast<int>(std::min<size_t>(outBlocks_[a].size(), kMaxAreas));
    for (int o = 0; o < A.nOut; ++o) A.outBlock[o] = outBlocks_[a][o];
    A.inStart = ab.inStart.get(), A.inSyn = ab.inSyn.get(), A.inRow = ab.inRow.get(), A.inBlock = ab.inBlock.get();
    A.lv = ab.lv.get(), A.lasc = ab.lasc.get(), A.lpsc = ab.lpsc.get(), A.lrise = ab.lrise.get(), A.lcarry = ab.lcarry.get();
    A.dI = dI_.get() ? dI_.get() + dIBase_[a] * adjointBytes() : nullptr;
    A.pending = ab.pending.get();
    A.live = ab.live.get();
    A.bkgGiven = a < static_cast<int>(bkgGiven_.size()) && bkgGiven_[a] ? ab.bkgGiven.get() : nullptr;
    const bool bkgActive = net_.bkgBlockOfArea[a] >= 0 && blockActive(net_.blocks[net_.bkgBlockOfArea[a]]);
    A.bkgIn = bkgActive ? ab.bkgIn.get() : nullptr;
    A.bkgWidth = ab.bkgWidth;
    A.bkgStep = ab.bkgStep.get();
    d.bkgBlock[a] = net_.bkgBlockOfArea[a];
  }
  for (int b = 0; b < d.nBlocks; ++b) {
    const CompiledBlock& blk = net_.blocks[b];
    BlockDev& X = d.block[b];
    X.kind = static_cast<int>(blk.kind);
    X.target = blk.target, X.source = blk.source, X.nPre = blk.nPre, X.nRows = blk.nRows;
    X.active = blockActive(blk) && blk.size() > 0;
    X.outIndex = outIndex_[b];
    X.trainable = false;
    X.rowStart = blocks_[b].rowStart.get();
    X.postRow = blocks_[b].postRow.get();
    X.weight = blocks_[b].weight.get();
    X.grad = nullptr;
  }
  d.lgnBlock = net_.lgnBlock;
  d.nInputs = net_.nInputs;
  d.lgnUnitOfSynapse = lgnUnitOfSynapse_.get();
  d.lgnSynapses = static_cast<int64_t>(lgnUnitOfSynapse_.size());
  d.nBkg = net_.nBkgSources;
  d.lgnKind = static_cast<int>(lgnKind_);
  d.lgnProbability = lgnProbability_.get();
  d.lgnSpikes = lgnSpikes_.get();
  d.seed = opt_.seed;
  d.trial = trialDevice_.get();
  d.lrScale = opt_.lrScale;
  d.rho = opt_.recurrentDampening;
  d.hardReset = opt_.hardReset;
  d.deterministic = opt_.deterministic;
  d.surrogate = opt_.surrogate;
  d.binStart = bins_.start, d.binSize = bins_.size, d.binCount = bins_.count;
  return d;
}

void CudaBackend::forward(const ForwardRequest& req, ForwardResult& out) {
  activate();
  timer_.begin(stream_);
  const int B = opt_.batch, T = req.steps, D = net_.maxDelay;
  const int nA = static_cast<int>(net_.areas.size());
  steps_ = T;
  tapeSteps_ = 0;
  trial_ = req.trial;
  // The kernels read the trial number from device memory (NetDev::trial). The previous call synced its stream
  // before returning, so its copy from the pinned slot is done.
  uint8_t* trialHost = trialPinned_.ensure(sizeof(uint32_t), "the trial number");
  std::memcpy(trialHost, &trial_, sizeof(uint32_t));
  check(cudaMemcpyAsync(trialDevice_.get(), trialHost, sizeof(uint32_t), cudaMemcpyHostToDevice, stream_), "trial upload");
  lgnKind_ = req.lgnKind;
  bins_ = req.bins;
  traces_ = req.traces;
  // The LGN input goes up in chunks of steps through pinned staging on copyStream_, overlapped with the
  // steps before it (stageLgn); the device buffer is kept from call to call when its size stays.
  const size_t lgnSize = static_cast<size_t>(B) * T * net_.nInputs;
  LgnUpload lgn;
  if (req.lgnKind == LgnInputKind::Probability || req.lgnKind == LgnInputKind::Current) {
    lgnSpikes_.reset();
    lgnProbability_.resize(mem_, lgnSize, "LGN input");
    lgn.host = reinterpret_cast<const uint8_t*>(req.lgnProbability.data()), lgn.device = reinterpret_cast<uint8_t*>(lgnProbability_.get());
    lgn.elementBytes = sizeof(float);
    lgn.checkRange = true, lgn.size = lgnSize;
  } else if (req.lgnKind == LgnInputKind::Spikes) {
    lgnProbability_.reset();
    lgnSpikes_.resize(mem_, lgnSize, "LGN spikes");
    lgn.host = req.lgnSpikes.data(), lgn.device = lgnSpikes_.get(), lgn.elementBytes = sizeof(uint8_t);
  } else {
    lgnProbability_.reset();
    lgnSpikes_.reset();
  }
  if (lgn.device && lgnSize > 0) {
    const size_t stepBytes = static_cast<size_t>(B) * net_.nInputs * lgn.elementBytes;
    const size_t fit = std::max<size_t>({1, kStagingChunkBytes / stepBytes, std::min<size_t>(kFirstLgnChunkSteps, kMaxStagingChunkBytes / stepBytes)});
    lgn.chunkStart = {0};
    for (int c = 0; lgn.chunkStart.back() < T; ++c)
      lgn.chunkStart.push_back(std::min(T, lgn.chunkStart.back() + std::min(static_cast<int>(fit), kFirstLgnChunkSteps << std::min(c, 20))));
    ensureStaging(fit * stepBytes);
    while (lgnUploaded_.size() < static_cast<size_t>(lgn.chunks())) {
      cudaEvent_t e;
      check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cudaEventCreate");
      lgnUploaded_.push_back(e);
    }
  } else {
    lgn.device = nullptr;
    lgn.chunkStart = {0, T};  // one chunk of all steps, nothing to wait for
  }
  // Helper threads stage the LGN chunks (host copies into pinned memory, async uploads) from the call's start, beside
  // the setup below and then beside the steps, one per staging slot: thread p stages chunks p, p + stagingSlots_, …,
  // so that the copies of the short first chunks run side by side and keep ahead of the steps (W1: 35 MB of
  // probabilities per trial, ≈ 5 GB/s per thread; the steps had waited 1.2–1.4 ms on 3 threads started after the
  // setup, docs/perf-notes.md v26). The steps of a segment wait for every chunk they read.
  std::mutex stagedMutex;
  std::condition_variable stagedChanged;
  std::vector<char> staged(lgn.device ? lgn.chunks() : 0, 0);
  bool stageFailed = false;
  std::exception_ptr stageError;
  std::vector<std::future<void>> stagers;
  // A call that throws before its steps have read every chunk stops the helpers at their next chunk.
  struct Joiner {
    std::vector<std::future<void>>& tasks;
    std::atomic<bool> stop{false};
    void join() {
      for (auto& t : tasks)
        if (t.valid()) t.wait();
    }
    ~Joiner() {
      stop = true;
      join();
    }
  } stagersJoined{stagers};
  if (lgn.device)
    for (int p = 0; p < std::min(stagingSlots_, lgn.chunks()); ++p)
      stagers.push_back(helpers_.run([&, p] {
        try {
          activate();
          for (int c = p; c < lgn.chunks() && !stagersJoined.stop; c += stagingSlots_) {
            stageLgn(lgn, c, T);
            std::lock_guard<std::mutex> lock(stagedMutex);
            staged[c] = 1;
            stagedChanged.notify_one();
          }
        } catch (...) {
          std::lock_guard<std::mutex> lock(stagedMutex);
          if (!stageFailed) stageError = std::current_exception();
          stageFailed = true;
          stagedChanged.notify_one();
        }
      }));
  timer_.host("LGN chunks, stagers started");
  I_.zero(stream_);
  bkgGiven_.assign(nA, false);
  out.areas.assign(nA, AreaObservables{});
  for (int a = 0; a < nA; ++a) {
    const CompiledArea& ar = net_.areas[a];
    AreaBuffers& ab = areas_[a];
    const size_t n = ar.n, words = (n + 31) / 32;
    if (a < static_cast<int>(req.bkgCounts.size()) && !req.bkgCounts[a].empty()) {
      bkgGiven_[a] = true;
      ab.bkgGiven.resize(mem_, req.bkgCounts[a].size(), "BKG counts");
      ab.bkgGiven.upload(req.bkgCounts[a].data(), req.bkgCounts[a].size(), stream_);
    } else {
      ab.bkgGiven.reset();
    }
    // Tapes from the previous trial go first, so a longer trial can reuse their memory.
    const bool recordV = a < static_cast<int>(req.recordVoltages.size()) && req.recordVoltages[a];
    if (!req.keepTape) ab.refr.reset();
    if (!req.keepTape && !recordV) ab.vtape.reset();
    ab.z.resize(mem_, static_cast<size_t>(B) * (T + D) * n, "spike tape");
    if (req.keepTape) ab.refr.resize(mem_, static_cast<size_t>(B) * T * n, "refractory tape");
    if (req.keepTape || recordV) ab.vtape.resize(mem_, static_cast<size_t>(B) * T * n, "voltage tape");
    ab.raster.resize(mem_, static_cast<size_t>(B) * T * words, "raster");
    ab.counts.resize(mem_, static_cast<size_t>(B) * req.bins.count * n, "binned counts");
    ab.counts.zero(stream_);
    ab.vreg.zero(stream_);
    timer_.host("area buffers");
    // Initial state (SPEC §2.3: zeros, v = v_reset) and the spike buffer as times −D..−1 of the tape.
    if (req.initialState.empty()) {
      // From the device (built with the engine): a host vector, its upload and a sync took ≈ 0.1 ms of every W1
      // forward (H200, docs/perf-notes.md v27).
      check(cudaMemcpyAsync(ab.v.get(), ab.vReset.get(), static_cast<size_t>(B) * n * sizeof(float), cudaMemcpyDeviceToDevice, stream_), "initial voltages");
      ab.r.zero(stream_);
      ab.asc.zero(stream_);
      ab.rise.zero(stream_);
      ab.psc.zero(stream_);
      for (int b = 0; b < B; ++b)
        check(cudaMemsetAsync(ab.z.get() + static_cast<size_t>(b) * (T + D) * n, 0, D * n, stream_), "memset");
    } else {
      const AreaState& s = req.initialState[a];
      ab.v.upload(s.v.data(), s.v.size(), stream_);
      ab.r.upload(s.r.data(), s.r.size(), stream_);
      ab.asc.upload(s.asc.data(), s.asc.size(), stream_);
      ab.rise.upload(s.rise.data(), s.rise.size(), stream_);
      ab.psc.upload(s.psc.data(), s.psc.size(), stream_);
      for (int b = 0; b < B; ++b)
        for (int k = 0; k < D; ++k)  // zbuf block k = spikes k+1 steps ago → time −(k+1)
          check(cudaMemcpyAsync(ab.z.get() + (static_cast<size_t>(b) * (T + D) + (D - 1 - k)) * n, &s.zbuf[(static_cast<size_t>(b) * D + k) * n], n,
                                cudaMemcpyHostToDevice, stream_),
                "upload zbuf");
    }
    if (ab.spikeCount.get()) ab.spikeCount.zero(stream_);
    timer_.host("initial state");
  }
  NetDev d = deviceView();
  timer_.mark(stream_, "upload");
  timer_.host("setup");
  if (!opt_.deterministic)
    for (int a = 0; a < nA; ++a) {
      if (areas_[a].spikeTag.get()) check(cudaMemsetAsync(areas_[a].spikeTag.get(), 0xff, areas_[a].spikeTag.size() * sizeof(int32_t), stream_), "memset");
      kInitLists<<<std::max(1, std::min(smCount_ * 4, static_cast<int>((static_cast<size_t>(B) * D * net_.areas[a].n + kThreads - 1) / kThreads))), kThreads, 0, stream_>>>(d, a);
      checkLaunch("kInitLists");
    }
  int pushBlocks = 0, lgnBlocks = 0, bkgBlocks = 0;
  bool anyPush = false;
  for (const auto& blk : net_.blocks)
    if (blk.delayed() && blockActive(blk) && blk.size() > 0) anyPush = true;
  // 4 blocks of 256 per SM, each warp walking more spike rows: W1 / W2 forward −6 % against 8 per SM (H100,
  // docs/perf-notes.md v8).
  if (anyPush) pushBlocks = smCount_ * 4;
  const bool lgnActive = net_.lgnBlock >= 0 && d.block[net_.lgnBlock].active;
  if (lgnActive && !inputsAhead_) lgnBlocks = (B * ((net_.nInputs + 31) / 32) + kWarpsPerBlock - 1) / kWarpsPerBlock;
  bool anyBkg = false;
  for (int a = 0; a < nA; ++a)
    if (net_.bkgBlockOfArea[a] >= 0 && d.block[net_.bkgBlockOfArea[a]].active) anyBkg = true;
  if (anyBkg && !opt_.deterministic) {
    if (!inputsAhead_) bkgBlocks = (nA * B * net_.nBkgSources + kThreads - 1) / kThreads;
    for (int a = 0; a < nA; ++a)
      if (d.area[a].bkgIn) {
        const int count = static_cast<int>(areas_[a].bkgInSyn.size());
        kBkgWeights<<<std::min(smCount_ * 4, (count + kThreads - 1) / kThreads), kThreads, 0, stream_>>>(
            areas_[a].bkgIn.get(), areas_[a].bkgInSyn.get(), blocks_[net_.bkgBlockOfArea[a]].weight.get(), count);
        checkLaunch("kBkgWeights");
      }
  }
  // kPush also resets the spike count of the slot that step t fills; it runs every step when lists exist.
  const int pushGrid = std::max(1, pushBlocks + lgnBlocks + bkgBlocks);
  // Raster chunks: ≈ T/16 steps, ≥ 1 MB each; a helper thread sizes every result vector while the steps run
  // and copies each downloaded raster chunk into them: the zero-filled fresh pages of the results cost the
  // launching thread ≈ 125 ms in F (406 MB of rasters, 50 MB of state) and 0.6–1.3 ms in W1 (≈ 1.2 MB, page faults;
  // H200, docs/perf-notes.md v27).
  size_t rasterStepBytes = 0;
  std::vector<size_t> rasterAt(nA);
  for (int a = 0; a < nA; ++a) {
    const size_t words = (static_cast<size_t>(net_.areas[a].n) + 31) / 32;
    rasterAt[a] = rasterStepBytes * T;
    rasterStepBytes += static_cast<size_t>(B) * words * sizeof(uint32_t);
  }
  const int rasterChunk = std::max<int>((T + 15) / 16, static_cast<int>(std::min<size_t>(T, (size_t{1} << 20) / rasterStepBytes + 1)));
  const int rasterChunks = (T + rasterChunk - 1) / rasterChunk;
  uint8_t* rasterHost = rasterPinned_.ensure(rasterStepBytes * T, "the spike rasters");
  while (rasterEvents_.size() < 2 * static_cast<size_t>(rasterChunks)) {
    cudaEvent_t e;
    check(cudaEventCreateWithFlags(&e, cudaEventDisableTiming), "cudaEventCreate");
    rasterEvents_.push_back(e);
  }
  std::mutex rasterMutex;
  std::condition_variable rasterIssued;
  int issued = 0;
  bool rasterStop = false;
  out.finalState.assign(nA, AreaState{});
  std::vector<std::vector<double>> vreg(nA);
  auto sizeResults = [&] {
    for (int a = 0; a < nA; ++a) {
      const size_t n = net_.areas[a].n, nR = n * net_.areas[a].slots, words = (n + 31) / 32;
      AreaObservables& ob = out.areas[a];
      ob.raster.resize(static_cast<size_t>(B) * T * words);
      ob.traces.resize(static_cast<size_t>(B) * (a < static_cast<int>(req.traces.size()) ? req.traces[a].count() : 0) * T);
      ob.counts.resize(static_cast<size_t>(B) * req.bins.count * n);
      if (a < static_cast<int>(req.recordVoltages.size()) && req.recordVoltages[a]) ob.voltages.resize(static_cast<size_t>(B) * T * n);
      vreg[a].resize(static_cast<size_t>(B) * words);
      AreaState& fs = out.finalState[a];
      fs.v.resize(B * n), fs.r.resize(B * n), fs.asc.resize(2 * B * n), fs.rise.resize(B * nR), fs.psc.resize(B * nR);
      fs.zbuf.resize(static_cast<size_t>(B) * D * n);
    }
  };
  std::promise<void> sizedPromise;
  std::future<void> sized = sizedPromise.get_future();
  auto copyRasterChunk = [&](int c) {
    const int t0 = c * rasterChunk, t1 = std::min(T, t0 + rasterChunk);
    for (int a = 0; a < nA; ++a) {
      const size_t words = (static_cast<size_t>(net_.areas[a].n) + 31) / 32;
      for (int b = 0; b < B; ++b) {
        const size_t at = (static_cast<size_t>(b) * T + t0) * words;
        std::memcpy(out.areas[a].raster.data() + at, rasterHost + rasterAt[a] + at * sizeof(uint32_t), (t1 - t0) * words * sizeof(uint32_t));
      }
    }
  };
  // Started once the first segment is queued, so that it does not delay the first steps (on the first call it
  // starts a thread).
  std::future<void> rasterCopier;
  auto startRasterCopier = [&] {
    rasterCopier = helpers_.run([&] {
      try {
        sizeResults();
        sizedPromise.set_value();
      } catch (...) {
        sizedPromise.set_exception(std::current_exception());
        return;
      }
      if (cudaSetDevice(device_) != cudaSuccess) return;
      for (int c = 0; c < rasterChunks; ++c) {
        {
          std::unique_lock<std::mutex> lock(rasterMutex);
          rasterIssued.wait(lock, [&] { return issued > c || rasterStop; });
          if (issued <= c) return;
        }
        if (cudaEventSynchronize(rasterEvents_[2 * c + 1]) != cudaSuccess) return;  // the stream's sync reports it
        copyRasterChunk(c);
      }
    });
  };
  struct RasterJoiner {
    std::future<void>& task;
    std::mutex& mutex;
    std::condition_variable& cv;
    bool& stop;
    ~RasterJoiner() {
      {
        std::lock_guard<std::mutex> lock(mutex);
        stop = true;
      }
      cv.notify_one();
      if (task.valid()) task.wait();
    }
  } rasterJoiner{rasterCopier, rasterMutex, rasterIssued, rasterStop};
  // After the steps [c·rasterChunk, t1) are queued: their raster rows of every area and batch element.
  auto downloadRaster = [&](int c) {
    const int t0 = c * rasterChunk, t1 = std::min(T, t0 + rasterChunk);
    check(cudaEventRecord(rasterEvents_[2 * c], stream_), "cudaEventRecord");
    check(cudaStreamWaitEvent(downloadStream_, rasterEvents_[2 * c], 0), "cudaStreamWaitEvent");
    for (int a = 0; a < nA; ++a) {
      const size_t rowBytes = (static_cast<size_t>(net_.areas[a].n) + 31) / 32 * sizeof(uint32_t);
      const size_t pitch = rowBytes * T;
      check(cudaMemcpy2DAsync(rasterHost + rasterAt[a] + t0 * rowBytes, pitch, reinterpret_cast<const uint8_t*>(areas_[a].raster.get()) + t0 * rowBytes, pitch,
                              (t1 - t0) * rowBytes, B, cudaMemcpyDeviceToHost, downloadStream_),
            "raster download");
    }
    check(cudaEventRecord(rasterEvents_[2 * c + 1], downloadStream_), "cudaEventRecord");
    std::lock_guard<std::mutex> lock(rasterMutex);
    issued = c + 1;
    rasterIssued.notify_one();
  };
  auto pushKernel = B <= 2 ? kPush<4> : kPush<1>;
  auto neuronKernel = opt_.deterministic ? bySlots(maxSlots(), kNeuron<true, 2, InputsInStep>, kNeuron<true, 3, InputsInStep>, kNeuron<true, 4, InputsInStep>)
                                         : bySlots(maxSlots(), kNeuron<false, 2, InputsInStep>, kNeuron<false, 3, InputsInStep>, kNeuron<false, 4, InputsInStep>);
  auto neuronKernelAhead = bySlots(maxSlots(), kNeuron<false, 2, InputsAhead>, kNeuron<false, 3, InputsAhead>, kNeuron<false, 4, InputsAhead>);
  auto stepKernel = bySlots(maxSlots(), kStep<2>, kStep<3>, kStep<4>);
  const int stepPushBlocks = smCount_ * kStepPushBlocksPerSm;
  // Fast mode only (the deterministic mode pushes nothing): closed after the sync below, or on a throw.
  struct InputWindow {
    CudaBackend& backend;
    bool open;
    InputWindow(CudaBackend& b, bool o) : backend(b), open(o) { if (open) backend.persistInputs(true); }
    ~InputWindow() { if (open) backend.persistInputs(false); }
  } inputWindow{*this, !opt_.deterministic};
  // The steps [t0, t1) of a segment: a chunk of LGN input, cut at the raster downloads. With step graphs on,
  // each segment is captured once and replayed from call to call (the trial number is read from device
  // memory, so the arguments stay equal); W1 launches 1,000 kernels per forward.
  // ext: the segment's LGN and BKG sums computed ahead (sumInputsAhead), or null.
  // With the inputs ahead, each kernel after the segment's first overlaps the one before it.
  const bool overlap = overlapLaunches_ && inputsAhead_;
  // extBefore: the previous segment's sums of its last step (fused steps).
  auto steps = [&](int t0, int t1, cudaStream_t s, const float* ext, const float* extBefore) {
    for (int t = t0; t < t1; ++t) {
      if (fusedSteps_) {
        launchKernel("kStep", stepKernel, dim3(B * neuronGridX_ + stepPushBlocks), s, overlap && t > t0, d, t, stepPushBlocks, InputsLagged{ext, t0, extBefore});
        timer_.mark(s, "step");
        continue;
      }
      if (splitPush_) {
        // kPushLater(t) after kNeuron(t − 2) (a segment's first two steps: after all that came before it).
        if (t == t0) {
          check(cudaEventRecord(pushFork_, s), "cudaEventRecord");
          check(cudaStreamWaitEvent(pushStream_, pushFork_, 0), "cudaStreamWaitEvent");
        }
        if (t - 2 >= t0) check(cudaStreamWaitEvent(pushStream_, neuronDone_[(t - 2) % 4], 0), "cudaStreamWaitEvent");
        launchKernel("kPush", pushKernel, dim3(std::max(1, pushBlocks + lgnBlocks)), pushStream_, false, d, t, pushBlocks, lgnBlocks, kPushLater);
        check(cudaEventRecord(laterDone_[t % 2], pushStream_), "cudaEventRecord");
        launchKernel("kPush", pushKernel, dim3(std::max(1, pushBlocks + bkgBlocks)), s, false, d, t, pushBlocks, 0, kPushDelay1);
        check(cudaStreamWaitEvent(s, laterDone_[t % 2], 0), "cudaStreamWaitEvent");
        timer_.mark(s, "push");  // (the delay-1 push, and what kPushLater(t) still had left)
      } else if (!opt_.deterministic) {
        launchKernel("kPush", pushKernel, dim3(pushGrid), s, overlap && t > t0, d, t, pushBlocks, lgnBlocks, kPushWhole);
        timer_.mark(s, "push");
      }
      if (ext) launchKernel("kNeuron", neuronKernelAhead, dim3(B, neuronGridX_), s, overlap, d, t, InputsAhead{ext, t0});
      else launchKernel("kNeuron", neuronKernel, dim3(B, neuronGridX_), s, false, d, t, InputsInStep{});
      timer_.mark(s, "neuron");
      if (splitPush_) check(cudaEventRecord(neuronDone_[t % 4], s), "cudaEventRecord");
    }
  };
  // The sums ahead read the trial number, given BKG counts and the BKG weights, which this call has just queued on
  // stream_: without this wait the first segments' sums could read the previous call's (a stream of its own runs
  // them as soon as they are launched; 4 of 8 parity runs beside another process on the GPU, docs/perf-notes.md v34).
  if (inputsAhead_) {
    check(cudaEventRecord(forwardQueued_, stream_), "cudaEventRecord");
    check(cudaStreamWaitEvent(extStream_, forwardQueued_, 0), "cudaStreamWaitEvent");
  }
  const bool graphs = StepGraphs::enabled();
  size_t segment = 0;
  const float *lastExt = nullptr, *extBefore = nullptr;  // the last segment's sums ahead, those of its last step
  int lastFrom = 0;
  int chunksWaited = 0;  // the LGN chunks that the compute streams wait for so far
  for (int from = 0; from < T;) {
    int to = std::min({T, (from / rasterChunk + 1) * rasterChunk, from + kGraphSteps});
    // The first kGraphSteps steps in segments of the LGN chunks, so that the first steps wait for one short chunk.
    if (lgn.device && from < kGraphSteps) to = std::min(to, *std::upper_bound(lgn.chunkStart.begin(), lgn.chunkStart.end(), from));
    // The chunks of LGN input that steps [from, to) read: staged by their helper, then their uploads waited for by
    // the steps and by the sums ahead.
    for (; lgn.device && chunksWaited < lgn.chunks() && lgn.chunkStart[chunksWaited] < to; ++chunksWaited) {
      std::unique_lock<std::mutex> lock(stagedMutex);
      stagedChanged.wait(lock, [&] { return staged[chunksWaited] || stageFailed; });
      if (stageFailed) {
        lock.unlock();
        stagersJoined.join();
        std::rethrow_exception(stageError);
      }
      check(cudaStreamWaitEvent(stream_, lgnUploaded_[chunksWaited], 0), "cudaStreamWaitEvent");
      if (inputsAhead_) check(cudaStreamWaitEvent(extStream_, lgnUploaded_[chunksWaited], 0), "cudaStreamWaitEvent");
    }
    const int seg = static_cast<int>(segment++);
    const float* ext = inputsAhead_ ? sumInputsAhead(d, from, to, seg, lgnActive) : nullptr;
    if (graphs)
      forwardGraphs_.run(seg, graphKey(d, from, to, pushGrid, pushBlocks, lgnBlocks, neuronGridX_, B, pushKernel, neuronKernel, ext, overlap, fusedSteps_, extBefore),
                         stream_, [&](cudaStream_t s) { steps(from, to, s, ext, extBefore); });
    else
      steps(from, to, stream_, ext, extBefore);
    if (inputsAhead_) check(cudaEventRecord(stepsDone_[seg % aheadSegments()], stream_), "cudaEventRecord");
    lastExt = ext, lastFrom = from;
    if (ext) extBefore = ext + static_cast<size_t>(to - 1 - from) * B * inputStride_;
    if (to % rasterChunk == 0 || to == T) downloadRaster((to - 1) / rasterChunk);
    if (segment == 1) {
      timer_.host("first segment queued");
      startRasterCopier();
    }
    from = to;
  }
  if (fusedSteps_) {  // T ≥ 1 (Engine::validate)
    kFinishRise<<<dim3(B, neuronGridX_), kThreads, 0, stream_>>>(d, InputsLagged{lastExt, lastFrom, nullptr});
    checkLaunch("kFinishRise");
  }
  // Spikes per area (the result's `spikes`), after the last step.
  for (int a = 0; a < nA; ++a) {
    AreaBuffers& ab = areas_[a];
    ab.spikeTotal.resize(mem_, 1, "spike total");
    ab.spikeTotal.zero(stream_);
    const size_t words = ab.raster.size();
    kCountSpikes<<<std::max(1, std::min(smCount_ * 4, static_cast<int>((words + kThreads - 1) / kThreads))), kThreads, 0, stream_>>>(ab.raster.get(), words, ab.spikeTotal.get());
    checkLaunch("kCountSpikes");
  }
  timer_.host("launch steps");
  stagersJoined.join();
  sized.get();
  timer_.host("stager join, result sizes");
  // Observables and final state back to the host, through one pinned buffer (pageable copies ran at
  // ≈ 2.3 GB/s: 38–40 ms of W2's forward call; docs/perf-notes.md v5).
  std::vector<PinnedDownloads::Item> downloads;
  auto fetch = [&downloads](const auto* device, auto* host, size_t count) {
    if (count) downloads.push_back({device, host, count * sizeof(*host)});
  };
  std::vector<unsigned long long> spikeTotals(nA);
  for (int a = 0; a < nA; ++a) {
    const size_t n = net_.areas[a].n;
    AreaBuffers& ab = areas_[a];
    AreaObservables& ob = out.areas[a];
    const int K = a < static_cast<int>(req.traces.size()) ? req.traces[a].count() : 0;
    if (K > 0) {
      const TraceSubsets& ts = req.traces[a];
      ab.traceOffsets.resize(mem_, ts.offsets.size(), "trace offsets");
      ab.traceOffsets.upload(ts.offsets.data(), ts.offsets.size(), stream_);
      ab.traceIndices.resize(mem_, std::max<size_t>(1, ts.indices.size()), "trace indices");
      ab.traceIndices.upload(ts.indices.data(), ts.indices.size(), stream_);
      ab.traces.resize(mem_, ob.traces.size(), "traces");
      const int grid = std::max(1, std::min(smCount_ * 8, static_cast<int>((ob.traces.size() + kThreads - 1) / kThreads)));
      kTraces<<<grid, kThreads, 0, stream_>>>(d, a, ab.traceOffsets.get(), ab.traceIndices.get(), K, ab.traces.get());
      checkLaunch("kTraces");
      fetch(ab.traces.get(), ob.traces.data(), ob.traces.size());
    }
    fetch(ab.counts.get(), ob.counts.data(), ob.counts.size());
    fetch(ab.vtape.get(), ob.voltages.data(), ob.voltages.size());  // empty unless recorded
    fetch(ab.vreg.get(), vreg[a].data(), vreg[a].size());
    fetch(ab.spikeTotal.get(), &spikeTotals[a], 1);
    AreaState& fs = out.finalState[a];
    fetch(ab.v.get(), fs.v.data(), fs.v.size());
    fetch(ab.r.get(), fs.r.data(), fs.r.size());
    fetch(ab.asc.get(), fs.asc.data(), fs.asc.size());
    fetch(ab.rise.get(), fs.rise.data(), fs.rise.size());
    fetch(ab.psc.get(), fs.psc.data(), fs.psc.size());
    for (int b = 0; b < B; ++b)
      for (int k = 0; k < D; ++k)
        fetch(ab.z.get() + (static_cast<size_t>(b) * (T + D) + T + D - 1 - k) * n, &fs.zbuf[(static_cast<size_t>(b) * D + k) * n], n);
  }
  downloads_.start(downloads, stream_);
  check(cudaStreamWaitEvent(stream_, rasterEvents_[2 * rasterChunks - 1], 0), "cudaStreamWaitEvent");  // the exposed raster chunk
  timer_.mark(stream_, "download");
  timer_.host("queue downloads");
  sync();
  timer_.host("sync");
  downloads_.finish(downloads, helpers_);
  timer_.host("copy downloads");
  rasterCopier.wait();
  timer_.host("rasters");
  for (int a = 0; a < nA; ++a) {
    AreaObservables& ob = out.areas[a];
    double sum = 0;
    for (double x : vreg[a]) sum += x;
    ob.voltageRegularizer = sum / (static_cast<double>(B) * T * net_.areas[a].n);
    ob.spikes = static_cast<double>(spikeTotals[a]);
  }
  timer_.report("forward");
  if (req.keepTape) tapeSteps_ = T;
}

void CudaBackend::backward(const BackwardRequest& req) {
  activate();
  const int B = opt_.batch, T = tapeSteps_, D = net_.maxDelay;
  const int G = passSteps();
  const int nA = static_cast<int>(net_.areas.size());
  timer_.begin(stream_);
  for (size_t bk = 0; bk < net_.blocks.size(); ++bk) blocks_[bk].grad.zero(stream_);
  for (int a = 0; a < nA; ++a) {
    const CompiledArea& ar = net_.areas[a];
    AreaBuffers& ab = areas_[a];
    const size_t n = ar.n, nR = n * ar.slots;
    ab.lv.resize(mem_, B * n, "adjoint v");
    ab.lasc.resize(mem_, 2 * B * n, "adjoint asc");
    ab.lpsc.resize(mem_, B * nR, "adjoint psc");
    ab.lrise.resize(mem_, B * nR, "adjoint psc_rise");
    ab.lcarry.resize(mem_, B * n, "adjoint carry");
    ab.pending.resize(mem_, static_cast<size_t>(D + 2) * B * n, "pending dL/dz");
    ab.live.resize(mem_, static_cast<size_t>(T) * ((n + 31) / 32), "live steps");
    for (auto* x : {&ab.lv, &ab.lasc, &ab.lpsc, &ab.lrise, &ab.lcarry, &ab.pending}) x->zero(stream_);
    const AreaAdjoints& adj = req.areas[a];
    ab.adjCounts.reset();
    ab.adjTraces.reset();
    if (!adj.counts.empty()) {
      ab.adjCounts.resize(mem_, adj.counts.size(), "count adjoints");
      ab.adjCounts.upload(adj.counts.data(), adj.counts.size(), stream_);
    }
    if (!adj.traces.empty()) {
      // Inverse of the trace subsets: for each neuron, the subsets k holding it, in (k, q) order.
      const TraceSubsets& ts = traces_[a];
      std::vector<int32_t> start(n + 1, 0), ks(ts.indices.size());
      for (int32_t i : ts.indices) start[i + 1]++;
      for (size_t i = 0; i < n; ++i) start[i + 1] += start[i];
      std::vector<int32_t> fill(start.begin(), start.end() - 1);
      for (int k = 0; k < ts.count(); ++k)
        for (int32_t q = ts.offsets[k]; q < ts.offsets[k + 1]; ++q) ks[fill[ts.indices[q]]++] = k;
      ab.adjTraces.resize(mem_, adj.traces.size(), "trace adjoints");
      ab.adjTraces.upload(adj.traces.data(), adj.traces.size(), stream_);
      ab.invStart.resize(mem_, n + 1, "trace inverse");
      ab.invStart.upload(start.data(), n + 1, stream_);
      ab.invK.resize(mem_, std::max<size_t>(1, ks.size()), "trace inverse");
      ab.invK.upload(ks.data(), ks.size(), stream_);
      sync();  // host vectors go out of scope
    }
  }
  dI_.resize(mem_, static_cast<size_t>(dIElems_) * adjointBytes(), "adjoint input");
  dI_.zero(stream_);
  NetDev d = deviceView();
  bool anyDelayed = false, anyInputGrad = false;
  for (int a = 0; a < nA; ++a) {
    const AreaAdjoints& adj = req.areas[a];
    AreaDev& A = d.area[a];
    A.adjCounts = areas_[a].adjCounts.get();
    A.adjTraces = areas_[a].adjTraces.get();
    A.invStart = areas_[a].invStart.get();
    A.invK = areas_[a].invK.get();
    A.K = a < static_cast<int>(traces_.size()) ? traces_[a].count() : 0;
    A.vregCoef = static_cast<float>(adj.voltageRegularizer * 2.0 / (static_cast<double>(B) * T * net_.areas[a].n));
  }
  for (int bk = 0; bk < d.nBlocks; ++bk) {
    BlockDev& X = d.block[bk];
    X.trainable = req.trainable[bk] != 0;
    X.grad = X.trainable ? blocks_[bk].grad.get() : nullptr;
    if (!X.active) continue;
    if (net_.blocks[bk].delayed()) anyDelayed = true;
    else if (X.trainable) anyInputGrad = true;
  }
  if (anyDelayed && !opt_.deterministic) preparePullRows(d);  // the fast pull reads them
  for (int a = 0; a < nA; ++a)
    if (d.area[a].pullGrad) areas_[a].pullGrad.zero(stream_);
  const int pullItems = d.pullItemStart[nA];
  // Lane-group rows for batches of 1–2 in fast mode (kPull); the deterministic sums stay one warp per row.
  const bool rowGroups = !opt_.deterministic && B <= 2;
  constexpr int kGroupsPerWarp = 32 / kRowGroupLanes;
  const int pullWarps = rowGroups ? (pullItems + kGroupsPerWarp - 1) / kGroupsPerWarp : pullItems;
  const int pullGrid = (pullWarps + kWarpsPerBlock - 1) / kWarpsPerBlock;
  // The LGN gradients' warps: by chunks of synapses for batches of 1–2, by groups of 32 units beyond (inputGrad).
  const int lgnItems = B <= kLgnChunkBatches ? static_cast<int>((lgnUnitOfSynapse_.size() + kLgnGradChunk - 1) / kLgnGradChunk)
                       : net_.lgnBlock >= 0 ? (net_.nInputs + 31) / 32 : 0;
  const int inputGrid = (lgnItems + nA * net_.nBkgSources * bkgChunks_ + kWarpsPerBlock - 1) / kWarpsPerBlock;
  const int nb = std::min(B, kBatchChunk);
  auto pullKernel = pullKernelFor(nb, rowGroups, G, bf16Adjoints());
  auto neuronAdjKernel = bf16Adjoints() ? (rowGroups ? neuronAdjKernelFor<__nv_bfloat16, true>(maxSlots()) : neuronAdjKernelFor<__nv_bfloat16, false>(maxSlots()))
                                        : (rowGroups ? neuronAdjKernelFor<float, true>(maxSlots()) : neuronAdjKernelFor<float, false>(maxSlots()));
  // Lane-group rows (batches of 1–2): each kernel after a segment's first overlaps the one before it.
  const bool overlap = rowGroups && overlapLaunches_;
  const int adjLanes = std::min(dIStride(B), 8);  // batch elements per kNeuronAdj block, its neurons in lanes
  timer_.mark(stream_, "setup");
  timer_.host("setup");
  for (int a = 0; a < nA && anyDelayed; ++a) {  // only the pull reads the live steps
    kLiveSteps<<<static_cast<int>((static_cast<int64_t>(T) * d.area[a].words + kWarpsPerBlock - 1) / kWarpsPerBlock), kThreads, 0, stream_>>>(d, a);
    checkLaunch("kLiveSteps");
  }
  timer_.mark(stream_, "live");
  const int pullBlocks = anyDelayed ? pullGrid : 0;
  // Passes of G steps hi..lo, from the last step back; after the neuron adjoints of a pass, the synapses of
  // its J steps hi − 2 .. lo − 2 (those ≥ 0) in one launch.
  std::vector<int> passHi;
  for (int hi = T - 1; hi >= 0; hi -= G) passHi.push_back(hi);
  auto passes = [&](size_t first, size_t last, cudaStream_t s) {
    for (size_t k = first; k < last; ++k) {
      const int hi = passHi[k], lo = std::max(0, hi - G + 1), J = std::max(0, std::min(hi - lo + 1, hi - 1));
      launchKernel("kNeuronAdj", neuronAdjKernel, dim3(neuronGridX_ * adjLanes, (B + adjLanes - 1) / adjLanes), s, overlap && k > first, d, hi, lo, adjLanes);
      timer_.mark(s, "neuronAdj");
      if (J > 0 && (anyDelayed || anyInputGrad)) {
        const int inputBlocks = anyInputGrad ? inputGrid : 0;
        launchKernel("kPull", pullKernel, dim3(inputBlocks + pullBlocks), s, overlap, d, hi, J, inputBlocks, lgnItems, bkgChunks_);
        timer_.mark(s, "pull+inputGrad");
      }
    }
  };
  if (!StepGraphs::enabled()) {
    passes(0, passHi.size(), stream_);
  } else {
    const size_t perSegment = std::max(1, kGraphSteps / G);
    for (size_t first = 0, segment = 0; first < passHi.size(); first += perSegment, ++segment) {
      const size_t last = std::min(passHi.size(), first + perSegment);
      backwardGraphs_.run(segment, graphKey(d, passHi[first], last, pullBlocks, inputGrid, lgnItems, bkgChunks_, neuronGridX_, B, anyDelayed, anyInputGrad, pullKernel, overlap),
                          stream_, [&](cudaStream_t s) { passes(first, last, s); });
    }
  }
  for (int bk = 0; bk < d.nBlocks; ++bk) {
    const BlockDev& X = d.block[bk];
    if (!X.grad || !X.active || !net_.blocks[bk].delayed() || !d.area[X.source].pullGrad) continue;
    kPullGradients<<<(X.nRows + kWarpsPerBlock - 1) / kWarpsPerBlock, kThreads, 0, stream_>>>(d, bk, blocks_[bk].pullStart.get(), d.area[X.source].pullGrad);
    checkLaunch("kPullGradients");
  }
  timer_.mark(stream_, "pull gradients");
  timer_.host("launch passes");
  sync();
  timer_.host("sync");
  timer_.report("backward");
}

void CudaBackend::optimizerStep(const OptimizerStep& step) {
  activate();
  const double t = static_cast<double>(step.step);
  const float alpha = static_cast<float>(step.learningRate * std::sqrt(1.0 - std::pow(step.beta2, t)) / (1.0 - std::pow(step.beta1, t)));
  const float b1 = static_cast<float>(step.beta1), b2 = static_cast<float>(step.beta2), eps = static_cast<float>(step.epsilon);
  const float lr = static_cast<float>(step.learningRate), scale = static_cast<float>(step.gradientScale);
  for (int bk : step.blocks) {
    const int64_t E = net_.blocks[bk].size();
    if (E == 0) continue;
    if (step.kind != OptimizerKind::Sgd) ensureSlots(bk);
    BlockBuffers& bb = blocks_[bk];
    const int grid = static_cast<int>(std::min<int64_t>(smCount_ * 8, (E + kThreads - 1) / kThreads));
    kOptimizer<<<grid, kThreads, 0, stream_>>>(bb.weight.get(), bb.grad.get(), bb.m.get(), bb.v.get(), bb.positive.get(), E,
                                               static_cast<int>(step.kind), b1, b2, eps, lr, alpha, scale);
    checkLaunch("kOptimizer");
  }
  sync();
}

}  // namespace

std::unique_ptr<Backend> makeCudaBackend(const CompiledNetwork& net, const EngineOptions& options) {
  const CudaProbe p = probeCuda();
  if (!p.available) throw Error("E_NO_CUDA", "backend", "CUDA backend unavailable: " + p.reason);
  return std::make_unique<CudaBackend>(net, options);
}

}  // namespace v1lm
