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

// Several sums and dot products over one range in one pass: totals[j] = Σ a[j][i]·b[j][i], or
// Σ a[j][i] where b[j] is NULL, each with exactly the operations of `slope_avx2_dot` or
// `slope_avx2_sum` (its own four running totals in one register, the tail added to the first).
// One sum alone waits on its adds (a chain of dependent additions); K independent chains in
// one loop fill the pipeline, and a product feeding a sum is never stored and read back.
#define SLOPE_SUMS(K)                                                                          \
    __attribute__((target("avx2"), always_inline))                                             \
    static inline void slope_avx2_sums_##K(const double *const *a, const double *const *b,     \
                                           long n, double *totals) {                           \
        __m256d lanes_of[K];                                                                   \
        for (int j = 0; j < K; j++) lanes_of[j] = _mm256_setzero_pd();                         \
        long i = 0;                                                                            \
        for (; i + 4 <= n; i += 4) {                                                           \
            for (int j = 0; j < K; j++) {                                                      \
                __m256d x = _mm256_loadu_pd(a[j] + i);                                         \
                if (b[j]) x = _mm256_mul_pd(x, _mm256_loadu_pd(b[j] + i));                     \
                lanes_of[j] = _mm256_add_pd(lanes_of[j], x);                                   \
            }                                                                                  \
        }                                                                                      \
        for (int j = 0; j < K; j++) {                                                          \
            double lanes[4];                                                                   \
            _mm256_storeu_pd(lanes, lanes_of[j]);                                              \
            double s0 = lanes[0];                                                              \
            for (long t = i; t < n; t++) s0 += b[j] ? a[j][t] * b[j][t] : a[j][t];             \
            totals[j] = (s0 + lanes[1]) + (lanes[2] + lanes[3]);                               \
        }                                                                                      \
    }
SLOPE_SUMS(1)
SLOPE_SUMS(2)
SLOPE_SUMS(3)
SLOPE_SUMS(4)

__attribute__((target("avx2")))
void slope_avx2_sums(long k, const double *const *a, const double *const *b, long n, double *totals) {
    for (long first = 0; first < k; first += 4) {
        switch (k - first < 4 ? k - first : 4) {
        case 1: slope_avx2_sums_1(a + first, b + first, n, totals + first); break;
        case 2: slope_avx2_sums_2(a + first, b + first, n, totals + first); break;
        case 3: slope_avx2_sums_3(a + first, b + first, n, totals + first); break;
        default: slope_avx2_sums_4(a + first, b + first, n, totals + first); break;
        }
    }
}

// y[i] = t0 ± t1 ± … over the terms in order (two to four), term j = values[j][i] · coefficients[j]
// where bit j of `scaled` is set, values[j][i] where it is not, coefficients[j] alone where
// values[j] is NULL; subtracted where bit j of `subtracted` is set. One pass where the chain of
// instructions took one per operation, with the chain's bits: every term is made a product
// added, which rounds exactly as the chain did (v · 1 is v; rounding is symmetric in sign, so
// v · (-c) is -(v · c), and a - b is a + (-b)). The loop is specialised for each count and each
// set of terms that are scalars alone (`constants`), so it runs free of branches. y may be one of
// the values (each element is read before it is written).
__attribute__((always_inline, target("avx2")))
static inline void slope_avx2_combination_loop(long terms, long constants, const double *const *values,
                                               const double *coefficients, double *y, long n) {
    const double *v[4] = { 0, 0, 0, 0 };
    double c[4] = { 0, 0, 0, 0 };
    __m256d cv[4];
    for (long j = 0; j < terms; j++) {
        v[j] = values[j];
        c[j] = coefficients[j];
        cv[j] = _mm256_set1_pd(c[j]);
    }
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d total = (constants & 1) ? cv[0] : _mm256_mul_pd(_mm256_loadu_pd(v[0] + i), cv[0]);
        for (long j = 1; j < terms; j++) {
            total = _mm256_add_pd(total, ((constants >> j) & 1) ? cv[j] : _mm256_mul_pd(_mm256_loadu_pd(v[j] + i), cv[j]));
        }
        _mm256_storeu_pd(y + i, total);
    }
    for (; i < n; i++) {
        double total = (constants & 1) ? c[0] : v[0][i] * c[0];
        for (long j = 1; j < terms; j++) total += ((constants >> j) & 1) ? c[j] : v[j][i] * c[j];
        y[i] = total;
    }
}

#define SLOPE_COMBINATION_CASE(terms, constants)                                                  \
    case (terms) * 16 + (constants):                                                              \
        slope_avx2_combination_loop(terms, constants, values, signed_coefficients, y, n); break;
