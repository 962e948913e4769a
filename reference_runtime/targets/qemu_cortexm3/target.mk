TM_EXIT := semihosting
include targets/cortexm/cortexm.mk
