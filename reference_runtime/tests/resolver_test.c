/* Op resolver: lookup, duplicates, overflow, bad arguments; and the name/size helpers. */
#include <string.h>

#include "micro_test.h"
#include "tm_kernel.h"

static tm_status nop_invoke(tm_ctx *ctx, const tm_node *node) {
  (void)ctx;
  (void)node;
  return TM_OK;
}
static const tm_kernel k1 = {0, NULL, nop_invoke};
static const tm_kernel k2 = {0, NULL, nop_invoke};

TF_LITE_MICRO_TESTS_BEGIN

TF_LITE_MICRO_TEST(AddsAndFinds) {
  tm_op_registration storage[2];
  tm_resolver r;
  tm_resolver_init(&r, storage, 2);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_resolver_add(&r, 9, &k1));
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_resolver_add(&r, 25, &k2));
  TF_LITE_MICRO_EXPECT(tm_resolver_find(&r, 9) == &k1);
  TF_LITE_MICRO_EXPECT(tm_resolver_find(&r, 25) == &k2);
  TF_LITE_MICRO_EXPECT(tm_resolver_find(&r, 3) == NULL);
  TF_LITE_MICRO_EXPECT(tm_resolver_find(NULL, 9) == NULL);
}

TF_LITE_MICRO_TEST(RejectsDuplicate) {
  tm_op_registration storage[4];
  tm_resolver r;
  tm_resolver_init(&r, storage, 4);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_resolver_add(&r, 9, &k1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_RESOLVER, tm_resolver_add(&r, 9, &k2));
  TF_LITE_MICRO_EXPECT(tm_resolver_find(&r, 9) == &k1);
  TF_LITE_MICRO_EXPECT_EQ(1, r.count);
}

TF_LITE_MICRO_TEST(RejectsOverflow) {
  tm_op_registration storage[1];
  tm_resolver r;
  tm_resolver_init(&r, storage, 1);
  TF_LITE_MICRO_EXPECT_EQ(TM_OK, tm_resolver_add(&r, 1, &k1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_RESOLVER, tm_resolver_add(&r, 2, &k2));
  tm_resolver_init(&r, NULL, 5); /* no storage: capacity 0 */
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_RESOLVER, tm_resolver_add(&r, 2, &k2));
}

TF_LITE_MICRO_TEST(RejectsBadArguments) {
  tm_op_registration storage[1];
  tm_resolver r;
  tm_resolver_init(&r, storage, 1);
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_resolver_add(NULL, 1, &k1));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_resolver_add(&r, 1, NULL));
  TF_LITE_MICRO_EXPECT_EQ(TM_ERR_ARG, tm_resolver_add(&r, -1, &k1));
}

TF_LITE_MICRO_TEST(NamesOpsStatusesAndTypes) {
  tm_op_name_buf b;
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("ADD", tm_op_name(0, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("FULLY_CONNECTED", tm_op_name(9, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("QUANTIZE", tm_op_name(114, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("RIGHT_SHIFT", tm_op_name(161, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("UNKNOWN", tm_op_name(162, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("UNKNOWN", tm_op_name(-1, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("UNKNOWN", tm_op_name(INT32_MAX, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("UNKNOWN", tm_op_name(INT32_MIN, &b)));
  TF_LITE_MICRO_EXPECT(tm_op_name(3, &b) == b.s);
  /* digits (escaped in the packed table), the longest name, and their neighbours */
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("L2_POOL_2D", tm_op_name(12, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("RELU_N1_TO_1", tm_op_name(20, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("RELU6", tm_op_name(21, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("NON_MAX_SUPPRESSION_V5", tm_op_name(121, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("SCATTER_ND", tm_op_name(122, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("PLACEHOLDER_FOR_GREATER_OP_CODES", tm_op_name(127, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("CUMSUM", tm_op_name(128, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("RELU_0_TO_1", tm_op_name(152, &b)));
  /* names spelt with the table's words, at their start, middle and end */
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("DEPTHWISE_CONV_2D", tm_op_name(4, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("HASHTABLE_LOOKUP", tm_op_name(10, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("SPACE_TO_BATCH_ND", tm_op_name(38, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("UNIDIRECTIONAL_SEQUENCE_LSTM", tm_op_name(44, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("BIDIRECTIONAL_SEQUENCE_RNN", tm_op_name(46, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("REDUCE_MAX", tm_op_name(82, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("UNSORTED_SEGMENT_SUM", tm_op_name(155, &b)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("TM_ERR_RESOLVER", tm_status_str(TM_ERR_RESOLVER)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("TM_OK", tm_status_str(TM_OK)));
  TF_LITE_MICRO_EXPECT_EQ(0, strcmp("TM_ERR_UNKNOWN", tm_status_str((tm_status)7)));
  TF_LITE_MICRO_EXPECT_EQ(1, tm_type_size(TM_TYPE_INT8));
  TF_LITE_MICRO_EXPECT_EQ(2, tm_type_size(TM_TYPE_INT16));
  TF_LITE_MICRO_EXPECT_EQ(4, tm_type_size(TM_TYPE_FLOAT32));
  TF_LITE_MICRO_EXPECT_EQ(8, tm_type_size(TM_TYPE_INT64));
  TF_LITE_MICRO_EXPECT_EQ(0, tm_type_size(TM_TYPE_STRING));
  tm_tensor t = {0};
  TF_LITE_MICRO_EXPECT_EQ(1, tm_tensor_elements(&t));
  static const int dims[] = {2, 3, 4};
  t.ndims = 3;
  t.dims = dims;
  TF_LITE_MICRO_EXPECT_EQ(24, tm_tensor_elements(&t));
}

/* Every code decodes to a non-empty name of [A-Z0-9_] (a packing or decoding slip would
 * show up as garbage or an empty name somewhere, not only at the codes checked above). */
TF_LITE_MICRO_TEST(EveryOpNameDecodes) {
  tm_op_name_buf b;
  for (int32_t code = 0; code < 162; code++) {
    const char *name = tm_op_name(code, &b);
    size_t n = strlen(name);
    TF_LITE_MICRO_EXPECT(n > 0 && n < TM_OP_NAME_SIZE);
    TF_LITE_MICRO_EXPECT(strcmp(name, "UNKNOWN") != 0);
    TF_LITE_MICRO_EXPECT_EQ(n, strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"));
  }
}

TF_LITE_MICRO_TESTS_END
