# Cross toolchain for the terminal on aarch64-linux-gnu, with Debian multiarch libraries
# (toolchains/bootstrap.sh cross-aarch64 installs crossbuild-essential-arm64 and lib…-dev:arm64).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

# Headers are shared in /usr/include; libraries come from /usr/lib/aarch64-linux-gnu only.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu)
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# Cross-built tests run under qemu-user with the cross toolchain's loader and libraries.
# LD_LIBRARY_PATH matters: with -L alone, qemu falls back to the host's /lib/aarch64-linux-gnu
# for paths missing under the prefix, so ld.so came from libc6-arm64-cross while libc.so.6 came
# from the multiarch libc6:arm64 (pulled in by lib…-dev:arm64, a newer Debian update). The two
# share private ABI (_rtld_global): the mismatched libc spun forever in pthread_create's stack
# cache walk, so every test that started a thread hung. Loader and libc must be one build.
set(CMAKE_CROSSCOMPILING_EMULATOR
    qemu-aarch64;-L;/usr/aarch64-linux-gnu;-E;LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib)
