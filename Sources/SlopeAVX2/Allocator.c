#include "SlopeAVX2.h"
// Any C library header defines (or not) __GLIBC__; without one the test below was always false
// and this function did nothing.
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/// How much heap is mapped up front for transparent huge pages: enough for the graphs of a
/// program of a few hundred thousand nodes. Only pages touched count towards memory.
static const size_t hugeHeapBytes = (size_t)512 << 20;
static const uintptr_t hugePageBytes = (uintptr_t)2 << 20;

/// Whether the address-space and data limits (`ulimit -v`, `ulimit -d`) leave at least 4 GB:
/// under a tighter limit the address space reserved up front could be what a large tensor
/// needs later.
static int limits_leave_room(void) {
    const int resources[] = {RLIMIT_AS, RLIMIT_DATA};
    for (int k = 0; k < 2; k++) {
        struct rlimit limit;
        if (getrlimit(resources[k], &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
            && limit.rlim_cur < ((rlim_t)4 << 30)) return 0;
    }
    return 1;
}

/// Grows the heap by `hugeHeapBytes` at once and asks the kernel to back it with 2 MB pages
/// where it can (`madvise`, for the default "madvise" mode of transparent huge pages). A
/// compiler pass writes tens of megabytes of fresh node arrays; in 4 KB pages each first touch
/// is a page fault, 39,000 of them compiling a 100,000-node chain (a sixth of the time).
/// glibc's own `glibc.malloc.hugetlb` tunable does this but can only be set in the environment
/// before the process starts. The padding applies to this one growth only: if the heap cannot
/// grow that far, nothing is advised and the heap grows as usual.
static void advise_huge_heap(void) {
    if (!limits_leave_room()) return;
    void *start = sbrk(0);
    if (start == (void *)-1) return;
    mallopt(M_TOP_PAD, (int)hugeHeapBytes);
    // More than the top chunk holds, so the heap grows; freed, it stays in the heap
    // (M_TRIM_THRESHOLD). Volatile: a compiler may drop a malloc whose block is only freed.
    void *volatile block = malloc(hugePageBytes);
    free(block);
    mallopt(M_TOP_PAD, 128 << 10);   // glibc's default
    void *end = sbrk(0);
    // The heap grew by about the padding (less the top that a free may trim back).
    if (end == (void *)-1 || (char *)end - (char *)start < (ptrdiff_t)(hugeHeapBytes / 2)) return;
    uintptr_t first = ((uintptr_t)start + hugePageBytes - 1) & ~(hugePageBytes - 1);
    uintptr_t last = (uintptr_t)end & ~(hugePageBytes - 1);
    if (last > first) madvise((void *)first, last - first, MADV_HUGEPAGE);
}

void slope_keep_freed_memory(void) {
    // Blocks up to 32 MB (the most glibc accepts: it refused the 1 GB asked here before, and
    // left the threshold at 128 KB) come from the heap, and freed memory stays there for the
    // next block instead of being unmapped and mapped again as fresh pages (each first touch a
    // page fault) for the next graph or plan array.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    advise_huge_heap();
}
#else
void slope_keep_freed_memory(void) {}
#endif
