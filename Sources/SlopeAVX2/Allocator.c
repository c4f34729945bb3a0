#include "SlopeAVX2.h"

#if defined(__GLIBC__)
#include <malloc.h>

void slope_keep_freed_memory(void) {
    // Blocks up to 1 GB come from the heap and freed memory stays there for the next block.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}
#else
void slope_keep_freed_memory(void) {}
#endif
