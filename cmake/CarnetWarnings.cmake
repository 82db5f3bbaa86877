# One warning set for every Carnet target. Third-party headers come in as SYSTEM includes so
# their warnings do not count against us.
add_library(carnet_warnings INTERFACE)
add_library(carnet::warnings ALIAS carnet_warnings)
target_compile_options(carnet_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2
  -Wimplicit-fallthrough -Wmissing-declarations)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(carnet_warnings INTERFACE -Wduplicated-cond -Wlogical-op)
endif()
if(CARNET_WERROR)
  target_compile_options(carnet_warnings INTERFACE -Werror)
endif()
