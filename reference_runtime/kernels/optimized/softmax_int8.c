/* SOFTMAX int8 -> int8, optimised for cores without SIMD (Cortex-M3), bit-exact with
 * kernels/softmax.c: the same prepare and the same fixed-point steps (softmax.h), but each
 * exp, the costly step (gemmlowp's exp_on_negative_values), computed once instead of twice:
 * the first CACHED exps of a row (every exp of a classifier's row) are kept on the stack
 * from the sum for the output; a longer row's remaining ones are computed again. The row's
 * maximum needs none: gemmlowp's exp_on_negative_values(0) is exactly One (INT32_MAX). */
#include "../softmax.h"
#include "tm_ops.h"

enum { CACHED = 32 }; /* 128 bytes of stack */

static int32_t exp_of(const softmax_params *p, int32_t diff) {
  return diff == 0 ? INT32_MAX : tm_softmax_exp(p, diff);
}

static void row(const softmax_params *p, const int8_t *in, int8_t *out) {
  int32_t exps[CACHED];
  const int32_t max_in_row = tm_softmax_row_max(in, p->depth);
  int32_t sum_of_exps = 0; /* Q12 */
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    const int32_t exp = diff >= p->diff_min ? exp_of(p, diff) : 0;
    if (diff >= p->diff_min) sum_of_exps += tm_softmax_sum_term(exp);
    if (c < CACHED) exps[c] = exp;
  }
  const tm_softmax_scale scale = tm_softmax_scale_of(sum_of_exps, 8);
  for (int32_t c = 0; c < p->depth; c++) {
    const int32_t diff = in[c] - max_in_row;
    if (diff < p->diff_min) {
      out[c] = INT8_MIN;
    } else {
      const int32_t exp = c < CACHED ? exps[c] : exp_of(p, diff);
      out[c] = (int8_t)tm_softmax_value(&scale, exp, 8);
    }
  }
}

/* prepare admitted int8 -> int8 only */
static tm_status invoke(tm_ctx *ctx, const tm_node *node) {
  const softmax_params *p = node->op_data;
  const int8_t *in = tm_node_input(ctx, node, 0)->data;
  int8_t *out = tm_node_output(ctx, node, 0)->data;
  for (int32_t r = 0; r < p->rows; r++, in += p->depth, out += p->depth) row(p, in, out);
  return TM_OK;
}

const tm_kernel tm_kernel_softmax_int8_opt = {sizeof(softmax_params), tm_softmax_prepare_int8,
                                              invoke};
