// Memory of a forward's large results (rasters, recorded voltages, final states) in 2 MiB transparent huge pages.
// A forward's results are fresh memory every call (they become JS typed arrays), and faulting in 4 KiB pages
// one by one costs more than the copies that fill them: 406 MB of F's rasters took 1.19 s to fault in and zero
// on a virtual machine of the CI's kind, 35 ms in huge pages, and unmapping them 32 ms against 0.8 ms
// (docs/perf-notes.md v32). Below kLargePageMinBytes, where the kernel offers no huge pages, and with
// V1LM_LARGE_PAGES=0 in the environment (for A/B timings), this is the default allocator's behaviour.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "engine/env.h"

namespace v1lm {

constexpr size_t kHugePageBytes = size_t{2} << 20;
constexpr size_t kLargePageMinBytes = size_t{8} << 20;

inline bool largePagesEnabled() {
  static const bool enabled = !switchedOff("V1LM_LARGE_PAGES");
  return enabled;
}

template <typename T>
struct LargePageAllocator {
  using value_type = T;
  LargePageAllocator() = default;
  template <typename U>
  LargePageAllocator(const LargePageAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (mapped(n)) {
      const size_t bytes = n * sizeof(T);
      // Map one huge page more than needed and keep the 2 MiB-aligned part, so that every page can be huge.
      const size_t mapBytes = roundUp(bytes) + kHugePageBytes;
      void* raw = mmap(nullptr, mapBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (raw == MAP_FAILED) throw std::bad_alloc();
      const uintptr_t begin = reinterpret_cast<uintptr_t>(raw);
      const uintptr_t aligned = (begin + kHugePageBytes - 1) & ~(uintptr_t{kHugePageBytes} - 1);
      if (aligned > begin) munmap(raw, aligned - begin);
      const uintptr_t end = begin + mapBytes, keptEnd = aligned + roundUp(bytes);
      if (end > keptEnd) munmap(reinterpret_cast<void*>(keptEnd), end - keptEnd);
      madvise(reinterpret_cast<void*>(aligned), roundUp(bytes), MADV_HUGEPAGE);  // a refusal leaves 4 KiB pages
      return reinterpret_cast<T*>(aligned);
    }
#endif
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (mapped(n)) {
      munmap(p, roundUp(n * sizeof(T)));
      return;
    }
#endif
    std::allocator<T>().deallocate(p, n);
  }

 private:
  static bool mapped(size_t n) { return n * sizeof(T) >= kLargePageMinBytes && largePagesEnabled(); }
  static size_t roundUp(size_t bytes) { return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes; }
};

template <typename T, typename U>
bool operator==(const LargePageAllocator<T>&, const LargePageAllocator<U>&) noexcept { return true; }
template <typename T, typename U>
bool operator!=(const LargePageAllocator<T>&, const LargePageAllocator<U>&) noexcept { return false; }

// A result vector: in huge pages from kLargePageMinBytes on (observables and carried states, spec.h).
template <typename T>
using ResultVector = std::vector<T, LargePageAllocator<T>>;

}  // namespace v1lm
