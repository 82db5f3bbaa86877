# Third-party libraries, all from Debian packages (toolchains/bootstrap.sh installs them).
# Each becomes an imported target; only the wrapper module links it (DESIGN.md §1).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# mbedTLS 2.28 ships no pkg-config file on Debian 12.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/ssl.h REQUIRED)
find_library(MBEDTLS_LIB mbedtls REQUIRED)
find_library(MBEDX509_LIB mbedx509 REQUIRED)
find_library(MBEDCRYPTO_LIB mbedcrypto REQUIRED)
add_library(carnet_dep_mbedtls INTERFACE)
target_include_directories(carnet_dep_mbedtls SYSTEM INTERFACE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(carnet_dep_mbedtls INTERFACE ${MBEDTLS_LIB} ${MBEDX509_LIB} ${MBEDCRYPTO_LIB})
add_library(dep::mbedtls ALIAS carnet_dep_mbedtls)

pkg_check_modules(CBOR REQUIRED IMPORTED_TARGET libcbor)
add_library(dep::cbor ALIAS PkgConfig::CBOR)

pkg_check_modules(PCSC REQUIRED IMPORTED_TARGET libpcsclite)
add_library(dep::pcsc ALIAS PkgConfig::PCSC)

pkg_check_modules(SQLITE REQUIRED IMPORTED_TARGET sqlite3)
add_library(dep::sqlite ALIAS PkgConfig::SQLITE)

pkg_check_modules(SECCOMP IMPORTED_TARGET libseccomp)
if(SECCOMP_FOUND)
  add_library(dep::seccomp ALIAS PkgConfig::SECCOMP)
endif()

pkg_check_modules(CPPUTEST REQUIRED IMPORTED_TARGET cpputest)
add_library(dep::cpputest ALIAS PkgConfig::CPPUTEST)

if(NOT CARNET_TERMINAL_ONLY)
  find_package(Boost 1.74 REQUIRED COMPONENTS system)
  add_library(carnet_dep_boost INTERFACE)
  target_link_libraries(carnet_dep_boost INTERFACE Boost::boost Boost::system Threads::Threads)
  target_compile_definitions(carnet_dep_boost INTERFACE BOOST_ASIO_NO_DEPRECATED)
  add_library(dep::boost ALIAS carnet_dep_boost)
endif()
