# cpp-httplib for the tests and examples (never the library): the target chathooks::httplib,
# defined when Debian's libcpp-httplib-dev is installed (callers check `TARGET chathooks::httplib`).
#
# Debian builds libcpp-httplib with OpenSSL, zlib and Brotli support, and those definitions
# change the layout of its classes (httplib::Client has more members with them). Code that
# includes httplib.h must be compiled with the same definitions, or it and the library disagree
# on object sizes and the library writes past objects that the code allocated. They come from
# the library's pkg-config file when pkg-config is installed, else they are Debian's.
if(TARGET chathooks::httplib)
  return()
endif()
find_library(CHATHOOKS_HTTPLIB_LIB cpp-httplib)
if(NOT CHATHOOKS_HTTPLIB_LIB)
  return()
endif()
find_package(Threads REQUIRED)

set(_chathooks_httplib_definitions
  CPPHTTPLIB_OPENSSL_SUPPORT CPPHTTPLIB_ZLIB_SUPPORT CPPHTTPLIB_BROTLI_SUPPORT)
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(_chathooks_httplib_pc QUIET cpp-httplib)
  if(_chathooks_httplib_pc_FOUND)
    set(_chathooks_httplib_definitions)
    foreach(_flag IN LISTS _chathooks_httplib_pc_CFLAGS_OTHER)
      if(_flag MATCHES "^-D(.+)$")
        list(APPEND _chathooks_httplib_definitions "${CMAKE_MATCH_1}")
      endif()
    endforeach()
  endif()
endif()

add_library(chathooks::httplib INTERFACE IMPORTED GLOBAL)
set_target_properties(chathooks::httplib PROPERTIES
  INTERFACE_COMPILE_DEFINITIONS "${_chathooks_httplib_definitions}"
  INTERFACE_LINK_LIBRARIES "${CHATHOOKS_HTTPLIB_LIB};Threads::Threads")
