/* icount: a QEMU TCG plugin that counts the guest instructions a program executes.
 *
 * Options (-plugin icount.so,key=value,...):
 *   out=PATH      at exit, write "instructions N" to PATH, after one "mark 0xADDR N" line
 *                 per time execution reached a marked address (in order)
 *   marks=A:B:..  hex addresses (Thumb bit cleared) whose arrivals are recorded in out
 *   token=T       before every semihosting call (Thumb bkpt 0xab), write the marker
 *                 "\x1e" "icount:" T ":" N "\x1f" to stderr, the stream QEMU writes the
 *                 call's text to, so a reader can place each count in the output exactly
 *
 * N is always the number of instructions executed before the one at that point. Counting is
 * one inline add per translation block (the cheapest exact count QEMU offers); a block left
 * early by a fault counts in full, which is still the same on every run.
 *
 * Debian's qemu-system-arm ships no qemu-plugin.h: the few declarations below follow the
 * documented plugin API of QEMU 7.2 (include/qemu/qemu-plugin.h, QEMU_PLUGIN_VERSION 1).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the plugin API (QEMU 7.2) ---- */
typedef uint64_t qemu_plugin_id_t;
struct qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
                                            qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* ---- state: QEMU calls us from one vCPU thread (Cortex-M has one core) ---- */
#define MAX_MARKS 64

static uint64_t executed;    /* instructions of every block entered so far */
static FILE *out;            /* the out= file; NULL: no file */
static char token[64];       /* empty: no semihosting markers */
static uint64_t marks[MAX_MARKS];
static size_t n_marks;

/* A callback's userdata packs how many instructions of its block come at or after it, so
 * `executed - behind` is the count before it (the block's inline add ran at its entry). */
static uint64_t before(void *userdata) { return executed - (uint64_t)(uintptr_t)userdata; }

static void on_semihosting(unsigned int vcpu, void *userdata) {
  char buf[128];
  int n = snprintf(buf, sizeof buf, "\x1e" "icount:%s:%" PRIu64 "\x1f", token, before(userdata));
  (void)vcpu;
  if (n > 0 && write(STDERR_FILENO, buf, (size_t)n) < 0) { /* nothing to report it to */ }
}

static void on_mark(unsigned int vcpu, void *userdata) {
  uintptr_t packed = (uintptr_t)userdata;  /* mark index << 16 | instructions behind */
  (void)vcpu;
  fprintf(out, "mark 0x%" PRIx64 " %" PRIu64 "\n", marks[packed >> 16],
          executed - (packed & 0xffff));
}

static int mark_index(uint64_t vaddr) {
  for (size_t i = 0; i < n_marks; i++)
    if (marks[i] == vaddr) return (int)i;
  return -1;
}

static int is_semihosting_trap(const struct qemu_plugin_insn *insn) {
  const uint8_t *code = qemu_plugin_insn_data(insn);
  return qemu_plugin_insn_size(insn) == 2 && code[0] == 0xab && code[1] == 0xbe;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  size_t n = qemu_plugin_tb_n_insns(tb);
  (void)id;
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &executed, n);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uintptr_t behind = n - i;
    int mark = out != NULL ? mark_index(qemu_plugin_insn_vaddr(insn)) : -1;
    if (mark >= 0)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS,
                                             (void *)(((uintptr_t)mark << 16) | behind));
    if (token[0] != '\0' && is_semihosting_trap(insn))
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_semihosting, QEMU_PLUGIN_CB_NO_REGS,
                                             (void *)behind);
  }
}

static void on_atexit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  if (out != NULL) {
    fprintf(out, "instructions %" PRIu64 "\n", executed);
    fclose(out);
    out = NULL;
  }
}

static int parse_marks(const char *list) {
  const char *p = list;
  while (*p != '\0') {
    char *end;
    if (n_marks == MAX_MARKS) return -1;
    marks[n_marks++] = strtoull(p, &end, 16);
    if (end == p || (*end != ':' && *end != '\0')) return -1;
    p = *end == ':' ? end + 1 : end;
  }
  return 0;
}

static int parse_option(const char *arg) {
  if (strncmp(arg, "out=", 4) == 0) return (out = fopen(arg + 4, "w")) != NULL ? 0 : -1;
  if (strncmp(arg, "marks=", 6) == 0) return parse_marks(arg + 6);
  if (strncmp(arg, "token=", 6) == 0 && strlen(arg + 6) < sizeof token) {
    strcpy(token, arg + 6);
    return 0;
  }
  return -1;
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id,
                                                                const struct qemu_info_t *info,
                                                                int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++) {
    if (parse_option(argv[i]) != 0) {
      qemu_plugin_outs("icount: bad option (out=PATH, marks=HEX:HEX..., token=T)\n");
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
  return 0;
}
