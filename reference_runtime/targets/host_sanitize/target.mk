# The host build under AddressSanitizer + UndefinedBehaviorSanitizer, as its own target so
# its objects live in gen/host_sanitize/ beside the plain host build, and tflm-test can
# build and run it like any other target (platforms/host_sanitize.yaml).
SANITIZE := 1
include targets/host/target.mk
