#include "SlopeAVX2.h"

#if defined(__x86_64__)
int slope_cpu_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

int slope_cpu_has_avx512(void) {
    __builtin_cpu_init();
    return slope_cpu_has_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
}
#endif
