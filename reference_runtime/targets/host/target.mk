# The build machine itself: quick runs and sanitizers (make TARGET=host SANITIZE=1).
FAMILY := host
CC ?= cc
AR ?= ar
SIZE := size
TARGET_CFLAGS := -O2 -g
TARGET_LDFLAGS :=
TARGET_LIBS := -lm
ifeq ($(SANITIZE),1)
TARGET_CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
TARGET_LDFLAGS += -fsanitize=address,undefined
endif
PORT_SRCS := targets/host/port.c
