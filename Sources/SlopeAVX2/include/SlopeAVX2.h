// Slope's AVX2 kernels: the inner loops that need 256-bit vectors and fused multiply-adds,
// compiled for AVX2 with per-function target attributes (no build flags), and called only when
// the running CPU has AVX2 and FMA (`slope_cpu_has_avx2_fma`). Each computes exactly what the
// portable Swift loop beside it computes, bit for bit; the tests run both and compare.
//
// Every function reads and writes only the ranges its arguments describe: `n` doubles from each
// pointer, or the packed micro-panels and the C tile of the matrix product. The Swift callers
// pass pointers into buffers the planner sized.
#ifndef SLOPE_AVX2_H
#define SLOPE_AVX2_H

#if defined(__x86_64__)
#include <stddef.h>

/// Tunes glibc's allocator for a compiler that builds and frees arrays of tens of megabytes
/// pass after pass: above the mmap threshold each was a fresh mapping whose pages faulted in
/// again (a tenth of compiling a 100,000-node program); kept in the heap, they are reused.
/// Does nothing on other C libraries.
void slope_keep_freed_memory(void);

/// A heap follower: a thread that makes the heap's pages present (MADV_POPULATE_WRITE, which
/// changes no byte) from its free top up to the program break, and as the break moves, ahead of
/// the caller's allocations, until `slope_heap_follower_stop` or 100 ms without growth. Compiling a long program touched
/// a hundred megabytes of fresh pages, a page fault each, on the one thread that compiles; the
/// follower takes them on the second core, and holds at most the heap's 16 MB top pad that
/// is not yet used. Starts only after `slope_keep_freed_memory` (the executable, not the
/// tests), one at a time; stops silently where the kernel refuses.
void slope_heap_follower_start(void);
void slope_heap_follower_stop(void);
/// The follower's step: makes the pages of [start, start + length) present and writable
/// without changing a byte (MADV_POPULATE_WRITE); 0, or -1 with errno (EINVAL: the kernel
/// cannot). `start` and `length` are multiples of the page size.
int slope_populate_pages(void *start, size_t length);

/// 1 when the CPU supports AVX2 and FMA (and the OS saves the ymm registers), else 0.
int slope_cpu_has_avx2_fma(void);

/// 1 when the CPU also supports AVX-512 F and DQ (and the OS saves the zmm registers), else 0.
int slope_cpu_has_avx512(void);

/// C[4, 8] (+)= Â[4, kc] · B̂[kc, 8] from packed micro-panels (Â: kc groups of 4, B̂: kc rows
/// of 8), rows `ldc` apart; added to C's values when `accumulate` is nonzero.
void slope_avx2_matmul_4x8(long kc, const double *a, const double *b, double *c, long ldc, int accumulate);

/// The same, with A read in place: element (i, p) of the 4 × kc block at
/// a[i * row_stride + p * column_stride] (all four rows inside A).
void slope_avx2_matmul_4x8_direct_a(long kc, const double *a, long row_stride, long column_stride, const double *b,
                                    double *c, long ldc, int accumulate);

/// C[6, 8] (+)= A[6, kc] · B̂[kc, 8]: row i of A at `first + i * row_stride` for i < `split`,
/// at `second + (i - split) * row_stride` from there, stepping by `column_stride` along k (a
/// block read in place, or six rows across two packed 4-row panels). The same bits as the
/// 4 × 8 kernels on those rows.
void slope_avx2_matmul_6x8(long kc, const double *first, const double *second, long split, long row_stride,
                           long column_stride, const double *b, double *c, long ldc, int accumulate);

/// C[4, 16] (+)= A[4, kc] · [B̂₀ B̂₁] with AVX-512 F: two neighbouring packed 8-column panels of B
/// at once; element (i, p) of A at a[i * row_stride + p * column_stride] (1 and 4 for a packed
/// panel). The same bits as two calls of the 4 × 8 kernel.
void slope_avx512_matmul_4x16(long kc, const double *a, long row_stride, long column_stride, const double *b0,
                              const double *b1, double *c, long ldc, int accumulate);

/// `MatmulKernels.packA` and `.packB` with 256-bit loads and stores: the same packed panels,
/// value for value. A is [m, k] (stored [k, m] when `transposed`); B is [k, n] (stored [n, k]).
void slope_avx2_pack_a(const double *a, double *packed, long m, long k, long i0, long mc, long p0, long kc,
                       int transposed);
void slope_avx2_pack_b(const double *b, double *packed, long k, long n, long p0, long kc, long j0, long nc,
                       int transposed);

