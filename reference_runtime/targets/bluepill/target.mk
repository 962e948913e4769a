# A real board cannot exit: the program sleeps after its last line.
TM_EXIT := halt
include targets/cortexm/cortexm.mk
# Lets tests leave out data that cannot fit 64 KB flash / 20 KB RAM.
TARGET_CFLAGS += -DTM_TARGET_BLUEPILL
