/* Library state (thread count, BLAS setup), aligned buffers and the reusable scratch workspace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
#include "internal.h"

static int g_threads = 0; /* 0 until first use: then OMP_NUM_THREADS or the core count */

/* OpenBLAS gets one thread for good: our OpenMP threads each call it on their own slice, and a
 * second pool of spinning BLAS workers would only fight them for the two cores. */
__attribute__((constructor)) static void nas_init(void) {
    openblas_set_num_threads(1);
}

int nas_threads(void) {
    int t = __atomic_load_n(&g_threads, __ATOMIC_RELAXED);
    if (t <= 0) {
        t = omp_get_max_threads();
        if (t < 1) t = 1;
        if (t > NAS_MAX_THREADS) t = NAS_MAX_THREADS;
        __atomic_store_n(&g_threads, t, __ATOMIC_RELAXED);
    }
    return t;
}

void nas_set_threads(int threads) {
    if (threads < 1) threads = 1;
    if (threads > NAS_MAX_THREADS) threads = NAS_MAX_THREADS;
    __atomic_store_n(&g_threads, threads, __ATOMIC_RELAXED);
}

int nas_get_threads(void) { return nas_threads(); }

static int g_deterministic = 0;

void nas_set_deterministic(int on) { __atomic_store_n(&g_deterministic, on ? 1 : 0, __ATOMIC_RELAXED); }

int nas_get_deterministic(void) { return __atomic_load_n(&g_deterministic, __ATOMIC_RELAXED); }

int nas_blas_info(char *buf, int cap) {
    char *config = openblas_get_config();
    char *core = openblas_get_corename();
    const char *wait = getenv("OMP_WAIT_POLICY"), *spin = getenv("GOMP_SPINCOUNT");
    int len = snprintf(buf, cap > 0 ? (size_t)cap : 0,
                       "%s; core %s; blas threads %d (one per OpenMP thread); openmp threads %d, wait policy %s%s%s",
                       config ? config : "OpenBLAS (no config)", core ? core : "unknown",
                       openblas_get_num_threads(), nas_threads(), wait ? wait : "default",
                       spin ? ", spin count " : "", spin ? spin : "");
    return len;
}

void *nas_aligned_alloc(size_t bytes) {
    void *p = NULL;
    if (bytes == 0) bytes = 64;
    if (posix_memalign(&p, 64, (bytes + 63) & ~(size_t)63) != 0) return NULL;
    return p;
}

int nas_alloc(int64_t bytes, void **out) {
    if (bytes < 0) return NAS_ERR_ARG;
    *out = nas_aligned_alloc((size_t)bytes);
    return *out ? NAS_OK : NAS_ERR_ALLOC;
}

void nas_free(void *p) { free(p); }

void nas_fill(int64_t n, float value, float *x) {
    if (value == 0.0f) {
        /* memset is faster than a vector store loop and parallel only for big blocks */
        int t = nas_threads_for(n / 16);
        if (t == 1) { memset(x, 0, (size_t)n * sizeof(float)); return; }
        #pragma omp parallel num_threads(t)
        {
            int id = omp_get_thread_num(), nt = omp_get_num_threads();
            int64_t lo = n * id / nt, hi = n * (id + 1) / nt;
            memset(x + lo, 0, (size_t)(hi - lo) * sizeof(float));
        }
        return;
    }
    #pragma omp parallel for simd num_threads(nas_threads_for(n)) schedule(guided, 4096)
    for (int64_t i = 0; i < n; i++) x[i] = value;
}

int nas_workspace_create(nas_workspace **out) {
    *out = calloc(1, sizeof(nas_workspace));
    return *out ? NAS_OK : NAS_ERR_ALLOC;
}

void nas_workspace_destroy(nas_workspace *ws) {
    if (!ws) return;
    for (int t = 0; t < NAS_MAX_THREADS; t++) {
        free(ws->slot[t][0]);
        free(ws->slot[t][1]);
    }
    free(ws->shared);
    free(ws);
}

void nas_workspace_bytes(const nas_workspace *ws, int64_t *out) {
    int64_t total = (int64_t)ws->sharedCap * 4;
    for (int t = 0; t < NAS_MAX_THREADS; t++) total += (int64_t)(ws->cap[t][0] + ws->cap[t][1]) * 4;
    *out = total;
}

/* Grows to exactly the need, never shrinks: shapes repeat every training step, so after the
 * first step of a child network nothing is allocated again. */
static float *grow(float **p, size_t *cap, size_t floats) {
    if (*cap >= floats && *p) return *p;
    free(*p);
    *p = nas_aligned_alloc(floats * sizeof(float));
    *cap = *p ? floats : 0;
    return *p;
}

float *nas_ws_slot(nas_workspace *ws, int tid, int which, size_t floats) {
    if (tid < 0 || tid >= NAS_MAX_THREADS) return NULL;
    return grow(&ws->slot[tid][which], &ws->cap[tid][which], floats);
}

float *nas_ws_shared(nas_workspace *ws, size_t floats) {
    return grow(&ws->shared, &ws->sharedCap, floats);
}
