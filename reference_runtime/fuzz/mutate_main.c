/* Standalone mutation fuzzer for machines without libFuzzer: runs fuzz_model_run (the same
 * code LLVMFuzzerTestOneInput runs) on mutated copies of seed models.
 *
 *   mutate_models [-seed=S] [-start=K] CASES seed.tflite...
 *        cases K .. CASES-1 (K defaults to 0); cases 0.. are the seeds themselves, unchanged
 *   mutate_models -repro FILE                        one input, e.g. a saved crash
 *
 * Every case is a function of (S, case number) alone, so a failure reproduces with the same
 * arguments. Built with ASan + UBSan; when a sanitizer ends the run, the input is written
 * to crash-<S>-<case>.tflite first. Ends with the lines bench/fuzz.py reads:
 *   cases: 10000 in 2.31 s (4329 cases/s)
 *   histogram: TM_OK=812 TM_ERR_ARG=0 TM_ERR_ARENA=40 TM_ERR_MODEL=8711 ...
 *   phases: init=8800 prepare=388 invoke=812
 * Static buffers only, like the runtime: no malloc. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_model.h"

#if defined(__SANITIZE_ADDRESS__)
#define MUTATE_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MUTATE_SANITIZER 1
#endif
#endif
#ifdef MUTATE_SANITIZER
#include <sanitizer/common_interface_defs.h>

/* UBSan has its own exit path that skips ASan's death callback: make it abort() instead
 * (caught below, like fuzz_model.c's abort on a damaged arena guard), with a stack trace. */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "abort_on_error=1:print_stacktrace=1"; }
#endif

#define MAX_SEEDS 16
#define NUM_STATUS 7 /* TM_OK .. TM_ERR_RESOLVER = 0 .. -6 */

static uint8_t seeds[MAX_SEEDS][FUZZ_MODEL_MAX];
static size_t seed_len[MAX_SEEDS];
static size_t num_seeds;
static uint8_t cur[FUZZ_MODEL_MAX];
static size_t cur_len;
static unsigned long long cur_seed, cur_case;

/* ---- PRNG: xorshift64 (Marsaglia), fixed seed; never 0 ---- */

static unsigned long long rng_state;

static void rng_init(unsigned long long seed, unsigned long long n) {
  /* SplitMix64 of (seed, n): cases are independent, so case n reproduces on its own */
  unsigned long long z = seed * 0x9E3779B97F4A7C15ull + n + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  rng_state = (z ^ (z >> 31)) | 1u;
}

static unsigned long long rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static size_t below(size_t n) { return n > 0 ? (size_t)(rng() % n) : 0; }

/* ---- mutations: each keeps cur_len <= FUZZ_MODEL_MAX ---- */

/* Values that break flatbuffer offsets, counts and sizes in interesting ways. */
static const uint32_t interesting32[] = {0,          1,          2,      3,      4,     16,
                                         0x7FFF,     0x8000,     0xFFFF, 0x10000, 0x7FFFFFFFu,
                                         0x80000000u, 0xFFFFFFFFu, 0xFFFFFFF0u};
static const uint16_t interesting16[] = {0, 1, 2, 3, 4, 6, 8, 0x7FFF, 0x8000, 0xFFFF};

static void put32(size_t pos, uint32_t v) {
  if (pos + 4 <= cur_len) memcpy(cur + pos, &v, 4);
}

static void add32(size_t pos, int32_t delta) {
  uint32_t v;
  if (pos + 4 > cur_len) return;
  memcpy(&v, cur + pos, 4);
  put32(pos, v + (uint32_t)delta);
}

/* Tail of another seed pasted at a 4-aligned position: mixes two valid structures. */
static void splice(void) {
  size_t s = below(num_seeds);
  size_t at = below(cur_len) & ~(size_t)3u, from = below(seed_len[s]) & ~(size_t)3u;
  size_t n = seed_len[s] - from;
  if (n > FUZZ_MODEL_MAX - at) n = FUZZ_MODEL_MAX - at;
  memcpy(cur + at, seeds[s] + from, n);
  cur_len = at + n;
}

static void mutate_once(void) {
  size_t pos = below(cur_len);
  switch (below(8)) {
    case 0: cur[pos] ^= (uint8_t)(1u << below(8)); break;
    case 1: cur[pos] = (uint8_t)rng(); break;
    case 2: put32(pos & ~(size_t)3u, interesting32[below(sizeof interesting32 / 4)]); break;
    case 3: {
      uint16_t v = interesting16[below(sizeof interesting16 / 2)];
      if ((pos | 1u) < cur_len) memcpy(cur + (pos & ~(size_t)1u), &v, 2);
      break;
    }
    case 4: add32(pos & ~(size_t)3u, (int32_t)below(33) - 16); break;
    case 5: cur_len = below(cur_len + 1); break; /* truncation */
    case 6: splice(); break;
    default: put32(pos & ~(size_t)3u, (uint32_t)below(cur_len + 64)); break; /* an offset */
  }
}