/// y[i] = f(x[i]) for i < n, with Slope's definitions of exp, log, sigmoid and softplus
/// (`VectorMath` in Swift). `x` and `y` may be the same buffer.
void slope_avx2_exp(const double *x, double *y, long n);
void slope_avx2_log(const double *x, double *y, long n);
void slope_avx2_sigmoid(const double *x, double *y, long n);
void slope_avx2_softplus(const double *x, double *y, long n);

/// sigmoid(x[i]), sigmoid(-x[i]), softplus(x[i]) and softplus(-x[i]) for i < n into the outputs
/// that are not NULL (at least one), sharing e^-|x| and log1p(e^-|x|) between them: each output has
/// the bits `slope_avx2_sigmoid` or `slope_avx2_softplus` gives for x or -x. No output may be `x`.
void slope_avx2_logistic(const double *x, double *sigmoid_x, double *sigmoid_neg_x, double *softplus_x,
                         double *softplus_neg_x, long n);

/// The same five loops, eight lanes at a time with AVX-512 F and DQ (called only when
/// `slope_cpu_has_avx512`); the same bits.
void slope_avx512_exp(const double *x, double *y, long n);
void slope_avx512_log(const double *x, double *y, long n);
void slope_avx512_sigmoid(const double *x, double *y, long n);
void slope_avx512_softplus(const double *x, double *y, long n);
void slope_avx512_logistic(const double *x, double *sigmoid_x, double *sigmoid_neg_x, double *softplus_x,
                           double *softplus_neg_x, long n);

/// y[i] = a[i] OP b[i], y[i] = l OP b[i], y[i] = a[i] OP r for i < n: `ElementwiseKernels.binary`
/// for add, sub, mul and div. `y` may be the same buffer as an operand.
void slope_avx2_add(const double *a, const double *b, double *y, long n);
void slope_avx2_sub(const double *a, const double *b, double *y, long n);
void slope_avx2_mul(const double *a, const double *b, double *y, long n);
void slope_avx2_div(const double *a, const double *b, double *y, long n);
void slope_avx2_add_scalar_lhs(double l, const double *b, double *y, long n);
void slope_avx2_sub_scalar_lhs(double l, const double *b, double *y, long n);
void slope_avx2_mul_scalar_lhs(double l, const double *b, double *y, long n);
void slope_avx2_div_scalar_lhs(double l, const double *b, double *y, long n);
void slope_avx2_add_scalar_rhs(const double *a, double r, double *y, long n);
void slope_avx2_sub_scalar_rhs(const double *a, double r, double *y, long n);
void slope_avx2_mul_scalar_rhs(const double *a, double r, double *y, long n);
void slope_avx2_div_scalar_rhs(const double *a, double r, double *y, long n);

/// y[i] = t0 ± t1 ± … for i < n, left to right, over two to four terms: term j is values[j][i] · coefficients[j] (bit j of
/// `scaled` set), values[j][i] (not set), or coefficients[j] (values[j] NULL), subtracted where bit
/// j of `subtracted` is set; every operation rounded on its own (`ElementwiseKernels.combination`).
/// `y` may be one of the values.
void slope_avx2_combination(long terms, const double *const *values, const double *coefficients, long scaled,
                            long subtracted, double *y, long n);

/// c[i] = Σ_p a[p·m + i]·b[p] over p < k, for lo ≤ i < hi: each product rounded and added in
/// order of p, as `MatmulKernels.matrixVector` does for a transposed A.
void slope_avx2_scaled_row_sums(const double *a, const double *b, double *c, long m, long k, long lo, long hi);

/// Σ x[i] and Σ a[i]·b[i] over i < n, summed as `ReductionKernels.sum` and `.dot` sum.
double slope_avx2_sum(const double *x, long n);
double slope_avx2_dot(const double *a, const double *b, long n);

/// totals[j] = Σ a[j][i]·b[j][i] over i < n for j < k, or Σ a[j][i] where b[j] is NULL: k sums
/// in one pass, each with the bits `slope_avx2_dot` or `slope_avx2_sum` gives.
void slope_avx2_sums(long k, const double *const *a, const double *const *b, long n, double *totals);

/// The largest (`largest` nonzero) or smallest of x[0..<n] into `result`, returning 1, when no
/// element is NaN and that extremum is not zero; otherwise returns 0 and leaves `result` alone.
int slope_avx2_extreme(const double *x, long n, int largest, double *result);

/// The smallest and largest of x[0..<n] in one pass: bit 0 of the result set when `smallest` was
/// written (as `slope_avx2_extreme` with `largest` 0 would), bit 1 likewise for `largest`.
int slope_avx2_min_max(const double *x, long n, double *smallest, double *largest);

#endif
#endif
