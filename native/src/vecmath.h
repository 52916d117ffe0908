/* Lets GCC vectorise expf/logf/tanhf/log1pf in simd loops by declaring glibc's libmvec variants,
 * which <math.h> only announces under -ffast-math (whose other effects we do not want: NaNs must
 * survive so that the conformance tests see them). */
#ifndef NAS_VECMATH_H
#define NAS_VECMATH_H

#include <math.h>

#if defined(__GNUC__) && defined(__x86_64__) && defined(__GLIBC__) && !defined(__FAST_MATH__)
#define NAS_SIMD_DECL __attribute__((__simd__("notinbranch")))
#if __GLIBC_PREREQ(2, 22)
NAS_SIMD_DECL float expf(float);
NAS_SIMD_DECL float logf(float);
#endif
#if __GLIBC_PREREQ(2, 35)
NAS_SIMD_DECL float tanhf(float);
NAS_SIMD_DECL float log1pf(float);
#endif
#endif

#endif