/* Case n: seed n unchanged for the first cases, then 1-4 mutations of a random seed. */
static void make_case(unsigned long long n) {
  rng_init(cur_seed, n);
  size_t s = n < num_seeds ? (size_t)n : below(num_seeds);
  memcpy(cur, seeds[s], seed_len[s]);
  cur_len = seed_len[s];
  if (n < num_seeds) return;
  for (size_t k = 1 + below(4); k > 0; k--) mutate_once();
}

/* ---- files, crash capture, report ---- */

static int read_file(const char *path, uint8_t *buf, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return -1;
  *len = fread(buf, 1, FUZZ_MODEL_MAX, f);
  int err = ferror(f);
  fclose(f);
  return err ? -1 : 0;
}

/* Sanitizer death callback and SIGABRT handler: keep the input that killed us, and say how
 * to rerun it. (stdio in a signal handler: acceptable in a process that is dying anyway.) */
static void save_crash(void) {
  char name[64];
  snprintf(name, sizeof name, "crash-%llu-%llu.tflite", cur_seed, cur_case);
  FILE *f = fopen(name, "wb");
  if (f != NULL) {
    fwrite(cur, 1, cur_len, f);
    fclose(f);
  }
  fprintf(stderr, "mutate_models: case %llu (seed %llu) crashed; input saved to %s; rerun: "
          "mutate_models -repro %s\n", cur_case, cur_seed, name, name);
}

static void on_abort(int sig) {
  save_crash();
  signal(sig, SIG_DFL);
  raise(sig);
}

static double now_s(void) {
  struct timespec ts;
  timespec_get(&ts, TIME_UTC);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void report(unsigned long long cases, double secs,
                   const unsigned long long counts[NUM_STATUS],
                   const unsigned long long phases[FUZZ_PHASES]) {
  printf("cases: %llu in %.2f s (%.0f cases/s)\n", cases, secs, secs > 0 ? (double)cases / secs : 0.0);
  printf("histogram:");
  for (int i = 0; i < NUM_STATUS; i++) printf(" %s=%llu", tm_status_str((tm_status)-i), counts[i]);
  printf("\nphases: init=%llu prepare=%llu invoke=%llu\n", phases[FUZZ_PHASE_INIT],
         phases[FUZZ_PHASE_PREPARE], phases[FUZZ_PHASE_INVOKE]);
}

static int run_cases(unsigned long long start, unsigned long long cases) {
  static unsigned long long counts[NUM_STATUS], phases[FUZZ_PHASES];
  double t0 = now_s();
  for (cur_case = start; cur_case < cases; cur_case++) {
    fuzz_phase phase;
    make_case(cur_case);
    tm_status st = fuzz_model_run(cur, cur_len, &phase);
    if (st > 0 || -st >= NUM_STATUS) {
      fprintf(stderr, "mutate_models: case %llu: status %d outside tm_status\n", cur_case, (int)st);
      save_crash();
      return 1;
    }
    counts[-st]++;
    phases[phase]++;
  }
  report(cases > start ? cases - start : 0, now_s() - t0, counts, phases);
  return 0;
}

static int repro(const char *path) {
  fuzz_phase phase;
  if (read_file(path, cur, &cur_len) != 0) {
    fprintf(stderr, "mutate_models: cannot read %s\n", path);
    return 2;
  }
  tm_status st = fuzz_model_run(cur, cur_len, &phase);
  printf("%s: %s in phase %d\n", path, tm_status_str(st), (int)phase);
  return 0;
}

static int usage(void) {
  fprintf(stderr, "usage: mutate_models [-seed=S] [-start=K] CASES seed.tflite...\n"
                  "       mutate_models -repro FILE\n");
  return 2;
}

int main(int argc, char **argv) {
  int a = 1;
  if (argc == 3 && strcmp(argv[1], "-repro") == 0) return repro(argv[2]);
  unsigned long long start = 0;
  if (a < argc && strncmp(argv[a], "-seed=", 6) == 0) cur_seed = strtoull(argv[a++] + 6, NULL, 10);
  if (a < argc && strncmp(argv[a], "-start=", 7) == 0) start = strtoull(argv[a++] + 7, NULL, 10);
  if (argc - a < 2 || argc - a - 1 > MAX_SEEDS) return usage();
  unsigned long long cases = strtoull(argv[a++], NULL, 10);
  for (; a < argc; a++, num_seeds++) {
    if (read_file(argv[a], seeds[num_seeds], &seed_len[num_seeds]) != 0) {
      fprintf(stderr, "mutate_models: cannot read %s\n", argv[a]);
      return 2;
    }
  }
#ifdef MUTATE_SANITIZER
  __sanitizer_set_death_callback(save_crash);
#endif
  signal(SIGABRT, on_abort);
  return run_cases(start, cases);
}
