/* RESHAPE: the output tensor's shape comes from the model (as in TFLM micro, which ignores
 * the shape input and new_shape option at run time); the kernel checks element counts and
 * types and copies the bytes unless the interpreter let output alias input. */
#include <string.h>

#include "tm_kernel_util.h"
#include "tm_ops.h"

static tm_status reshape_prepare(tm_ctx *ctx, tm_node *node) {
  tm_tensor *in[2], *out;
  tm_status st = tm_ku_io(ctx, node, 1, 2, in, &out);
  if (st == TM_OK) st = tm_ku_expect_type(node, out, "output", in[0]->type);
  if (st != TM_OK) return st;
  if (tm_tensor_elements(in[0]) != tm_tensor_elements(out)) { /* same type: same bytes */
    TM_KLOG(node, "input has %ld elements, output %ld", (long)tm_tensor_elements(in[0]),
            (long)tm_tensor_elements(out));
    return TM_ERR_MODEL;
  }
  return TM_OK;
}

static tm_status reshape_invoke(tm_ctx *ctx, const tm_node *node) {
  const tm_tensor *in = tm_node_input(ctx, node, 0);
  tm_tensor *out = tm_node_output(ctx, node, 0);
  /* memcpy, not memmove (252 more bytes on Cortex-M3): input and output are live together,
   * so the planner never lets them overlap (an exact alias needs no copy) */
  if (out->data != in->data) memcpy(out->data, in->data, tm_tensor_bytes(in));
  return TM_OK;
}

const tm_kernel tm_kernel_reshape = {0, reshape_prepare, reshape_invoke};
