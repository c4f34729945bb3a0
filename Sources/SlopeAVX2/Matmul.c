#include "SlopeAVX2.h"

#if defined(__x86_64__)
#include <immintrin.h>

// Writes one 8-wide row of a C tile from its two accumulators: C's row is added first when the
// product accumulates over panels of k (C + tile, as in the Swift kernel), then stored.
__attribute__((always_inline, target("avx2,fma")))
static inline void slope_write_row(double *row, __m256d low, __m256d high, int accumulate) {
    if (accumulate) {
        low = _mm256_add_pd(_mm256_loadu_pd(row), low);
        high = _mm256_add_pd(_mm256_loadu_pd(row + 4), high);
    }
    _mm256_storeu_pd(row, low);
    _mm256_storeu_pd(row + 4, high);
}

// The 4 × 8 micro-kernel: eight ymm accumulators, one fused multiply-add per pair of lanes and
// step of k, exactly as Swift's `addProduct` rounds. Element (i, p) of A is at
// a[i * row_stride + p * column_stride]: 1 and 4 for a packed panel (`MatmulKernels.microKernel`),
// or A's own strides, read in place, without copying it (which a product reads once per column
// panel of B, from L1 or L2 either way). The same values in the same fused multiply-adds, so the
// same bits either way.
__attribute__((always_inline, target("avx2,fma")))
static inline void slope_matmul_4x8(long kc, const double *a, long row_stride, long column_stride, const double *b,
                                    double *c, long ldc, int accumulate) {
    __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd();
    __m256d c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
    __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd();
    __m256d c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
    const double *a1p = a + row_stride, *a2p = a + 2 * row_stride, *a3p = a + 3 * row_stride;
    for (long p = 0; p < kc; p++) {
        long at = p * column_stride;
        __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
        __m256d a0 = _mm256_broadcast_sd(a + at), a1 = _mm256_broadcast_sd(a1p + at);
        __m256d a2 = _mm256_broadcast_sd(a2p + at), a3 = _mm256_broadcast_sd(a3p + at);
        c00 = _mm256_fmadd_pd(a0, b0, c00); c01 = _mm256_fmadd_pd(a0, b1, c01);
        c10 = _mm256_fmadd_pd(a1, b0, c10); c11 = _mm256_fmadd_pd(a1, b1, c11);
        c20 = _mm256_fmadd_pd(a2, b0, c20); c21 = _mm256_fmadd_pd(a2, b1, c21);
        c30 = _mm256_fmadd_pd(a3, b0, c30); c31 = _mm256_fmadd_pd(a3, b1, c31);
        b += 8;
    }
    slope_write_row(c, c00, c01, accumulate);
    slope_write_row(c + ldc, c10, c11, accumulate);
    slope_write_row(c + 2 * ldc, c20, c21, accumulate);
    slope_write_row(c + 3 * ldc, c30, c31, accumulate);
}

__attribute__((target("avx2,fma")))
void slope_avx2_matmul_4x8(long kc, const double *a, const double *b, double *c, long ldc, int accumulate) {
    slope_matmul_4x8(kc, a, 1, 4, b, c, ldc, accumulate);
}

__attribute__((target("avx2,fma")))
void slope_avx2_matmul_4x8_direct_a(long kc, const double *a, long row_stride, long column_stride, const double *b,
                                    double *c, long ldc, int accumulate) {
    slope_matmul_4x8(kc, a, row_stride, column_stride, b, c, ldc, accumulate);
}

