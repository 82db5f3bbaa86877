# One warning set for every Carnet target. Third-party headers come in as SYSTEM includes so
# their warnings do not count against us.
add_library(carnet_warnings INTERFACE)
add_library(carnet::warnings ALIAS carnet_warnings)
target_compile_options(carnet_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wformat=2
  -Wimplicit-fallthrough -Wmissing-declarations)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(carnet_warnings INTERFACE -Wduplicated-cond -Wlogical-op)
endif()
if(CARNET_WERROR)
  target_compile_options(carnet_warnings INTERFACE -Werror)
  # GCC 12's flow-sensitive warnings depend on the optimizer and fire on libstdc++'s own
  # headers at -O2 (seen in the aarch64 and release builds: streambuf, stl_algobase). They stay
  # visible as warnings but do not fail the build; -Wnull-dereference is off for that reason.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(carnet_warnings INTERFACE -Wno-error=array-bounds
      -Wno-error=maybe-uninitialized -Wno-error=stringop-overflow)
  endif()
endif()
