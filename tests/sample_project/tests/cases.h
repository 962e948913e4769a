/* Inputs and hand-computed goldens shared by the sample tests. Each golden's derivation is
 * written next to it, so a failure can be checked by hand. */
#ifndef CASES_H
#define CASES_H

#include "toy.h"

static inline toy_mult case_ratio(uint32_t num, uint32_t den) {
  toy_mult m = {0, 0};
  TOY_ASSERT(toy_mult_from_ratio(num, den, &m) == TOY_OK);
  return m;
}

/* Same scale everywhere, zero points 0: a plain saturating add.
 * {100+100, -100-100, 5-7, 0+0} = {200, -200, -2, 0} -> saturated {127, -128, -2, 0}. */
static inline toy_add_params case_add_unit(void) {
  toy_add_params p = {0, 0, 0, case_ratio(1, 1), case_ratio(1, 1)};
  return p;
}
static inline const int8_t *case_add_a(void) {
  static const int8_t a[4] = {100, -100, 5, 0};
  return a;
}
static inline const int8_t *case_add_b(void) {
  static const int8_t b[4] = {100, -100, -7, 0};
  return b;
}
enum { CASE_ADD_N = 4, CASE_ADD_OUT0 = 127, CASE_ADD_OUT1 = -128, CASE_ADD_OUT2 = -2 };

/* 3 inputs -> 2 outputs; in_zp 1, out_zp -2, in_scale * w_scale / out_scale = 1/4.
 * in - in_zp = {2, 0, -2}
 * acc = {10 + 1*2 + 2*0 + 3*(-2), -4 - 1*2 + 0*0 + 1*(-2)} = {6, -8}
 * acc / 4 = {1.5, -2}, halves away from zero {2, -2}, + out_zp = {0, -4}.
 * (A golden made by truncating instead would say {-1, -4}.) */
static inline toy_fc case_fc(void) {
  static const int8_t weights[2 * 3] = {1, 2, 3, -1, 0, 1};
  static const int32_t bias[2] = {10, -4};
  toy_fc fc = {3, 2, weights, bias, 1, -2, case_ratio(1, 4)};
  return fc;
}
static inline const int8_t *case_fc_input(void) {
  static const int8_t in[3] = {3, 1, -1};
  return in;
}
enum { CASE_FC_OUT0 = 0, CASE_FC_OUT1 = -4, CASE_FC_SCRATCH = 2 * 4 };

#endif