// The 6 × 8 micro-kernel: twelve ymm accumulators, so the two FMA pipes of an AVX2 core stay
// busy with eight loads for twelve multiply-adds per step of k (the 4 × 8 kernel has six loads
// for eight). Row i of A starts at `first + i * row_stride` for i < `split`, at
// `second + (i - split) * row_stride` after it, and steps by `column_stride` along k: a block of
// A read in place (split 6), or six rows across two packed 4-row panels (split 4, or 2 when the
// tile starts half-way into a panel). Each element is the same chain of fused multiply-adds over
// p as in the 4 × 8 kernel, then added to C once, so C has the same bits whichever kernel ran.
__attribute__((target("avx2,fma")))
void slope_avx2_matmul_6x8(long kc, const double *first, const double *second, long split, long row_stride,
                           long column_stride, const double *b, double *c, long ldc, int accumulate) {
    const double *rows[6];
    for (long i = 0; i < 6; i++) rows[i] = i < split ? first + i * row_stride : second + (i - split) * row_stride;
    const double *a0p = rows[0], *a1p = rows[1], *a2p = rows[2], *a3p = rows[3], *a4p = rows[4], *a5p = rows[5];
    __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd();
    __m256d c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
    __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd();
    __m256d c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
    __m256d c40 = _mm256_setzero_pd(), c41 = _mm256_setzero_pd();
    __m256d c50 = _mm256_setzero_pd(), c51 = _mm256_setzero_pd();
    for (long p = 0; p < kc; p++) {
        long at = p * column_stride;
        __m256d b0 = _mm256_loadu_pd(b), b1 = _mm256_loadu_pd(b + 4);
        __m256d a = _mm256_broadcast_sd(a0p + at);
        c00 = _mm256_fmadd_pd(a, b0, c00); c01 = _mm256_fmadd_pd(a, b1, c01);
        a = _mm256_broadcast_sd(a1p + at);
        c10 = _mm256_fmadd_pd(a, b0, c10); c11 = _mm256_fmadd_pd(a, b1, c11);
        a = _mm256_broadcast_sd(a2p + at);
        c20 = _mm256_fmadd_pd(a, b0, c20); c21 = _mm256_fmadd_pd(a, b1, c21);
        a = _mm256_broadcast_sd(a3p + at);
        c30 = _mm256_fmadd_pd(a, b0, c30); c31 = _mm256_fmadd_pd(a, b1, c31);
        a = _mm256_broadcast_sd(a4p + at);
        c40 = _mm256_fmadd_pd(a, b0, c40); c41 = _mm256_fmadd_pd(a, b1, c41);
        a = _mm256_broadcast_sd(a5p + at);
        c50 = _mm256_fmadd_pd(a, b0, c50); c51 = _mm256_fmadd_pd(a, b1, c51);
        b += 8;
    }
    slope_write_row(c, c00, c01, accumulate);
    slope_write_row(c + ldc, c10, c11, accumulate);
    slope_write_row(c + 2 * ldc, c20, c21, accumulate);
    slope_write_row(c + 3 * ldc, c30, c31, accumulate);
    slope_write_row(c + 4 * ldc, c40, c41, accumulate);
    slope_write_row(c + 5 * ldc, c50, c51, accumulate);
}

