/* Internal pieces of the convolution family shared by conv.c, im2col.c and depthwise.c. */
#ifndef NAS_CONV_H
#define NAS_CONV_H

#include <stdint.h>

typedef struct {
    int n, cin, h, w, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups;
    int oh, ow; /* output height and width */
} conv_geom;

/* Output columns o with 0 <= o*stride + off < size, as [*lo, *hi) clipped to [0, out). */
static inline void conv_valid(int off, int stride, int size, int out, int *lo, int *hi) {
    int l = off >= 0 ? 0 : (-off + stride - 1) / stride;
    int h = size - 1 - off >= 0 ? (size - 1 - off) / stride + 1 : 0;
    if (h > out) h = out;
    if (l > h) l = h;
    *lo = l;
    *hi = h;
}

/* col (cg*kh*kw, (r1-r0)*ow) = the patches of output rows [r0, r1) of one image's cg channels
 * x (cg, h, w); zero where a patch reaches into the padding. */
void nas_im2col(const conv_geom *g, int cg, const float *x, int r0, int r1, float *col);
/* The adjoint: dx (cg, h, w) += the patches of col scattered back. */
void nas_col2im(const conv_geom *g, int cg, const float *col, int r0, int r1, float *dx);

/* Depthwise (groups == cin == cout): a direct kernel, no column buffer. */
void nas_depthwise_forward(const conv_geom *g, const float *x, const float *wt, float *y);
void nas_depthwise_backward(const conv_geom *g, const float *x, const float *wt, const float *dy,
                            float *dx, float *dw);

#endif
