#include "SlopeAVX2.h"
// Any C library header defines (or not) __GLIBC__; without one the test below was always false
// and this function did nothing.
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

// Linux 5.14's name; older headers lack it, and older kernels answer EINVAL.
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// Set once by slope_keep_freed_memory, before any thread: only the executable starts a heap
// follower.
static int populating_allowed = 0;

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
    // The heap grows by 16 MB beyond each request that outgrows it: the room a heap follower
    // populates ahead of the compiler. (Without a follower, untouched, it is address space,
    // not memory.)
    mallopt(M_TOP_PAD, 16 << 20);
    populating_allowed = 1;
}

// Odd while a heap follower should run; each start and stop moves it on by one.
static atomic_uint follower_generation = 0;

void slope_heap_follower_stop(void);

// How far the follower populates at a time, so that a stop is noticed soon and the pages
// nearest the compiler's allocations come first.
#define FOLLOWER_STEP ((uintptr_t)1 << 20)
// How often the follower looks at the break, and after how many looks without growth it
// ends by itself (100 ms: the compile is over, or no longer allocating).
#define FOLLOWER_POLL_MICROSECONDS 200
#define FOLLOWER_IDLE_POLLS 500

int slope_populate_pages(void *start, size_t length) { return madvise(start, length, MADV_POPULATE_WRITE); }

// Where the heap's free top began when the follower was started (the follower's own
// allocations would come from another arena, so the starting thread finds it).
static atomic_uintptr_t follower_start = 0;

// The follower, for the generation it was started with: populates the heap from where its free
// top began up to the program break, and as the break moves up, the new pages, until told to
// stop or the heap has stopped growing. It stops for good where the kernel has no
// MADV_POPULATE_WRITE. It allocates nothing.
static void *follow_heap(void *argument) {
    unsigned generation = (unsigned)(uintptr_t)argument;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t populated = atomic_load(&follower_start);
    int idle = 0;
    while (atomic_load_explicit(&follower_generation, memory_order_relaxed) == generation) {
        uintptr_t top = (uintptr_t)syscall(SYS_brk, 0) & ~(page - 1);
        if (top < populated) populated = top;
        if (top == populated) {
            if (++idle == FOLLOWER_IDLE_POLLS) break;
            usleep(FOLLOWER_POLL_MICROSECONDS);
            continue;
        }
        idle = 0;
        uintptr_t end = top - populated < FOLLOWER_STEP ? top : populated + FOLLOWER_STEP;
        if (slope_populate_pages((void *)populated, end - populated) != 0 && errno == EINVAL) break;
        populated = end;
    }
    return NULL;
}

void slope_heap_follower_start(void) {
    unsigned generation = atomic_load(&follower_generation);
    if (!populating_allowed || generation % 2 == 1) return;
    if (!atomic_compare_exchange_strong(&follower_generation, &generation, generation + 1)) return;
    // A block from the heap's free top marks where it begins.
    void *probe = malloc(1 << 16);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    pthread_attr_t attributes;
    pthread_t thread;
    if (probe == NULL || pthread_attr_init(&attributes) != 0) {
        free(probe);
        slope_heap_follower_stop();
        return;
    }
    atomic_store(&follower_start, (uintptr_t)probe & ~(page - 1));
    free(probe);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, follow_heap, (void *)(uintptr_t)(generation + 1)) != 0) {
        slope_heap_follower_stop();
    }
    pthread_attr_destroy(&attributes);
}

void slope_heap_follower_stop(void) {
    unsigned generation = atomic_load(&follower_generation);
    if (generation % 2 == 1) atomic_compare_exchange_strong(&follower_generation, &generation, generation + 1);
}
#else
void slope_keep_freed_memory(void) {}
void slope_heap_follower_start(void) {}
void slope_heap_follower_stop(void) {}
int slope_populate_pages(void *start, size_t length) { (void)start; (void)length; return -1; }
#endif