// The 4 × 16 tile of two neighbouring 8-column panels of B at once, in 512-bit registers
// (AVX-512 F): eight accumulators of eight lanes. Element (i, j) is the same chain of fused
// multiply-adds over p as in the 4 × 8 kernels, so C has the same bits; where the CPU executes
// 512-bit FMAs at full width, twice the work per instruction. A is read from a packed panel
// (`row_stride` 1, `column_stride` 4) or in place, as the 4 × 8 kernel does.
__attribute__((target("avx512f")))
void slope_avx512_matmul_4x16(long kc, const double *a, long row_stride, long column_stride, const double *b0,
                              const double *b1, double *c, long ldc, int accumulate) {
    __m512d c00 = _mm512_setzero_pd(), c01 = _mm512_setzero_pd();
    __m512d c10 = _mm512_setzero_pd(), c11 = _mm512_setzero_pd();
    __m512d c20 = _mm512_setzero_pd(), c21 = _mm512_setzero_pd();
    __m512d c30 = _mm512_setzero_pd(), c31 = _mm512_setzero_pd();
    const double *a1p = a + row_stride, *a2p = a + 2 * row_stride, *a3p = a + 3 * row_stride;
    for (long p = 0; p < kc; p++) {
        long at = p * column_stride;
        __m512d l = _mm512_loadu_pd(b0 + p * 8), h = _mm512_loadu_pd(b1 + p * 8);
        __m512d a0 = _mm512_set1_pd(a[at]), a1 = _mm512_set1_pd(a1p[at]);
        __m512d a2 = _mm512_set1_pd(a2p[at]), a3 = _mm512_set1_pd(a3p[at]);
        c00 = _mm512_fmadd_pd(a0, l, c00); c01 = _mm512_fmadd_pd(a0, h, c01);
        c10 = _mm512_fmadd_pd(a1, l, c10); c11 = _mm512_fmadd_pd(a1, h, c11);
        c20 = _mm512_fmadd_pd(a2, l, c20); c21 = _mm512_fmadd_pd(a2, h, c21);
        c30 = _mm512_fmadd_pd(a3, l, c30); c31 = _mm512_fmadd_pd(a3, h, c31);
    }
    double *r0 = c, *r1 = c + ldc, *r2 = c + 2 * ldc, *r3 = c + 3 * ldc;
    if (accumulate) {
        c00 = _mm512_add_pd(_mm512_loadu_pd(r0), c00); c01 = _mm512_add_pd(_mm512_loadu_pd(r0 + 8), c01);
        c10 = _mm512_add_pd(_mm512_loadu_pd(r1), c10); c11 = _mm512_add_pd(_mm512_loadu_pd(r1 + 8), c11);
        c20 = _mm512_add_pd(_mm512_loadu_pd(r2), c20); c21 = _mm512_add_pd(_mm512_loadu_pd(r2 + 8), c21);
        c30 = _mm512_add_pd(_mm512_loadu_pd(r3), c30); c31 = _mm512_add_pd(_mm512_loadu_pd(r3 + 8), c31);
    }
    _mm512_storeu_pd(r0, c00); _mm512_storeu_pd(r0 + 8, c01);
    _mm512_storeu_pd(r1, c10); _mm512_storeu_pd(r1 + 8, c11);
    _mm512_storeu_pd(r2, c20); _mm512_storeu_pd(r2 + 8, c21);
    _mm512_storeu_pd(r3, c30); _mm512_storeu_pd(r3 + 8, c31);
}

// The packing of `MatmulKernels.packA` and `.packB`, four or eight doubles at a time: pure
// copies into the micro-panel order (the same values at the same places, the same zero
// padding), so the product's bits do not depend on which packing ran.

// The four rows r0..r3 (four doubles each) as their four columns, in place.
__attribute__((target("avx2")))
static inline void slope_transpose_4x4(__m256d *r0, __m256d *r1, __m256d *r2, __m256d *r3) {
    __m256d t0 = _mm256_unpacklo_pd(*r0, *r1), t1 = _mm256_unpackhi_pd(*r0, *r1);
    __m256d t2 = _mm256_unpacklo_pd(*r2, *r3), t3 = _mm256_unpackhi_pd(*r2, *r3);
    *r0 = _mm256_permute2f128_pd(t0, t2, 0x20);
    *r1 = _mm256_permute2f128_pd(t1, t3, 0x20);
    *r2 = _mm256_permute2f128_pd(t0, t2, 0x31);
    *r3 = _mm256_permute2f128_pd(t1, t3, 0x31);
}

