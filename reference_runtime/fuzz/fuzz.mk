# Fuzzing builds, host only and independent of TARGET (included by the Makefile):
#   make fuzz  -> gen/fuzz/fuzz_model     libFuzzer target (clang -fsanitize=fuzzer,address,undefined)
#                 gen/fuzz/mutate_models  seeded mutation driver (gcc + ASan/UBSan), same target code
# Both link their own copy of the library, built with -DTM_DEBUG_ARENA so writes past a buffer
# inside the arena (invisible to ASan) trip a guard; see fuzz/fuzz_model.c.
# Run:  gen/fuzz/fuzz_model -runs=3000 -seed=1 <new-corpus-dir> tests/models
#       gen/fuzz/mutate_models -seed=1 2000 tests/models/*.tflite
FUZZ_DIR := gen/fuzz
FUZZ_CLANG ?= clang
FUZZ_GCC ?= gcc
# The Makefile's warnings and include paths, without the target's code-generation flags.
FUZZ_BASE_CFLAGS := $(filter-out $(TARGET_CFLAGS),$(CFLAGS)) -Ifuzz -O1 -g -DTM_DEBUG_ARENA \
  -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_CLANG_CFLAGS := $(FUZZ_BASE_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined
FUZZ_GCC_CFLAGS := $(FUZZ_BASE_CFLAGS) -fsanitize=address,undefined
FUZZ_SRCS := $(LIB_SRCS) fuzz/fuzz_model.c
FUZZ_CLANG_OBJS := $(FUZZ_SRCS:%.c=$(FUZZ_DIR)/clang/%.o)
FUZZ_GCC_OBJS := $(FUZZ_SRCS:%.c=$(FUZZ_DIR)/gcc/%.o) $(FUZZ_DIR)/gcc/fuzz/mutate_main.o

.PHONY: fuzz
fuzz: $(FUZZ_DIR)/fuzz_model $(FUZZ_DIR)/mutate_models

$(FUZZ_DIR)/fuzz_model: $(FUZZ_CLANG_OBJS)
	$(FUZZ_CLANG) $(FUZZ_CLANG_CFLAGS) -fsanitize=fuzzer -o $@ $^ -lm

$(FUZZ_DIR)/mutate_models: $(FUZZ_GCC_OBJS)
	$(FUZZ_GCC) $(FUZZ_GCC_CFLAGS) -o $@ $^ -lm

$(FUZZ_DIR)/clang/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CLANG) $(FUZZ_CLANG_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(FUZZ_DIR)/gcc/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_GCC) $(FUZZ_GCC_CFLAGS) $(DEPFLAGS) -c $< -o $@

-include $(shell find $(FUZZ_DIR) -name '*.d' 2>/dev/null)
