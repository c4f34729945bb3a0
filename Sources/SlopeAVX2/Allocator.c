#include "SlopeAVX2.h"
// Any C library header defines (or not) __GLIBC__; without one the test below was always false
// and this function did nothing.
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>

void slope_keep_freed_memory(void) {
    // Blocks up to 32 MB (the most glibc accepts: the 1 GB asked here before was refused, and
    // the threshold stayed at its default) come from the heap, and freed memory stays there for
    // the next block instead of being unmapped and mapped again as fresh pages (each first
    // touch a page fault) for the next graph or plan array.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    // Larger blocks too (a long program's node arrays pass 32 MB): a mapped block is unmapped
    // when freed, and the planner's arrays that came next touched fresh pages where the freed
    // lowered graph had been. (Should the heap fail to grow, glibc still maps memory.)
    mallopt(M_MMAP_MAX, 0);
}
#else
void slope_keep_freed_memory(void) {}
#endif
