# A real board cannot exit: the program sleeps after its last line.
TM_EXIT := halt
include targets/cortexm/cortexm.mk
