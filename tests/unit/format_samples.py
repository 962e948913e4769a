"""gtest and Unity output written after the upstream sources, line for line as they print it
(TFLM tensorflow/lite/micro/testing/micro_test_v2.h, 2026; Unity src/unity.c
UnityConcludeTest/UnityEnd), for edge cases the recorded logs do not show; the tests on
recorded logs (tests/data/logs/formats/) are in test_recorded_formats.py.
"""

from __future__ import annotations

HARDFAULT = "*** HardFault pc=0x00000a3c lr=0x000004c1 cfsr=0x00010000 hfsr=0x40000000 " \
            "bfar=0x00000000 mmfar=0x00000000"

# A passing test of an error path prints an error on purpose; lines end in \r\n.
GTEST_PASS = [line + "\r\n" for line in [
    "[==========] Running tests.",
    "[ RUN      ] ArenaTest.AllocatesPersistentBuffers",
    "[       OK ] ArenaTest.AllocatesPersistentBuffers",
    "[ RUN      ] ArenaTest.FailsWhenArenaIsTooSmall",
    "Failed to allocate tail memory. Requested: 2048, available 1024, missing: 1024",
    "[       OK ] ArenaTest.FailsWhenArenaIsTooSmall",
    "[==========] 2 tests ran.",
    "[  PASSED  ] 2 tests.",
    "~~~ALL TESTS PASSED~~~",
]]

GTEST_FAIL = [
    "[==========] Running tests.",
    "[ RUN      ] AddTest.Int8",
    "[       OK ] AddTest.Int8",
    "[ RUN      ] AddTest.Float",
    "tensorflow/lite/micro/kernels/add_test.cc:120: Failure",
    "  Expression:  output_data[i] == expected[i]",
    "  Evaluated:   3 == 4",
    "[  FAILED  ] AddTest.Float",
    "[ RUN      ] AddTest.Broadcast",
    "tensorflow/lite/micro/kernels/add_test.cc:150: Failure",
    "  Expression:  kTfLiteOk == invoke_status",
    "  Evaluated:   0 == 1",
    "[  FAILED  ] AddTest.Broadcast",
    "[==========] 3 tests ran.",
    "[  PASSED  ] 1 tests.",
    "[  FAILED  ] 2 tests, listed below:",
    "[  FAILED  ] AddTest.Float",
    "[  FAILED  ] AddTest.Broadcast",
]

GTEST_SKIP = [
    "[==========] Running tests.",
    "[ RUN      ] ConvTest.Int8",
    "[       OK ] ConvTest.Int8",
    "[ RUN      ] ConvTest.Int4",
    "[  SKIPPED ] ConvTest.Int4",
    "[==========] 2 tests ran.",
    "[  PASSED  ] 1 tests.",
    "~~~ALL TESTS PASSED~~~",
]

GTEST_NONE_RAN = [
    "[==========] Running tests.",
    "[==========] 0 tests ran.",
    "[  PASSED  ] 0 tests.",
    "~~~ALL TESTS PASSED~~~",
]

GTEST_CRASH = [
    "[==========] Running tests.",
    "[ RUN      ] ConvTest.Int8",
    "[       OK ] ConvTest.Int8",
    "[ RUN      ] ConvTest.Int16",
    HARDFAULT,
]

# Says 3 ran, shows 2 (a lost line, or a framework bug): not a pass.
GTEST_MISCOUNT = [
    "[==========] Running tests.",
    "[ RUN      ] A.One",
    "[       OK ] A.One",
    "[ RUN      ] A.Two",
    "[       OK ] A.Two",
    "[==========] 3 tests ran.",
    "[  PASSED  ] 3 tests.",
    "~~~ALL TESTS PASSED~~~",
]

# The test's own output precedes its result line; UnityEnd starts with an empty line.
UNITY_PASS = [
    "test_softmax.c:35:test_softmax_s8:PASS",
    "softmax s16: 8 rows of 16",
    "test_softmax.c:48:test_softmax_s16:PASS",
    "test_softmax.c:61:test_softmax_big:IGNORE: needs 64 KB of RAM",
    "",
    "-----------------------",
    "3 Tests 0 Failures 1 Ignored",
    "OK",
]

UNITY_FAIL = [
    "test_softmax.c:35:test_softmax_s8:PASS",
    "test_softmax.c:52:test_softmax_s16:FAIL: Expected 1 Was 2",
    "test_softmax.c:61:test_softmax_big:IGNORE",
    "",
    "-----------------------",
    "3 Tests 1 Failures 1 Ignored",
    "FAIL",
]

UNITY_NONE_RAN = ["", "-----------------------", "0 Tests 0 Failures 0 Ignored", "OK"]

UNITY_CRASH = ["test_softmax.c:35:test_softmax_s8:PASS", HARDFAULT]

UNITY_MISCOUNT = [
    "test_softmax.c:35:test_softmax_s8:PASS",
    "",
    "-----------------------",
    "2 Tests 0 Failures 0 Ignored",
    "OK",
]
