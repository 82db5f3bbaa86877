# carnet_add_test(NAME name SOURCES a_test.cc... LIBS lib... [NO_CTEST])
#
# NO_CTEST builds the executable without registering it: for suites that only mean something
# when a harness starts their real parts (pcscd, a node) and registers them itself.
# CppUTest registers tests through static constructors, so test sources are compiled straight
# into their executable (never into a static library, where the linker would drop them). Each
# executable is one CTest test; under a cross preset CMAKE_CROSSCOMPILING_EMULATOR (qemu-user)
# runs it.
function(carnet_add_test)
  cmake_parse_arguments(T "NO_CTEST" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES} ${CMAKE_SOURCE_DIR}/tests/support/test_main.cc)
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} dep::cpputest)
  # Leaks are found by LeakSanitizer in the asan stage. CppUTest's operator-new macros would
  # break any standard header (<functional>, <unordered_map>) included after TestHarness.h.
  target_compile_definitions(${T_NAME} PRIVATE CPPUTEST_MEM_LEAK_DETECTION_DISABLED)
  target_include_directories(${T_NAME} PRIVATE ${CMAKE_SOURCE_DIR})
  # Our warning set, then the exceptions for CppUTest's macros (they are the library's, not
  # ours). Spelled out here rather than linking carnet::warnings, because a linked target's
  # options come after the target's own and would switch the exceptions back on.
  target_compile_options(${T_NAME} PRIVATE
    $<TARGET_PROPERTY:carnet_warnings,INTERFACE_COMPILE_OPTIONS>
    -Wno-old-style-cast -Wno-conversion -Wno-sign-conversion)
  if(T_NO_CTEST)
    return()
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_NAME} -c)
  set_tests_properties(${T_NAME} PROPERTIES LABELS "unit;${T_LABELS}" TIMEOUT 300)
endfunction()

# carnet_add_fuzz(NAME name SOURCE x_fuzz.cc LIBS ... CORPUS dir)
#
# In a fuzz build (clang, CARNET_FUZZ) this makes a libFuzzer binary. In every other build the
# same source is linked with a small driver that replays the seed corpus, so each fuzz target
# is also a plain regression test.
if(NOT TARGET fuzzers)
  add_custom_target(fuzzers)
endif()

function(carnet_add_fuzz)
  cmake_parse_arguments(F "" "NAME;SOURCE;CORPUS" "LIBS" ${ARGN})
  add_executable(${F_NAME} ${F_SOURCE})
  target_link_libraries(${F_NAME} PRIVATE ${F_LIBS} carnet::warnings)
  target_include_directories(${F_NAME} PRIVATE ${CMAKE_SOURCE_DIR})
  if(CARNET_FUZZ)
    target_compile_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(${F_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/tests/fuzz/replay_main.cc)
  endif()
  if(CARNET_FUZZ)
    add_test(NAME ${F_NAME}_corpus COMMAND ${F_NAME} -runs=0 ${F_CORPUS})
  else()
    add_test(NAME ${F_NAME}_corpus COMMAND ${F_NAME} ${F_CORPUS})
  endif()
  set_tests_properties(${F_NAME}_corpus PROPERTIES LABELS "fuzz-replay" TIMEOUT 300)
  set_property(GLOBAL APPEND PROPERTY CARNET_FUZZ_TARGETS "${F_NAME}=${F_CORPUS}")
  add_dependencies(fuzzers ${F_NAME})
endfunction()