__attribute__((target("avx2")))
void slope_avx2_pack_a(const double *a, double *packed, long m, long k, long i0, long mc, long p0, long kc,
                       int transposed) {
    for (long panel = 0; panel < mc; panel += 4) {
        long height = mc - panel < 4 ? mc - panel : 4;
        double *target = packed + panel * kc;
        if (transposed) {
            // Element (i, p) at a[p * m + i]: each p's four rows are adjacent.
            const double *source = a + p0 * m + i0 + panel;
            if (height == 4) {
                for (long p = 0; p < kc; p++) _mm256_storeu_pd(target + p * 4, _mm256_loadu_pd(source + p * m));
            } else {
                for (long p = 0; p < kc; p++) {
                    for (long i = 0; i < 4; i++) target[p * 4 + i] = i < height ? source[p * m + i] : 0;
                }
            }
        } else if (height == 4) {
            // Element (i, p) at a[i * k + p]: four rows read four p at a time, turned into columns.
            const double *s0 = a + (i0 + panel) * k + p0, *s1 = s0 + k, *s2 = s1 + k, *s3 = s2 + k;
            long p = 0;
            for (; p + 4 <= kc; p += 4) {
                __m256d r0 = _mm256_loadu_pd(s0 + p), r1 = _mm256_loadu_pd(s1 + p);
                __m256d r2 = _mm256_loadu_pd(s2 + p), r3 = _mm256_loadu_pd(s3 + p);
                slope_transpose_4x4(&r0, &r1, &r2, &r3);
                _mm256_storeu_pd(target + p * 4, r0);
                _mm256_storeu_pd(target + p * 4 + 4, r1);
                _mm256_storeu_pd(target + p * 4 + 8, r2);
                _mm256_storeu_pd(target + p * 4 + 12, r3);
            }
            for (; p < kc; p++) {
                target[p * 4] = s0[p]; target[p * 4 + 1] = s1[p]; target[p * 4 + 2] = s2[p]; target[p * 4 + 3] = s3[p];
            }
        } else {
            for (long p = 0; p < kc; p++) {
                for (long i = 0; i < 4; i++) target[p * 4 + i] = i < height ? a[(i0 + panel + i) * k + p0 + p] : 0;
            }
        }
    }
}

__attribute__((target("avx2")))
void slope_avx2_pack_b(const double *b, double *packed, long k, long n, long p0, long kc, long j0, long nc,
                       int transposed) {
    for (long panel = 0; panel < nc; panel += 8) {
        long width = nc - panel < 8 ? nc - panel : 8;
        double *target = packed + panel * kc;
        if (!transposed && width == 8) {
            // Element (p, j) at b[p * n + j]: each row's eight columns are adjacent.
            const double *source = b + p0 * n + j0 + panel;
            for (long p = 0; p < kc; p++) {
                _mm256_storeu_pd(target + p * 8, _mm256_loadu_pd(source + p * n));
                _mm256_storeu_pd(target + p * 8 + 4, _mm256_loadu_pd(source + p * n + 4));
            }
        } else if (transposed && width == 8) {
            // Element (p, j) at b[j * k + p]: eight rows of B's storage read four p at a time,
            // turned into two 4 × 4 blocks of columns.
            const double *s = b + (j0 + panel) * k + p0;
            long p = 0;
            for (; p + 4 <= kc; p += 4) {
                __m256d l0 = _mm256_loadu_pd(s + p), l1 = _mm256_loadu_pd(s + k + p);
                __m256d l2 = _mm256_loadu_pd(s + 2 * k + p), l3 = _mm256_loadu_pd(s + 3 * k + p);
                __m256d h0 = _mm256_loadu_pd(s + 4 * k + p), h1 = _mm256_loadu_pd(s + 5 * k + p);
                __m256d h2 = _mm256_loadu_pd(s + 6 * k + p), h3 = _mm256_loadu_pd(s + 7 * k + p);
                slope_transpose_4x4(&l0, &l1, &l2, &l3);
                slope_transpose_4x4(&h0, &h1, &h2, &h3);
                double *row = target + p * 8;
                _mm256_storeu_pd(row, l0); _mm256_storeu_pd(row + 4, h0);
                _mm256_storeu_pd(row + 8, l1); _mm256_storeu_pd(row + 12, h1);
                _mm256_storeu_pd(row + 16, l2); _mm256_storeu_pd(row + 20, h2);
                _mm256_storeu_pd(row + 24, l3); _mm256_storeu_pd(row + 28, h3);
            }
            for (; p < kc; p++) {
                for (long j = 0; j < 8; j++) target[p * 8 + j] = s[j * k + p];
            }
        } else {
            for (long p = 0; p < kc; p++) {
                for (long j = 0; j < 8; j++) {
                    double value = 0;
                    if (j < width) value = transposed ? b[(j0 + panel + j) * k + p0 + p] : b[(p0 + p) * n + j0 + panel + j];
                    target[p * 8 + j] = value;
                }
            }
        }
    }
}
#endif
