#include "SlopeAVX2.h"

#if defined(__x86_64__)
#include <immintrin.h>

// The 4 × 8 micro-kernel of `MatmulKernels.microKernel`: eight ymm accumulators, one fused
// multiply-add per pair of lanes and step of k, exactly as Swift's `addProduct` rounds.
__attribute__((target("avx2,fma")))
void slope_avx2_matmul_4x8(long kc, const double *a, const double *b, double *c, long ldc, int accumulate) {
    __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd();
    __m256d c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
    __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd();
    __m256d c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
    for (long p = 0; p < kc; p++) {
        __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
        __m256d a0 = _mm256_broadcast_sd(a), a1 = _mm256_broadcast_sd(a + 1);
        __m256d a2 = _mm256_broadcast_sd(a + 2), a3 = _mm256_broadcast_sd(a + 3);
        c00 = _mm256_fmadd_pd(a0, b0, c00); c01 = _mm256_fmadd_pd(a0, b1, c01);
        c10 = _mm256_fmadd_pd(a1, b0, c10); c11 = _mm256_fmadd_pd(a1, b1, c11);
        c20 = _mm256_fmadd_pd(a2, b0, c20); c21 = _mm256_fmadd_pd(a2, b1, c21);
        c30 = _mm256_fmadd_pd(a3, b0, c30); c31 = _mm256_fmadd_pd(a3, b1, c31);
        a += 4;
        b += 8;
    }
    double *r0 = c, *r1 = c + ldc, *r2 = c + 2 * ldc, *r3 = c + 3 * ldc;
    if (accumulate) {
        c00 = _mm256_add_pd(_mm256_loadu_pd(r0), c00); c01 = _mm256_add_pd(_mm256_loadu_pd(r0 + 4), c01);
        c10 = _mm256_add_pd(_mm256_loadu_pd(r1), c10); c11 = _mm256_add_pd(_mm256_loadu_pd(r1 + 4), c11);
        c20 = _mm256_add_pd(_mm256_loadu_pd(r2), c20); c21 = _mm256_add_pd(_mm256_loadu_pd(r2 + 4), c21);
        c30 = _mm256_add_pd(_mm256_loadu_pd(r3), c30); c31 = _mm256_add_pd(_mm256_loadu_pd(r3 + 4), c31);
    }
    _mm256_storeu_pd(r0, c00); _mm256_storeu_pd(r0 + 4, c01);
    _mm256_storeu_pd(r1, c10); _mm256_storeu_pd(r1 + 4, c11);
    _mm256_storeu_pd(r2, c20); _mm256_storeu_pd(r2 + 4, c21);
    _mm256_storeu_pd(r3, c30); _mm256_storeu_pd(r3 + 4, c31);
}
#endif
