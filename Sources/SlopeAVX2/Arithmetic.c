#include "SlopeAVX2.h"

#if defined(__x86_64__)
#include <immintrin.h>

// The arithmetic loops of `ElementwiseKernels.binary` and the sums of `ReductionKernels`, four
// lanes at a time. Each rounds exactly as the Swift loop does: one IEEE operation per element,
// no contraction, and the sums keep Swift's four running totals (lane i adds elements i, i+4,
// i+8, …) and combine them as (s0 + s1) + (s2 + s3).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#define SLOPE_BINARY(name, expression)                                                         \
    __attribute__((target("avx2")))                                                            \
    void slope_avx2_##name(const double *a, const double *b, double *y, long n) {              \
        for (long i = 0; i < n; i++) { double l = a[i], r = b[i]; y[i] = (expression); }      \
    }                                                                                          \
    __attribute__((target("avx2")))                                                            \
    void slope_avx2_##name##_scalar_lhs(double l, const double *b, double *y, long n) {       \
        for (long i = 0; i < n; i++) { double r = b[i]; y[i] = (expression); }                \
    }                                                                                          \
    __attribute__((target("avx2")))                                                            \
    void slope_avx2_##name##_scalar_rhs(const double *a, double r, double *y, long n) {       \
        for (long i = 0; i < n; i++) { double l = a[i]; y[i] = (expression); }                \
    }

SLOPE_BINARY(add, l + r)
SLOPE_BINARY(sub, l - r)
SLOPE_BINARY(mul, l * r)
SLOPE_BINARY(div, l / r)

// The four running totals as the four lanes of one register, then the tail added to the first,
// as Swift does.
__attribute__((target("avx2")))
double slope_avx2_sum(const double *x, long n) {
    __m256d totals = _mm256_setzero_pd();
    long i = 0;
    for (; i + 4 <= n; i += 4) totals = _mm256_add_pd(totals, _mm256_loadu_pd(x + i));
    double lanes[4];
    _mm256_storeu_pd(lanes, totals);
    double s0 = lanes[0];
    for (; i < n; i++) s0 += x[i];
    return (s0 + lanes[1]) + (lanes[2] + lanes[3]);
}

// Each product rounded, then added (a multiply and an add, not a fused multiply-add).
__attribute__((target("avx2")))
double slope_avx2_dot(const double *a, const double *b, long n) {
    __m256d totals = _mm256_setzero_pd();
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        totals = _mm256_add_pd(totals, _mm256_mul_pd(_mm256_loadu_pd(a + i), _mm256_loadu_pd(b + i)));
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, totals);
    double s0 = lanes[0];
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + lanes[1]) + (lanes[2] + lanes[3]);
}
#endif
