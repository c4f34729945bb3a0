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

// The largest (or, when `largest` is 0, the smallest) of x[0..<n] in four lanes. Exact only when
// no element is NaN and the extremum is not zero (then every element equal to it has its bits);
// otherwise it returns 0 and the caller runs the sequential loop, which decides which NaN or
// which signed zero wins as `ReduceOp.withCombine` does.
__attribute__((target("avx2")))
int slope_avx2_extreme(const double *x, long n, int largest, double *result) {
    __m256d best = _mm256_set1_pd(largest ? -__builtin_inf() : __builtin_inf());
    __m256d unordered = _mm256_setzero_pd();
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(x + i);
        unordered = _mm256_or_pd(unordered, _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
        best = largest ? _mm256_max_pd(best, v) : _mm256_min_pd(best, v);
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, best);
    double value = lanes[0];
    int nan = _mm256_movemask_pd(unordered) != 0;
    for (int lane = 1; lane < 4; lane++) value = largest ? (lanes[lane] > value ? lanes[lane] : value)
                                                         : (lanes[lane] < value ? lanes[lane] : value);
    for (; i < n; i++) {
        double v = x[i];
        nan |= v != v;
        value = largest ? (v > value ? v : value) : (v < value ? v : value);
    }
    if (nan || value == 0) return 0;
    *result = value;
    return 1;
}
#endif
