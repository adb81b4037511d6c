# Shared by scripts/test.sh and scripts/demo.sh, so both use (and reuse) the same build/main.
# -O1 without debug info: tests and training mode run fast enough, and the build takes about half the time
# of -O2 -g on the 2-core machines the project runs on. scripts/bench.sh builds Release separately.
# The benchmarks are built by scripts/bench.sh (Release), not here: the test command's two builds
# and its tests fill its 25 minutes on 2 cores (docs/performance.md, "Test run time").
# The sanitizer build has no debug info: its reports name the functions (frame pointers, symbols); for
# file:line, configure that build with -g1 added and run the one test again.
MAIN_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1" "-DCMAKE_C_FLAGS_DEBUG=-O1" -DONSHI_WERROR=ON
                 -DONSHI_BUILD_BENCH=OFF)
ASAN_CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1" "-DCMAKE_C_FLAGS_DEBUG=-O1"
                 -DONSHI_SANITIZE=ON -DONSHI_FUZZ=ON -DONSHI_BUILD_APP=OFF -DONSHI_BUILD_BENCH=OFF -DONSHI_WERROR=ON)
