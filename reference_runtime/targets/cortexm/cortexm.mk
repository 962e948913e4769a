# Shared by the Cortex-M3 targets; each target.mk sets TM_EXIT (semihosting|halt) and includes this.
FAMILY := cortexm
CC := arm-none-eabi-gcc
AR := arm-none-eabi-ar
SIZE := arm-none-eabi-size
ARCH_FLAGS := -mcpu=cortex-m3 -mthumb
TARGET_CFLAGS := $(ARCH_FLAGS) -Os -g -Itargets/cortexm
TARGET_LDFLAGS := $(ARCH_FLAGS) --specs=nano.specs -nostartfiles \
  -Ltargets/cortexm -Ltargets/$(TARGET) -Ttargets/$(TARGET)/memory.ld
TARGET_LIBS := -lm -lc -lgcc
PORT_SRCS := targets/cortexm/startup.c targets/cortexm/port_write.c \
  targets/cortexm/exit_$(TM_EXIT).c
DEFAULT_KERNELS := optimized
