#!/bin/sh
# Re-records the logs in this folder from the sample project's binaries (see README.md).
# Run from anywhere: sh tests/data/logs/formats/record.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
project=$here/../../../sample_project
for board in qemu_cortexm3 bluepill lm3s6965; do
  make -C "$project" -s -j2 TARGET=$board tests
done

# qemu <machine> <elf> <stderr file> <event log> [timeout args...]: one run, QEMU's stderr
# (the semihosted text) saved byte for byte, its -d event log in a separate file.
# --foreground: timeout signals only QEMU; without it, it signals its whole process group,
# itself included, and the shell reports "Killed" into the redirected stderr.
qemu() {
  machine=$1 elf=$2 out=$3 events=$4
  shift 4
  status=0
  timeout --foreground "$@" qemu-system-arm -M "$machine" -cpu cortex-m3 -nographic -monitor none \
    -serial null -semihosting-config enable=on,target=native \
    -d int,guest_errors -D "$events" -kernel "$elf" 2>"$out" >/dev/null || status=$?
  echo "$(basename "$out"): exit status $status"
}

# The canonical set: qemu_cortexm3 (mps2-an385). Passing and failing programs exit by
# themselves; crashing ones sleep in the fault handler and are stopped with SIGKILL, which
# QEMU cannot answer with a message of its own, so these logs hold only program output.
for elf in "$project"/build/qemu_cortexm3/*.elf; do
  name=$(basename "$elf" .elf)
  events=$(mktemp)
  qemu mps2-an385 "$elf" "$here/$name.log" "$events" -s KILL 5 2>/dev/null
  case $name in *crash*) cp "$events" "$here/$name.qemu.log" ;; esac
  rm -f "$events"
done

# QEMU's own lines on stderr, as a test runner sees them:
# - lm3s6965evb says "Timer with period zero, disabling" before the program starts;
events=$(mktemp)
qemu lm3s6965evb "$project/build/lm3s6965/gtest_pass.elf" "$here/gtest_pass.lm3s6965.log" "$events" 5
# - stopped with SIGTERM (as tflm-test stops a board that cannot exit), QEMU adds
#   "qemu-system-arm: terminating on signal 15 from pid N (timeout)" after the program's text.
qemu netduino2 "$project/build/bluepill/unity_pass.elf" "$here/unity_pass.bluepill.log" "$events" 3
rm -f "$events"
