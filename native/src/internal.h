/* Shared helpers of the nasengine sources (not part of the public API). */
#ifndef NAS_INTERNAL_H
#define NAS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <omp.h>
#include "nasengine.h"

/* Loops use schedule(guided): the first thread to arrive takes half the work at once and the
 * rest is handed out in shrinking pieces, so a thread that wakes late (passive waiting, or the
 * OS running something else on its core) costs little, at the price of a few atomic increments.
 *
 * Element counts below which a loop stays on one thread: a parallel region costs a few
 * microseconds, which a cheap elementwise pass over fewer elements would not earn back. */
#define NAS_PAR_MIN 32768

/* Upper bound of threads a workspace keeps slots for. */
#define NAS_MAX_THREADS 256

/* Threads of every parallel region (set by nas_set_threads). */
int nas_threads(void);
/* Whether sums must not depend on scheduling (nas_set_deterministic). */
int nas_get_deterministic(void);

/* Thread count for a loop over `work` elements: 1 when too small to split. */
static inline int nas_threads_for(int64_t work) {
    return work < NAS_PAR_MIN ? 1 : nas_threads();
}

struct nas_workspace {
    float *slot[NAS_MAX_THREADS][2];    /* per thread: [0] column buffer, [1] accumulator */
    size_t cap[NAS_MAX_THREADS][2];     /* capacity in floats */
    float *shared;                      /* one buffer for all threads (reductions) */
    size_t sharedCap;
};

/* Per-thread scratch of at least `floats` floats (contents undefined), or NULL when out of memory.
 * Only thread `tid` may call this for its slot, so growing it needs no lock. */
float *nas_ws_slot(nas_workspace *ws, int tid, int which, size_t floats);
/* Shared scratch for the calling (master) thread, outside parallel regions. */
float *nas_ws_shared(nas_workspace *ws, size_t floats);

void *nas_aligned_alloc(size_t bytes);

#endif
