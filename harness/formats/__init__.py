"""One module per test-output format (micro_test, gtest, unity), each a line-by-line grammar
over the shared records in common.py. Callers use harness/testlog.py, which picks the format.
"""