#define SLOPE_COMBINATION_CASES_2(terms) SLOPE_COMBINATION_CASE(terms, 0) SLOPE_COMBINATION_CASE(terms, 1) \
    SLOPE_COMBINATION_CASE(terms, 2) SLOPE_COMBINATION_CASE(terms, 3)
#define SLOPE_COMBINATION_CASES_3(terms) SLOPE_COMBINATION_CASES_2(terms) SLOPE_COMBINATION_CASE(terms, 4) \
    SLOPE_COMBINATION_CASE(terms, 5) SLOPE_COMBINATION_CASE(terms, 6) SLOPE_COMBINATION_CASE(terms, 7)
#define SLOPE_COMBINATION_CASES_4(terms) SLOPE_COMBINATION_CASES_3(terms) SLOPE_COMBINATION_CASE(terms, 8) \
    SLOPE_COMBINATION_CASE(terms, 9) SLOPE_COMBINATION_CASE(terms, 10) SLOPE_COMBINATION_CASE(terms, 11) \
    SLOPE_COMBINATION_CASE(terms, 12) SLOPE_COMBINATION_CASE(terms, 13) SLOPE_COMBINATION_CASE(terms, 14) \
    SLOPE_COMBINATION_CASE(terms, 15)

__attribute__((target("avx2")))
void slope_avx2_combination(long terms, const double *const *values, const double *coefficients, long scaled,
                            long subtracted, double *y, long n) {
    double signed_coefficients[4];
    long constants = 0;
    for (long j = 0; j < terms && j < 4; j++) {
        double coefficient = values[j] && !((scaled >> j) & 1) ? 1.0 : coefficients[j];
        signed_coefficients[j] = ((subtracted >> j) & 1) ? -coefficient : coefficient;
        if (!values[j]) constants |= 1L << j;
    }
    switch (terms * 16 + constants) {
    SLOPE_COMBINATION_CASES_2(2)
    SLOPE_COMBINATION_CASES_3(3)
    SLOPE_COMBINATION_CASES_4(4)
    default: break;
    }
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
// The smallest and the largest of x[0..<n] in one pass, each as `slope_avx2_extreme` finds it
// (two independent chains instead of two passes). Bit 0 of the result says the smallest is
// exact and in `smallest`, bit 1 the same for the largest; a NaN anywhere clears both, and a
// zero extremum clears its bit (the caller runs the sequential loop for it).
__attribute__((target("avx2")))
int slope_avx2_min_max(const double *x, long n, double *smallest, double *largest) {
    __m256d low = _mm256_set1_pd(__builtin_inf()), high = _mm256_set1_pd(-__builtin_inf());
    __m256d unordered = _mm256_setzero_pd();
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        __m256d v = _mm256_loadu_pd(x + i);
        unordered = _mm256_or_pd(unordered, _mm256_cmp_pd(v, v, _CMP_UNORD_Q));
        low = _mm256_min_pd(low, v);
        high = _mm256_max_pd(high, v);
    }
    double low_lanes[4], high_lanes[4];
    _mm256_storeu_pd(low_lanes, low);
    _mm256_storeu_pd(high_lanes, high);
    double min = low_lanes[0], max = high_lanes[0];
    int nan = _mm256_movemask_pd(unordered) != 0;
    for (int lane = 1; lane < 4; lane++) {
        min = low_lanes[lane] < min ? low_lanes[lane] : min;
        max = high_lanes[lane] > max ? high_lanes[lane] : max;
    }
    for (; i < n; i++) {
        double v = x[i];
        nan |= v != v;
        min = v < min ? v : min;
        max = v > max ? v : max;
    }
    if (nan) return 0;
    int exact = 0;
    if (min != 0) { *smallest = min; exact |= 1; }
    if (max != 0) { *largest = max; exact |= 2; }
    return exact;
}

// c[i] = Σ_p a[p·m + i] · b[p] for lo ≤ i < hi, each product rounded, then added in order of p
// (`MatmulKernels.matrixVector` of a transposed A): the columns of A four at a time, c in L1.
__attribute__((target("avx2")))
void slope_avx2_scaled_row_sums(const double *a, const double *b, double *c, long m, long k, long lo, long hi) {
    for (long i = lo; i < hi; i++) c[i] = 0;
    for (long p = 0; p < k; p++) {
        const double *row = a + p * m;
        __m256d scale = _mm256_set1_pd(b[p]);
        long i = lo;
        for (; i + 4 <= hi; i += 4) {
            __m256d product = _mm256_mul_pd(_mm256_loadu_pd(row + i), scale);
            _mm256_storeu_pd(c + i, _mm256_add_pd(_mm256_loadu_pd(c + i), product));
        }
        for (; i < hi; i++) c[i] += row[i] * b[p];
    }
}
#endif
