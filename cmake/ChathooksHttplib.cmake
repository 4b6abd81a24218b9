# Finds Debian's cpp-httplib (libcpp-httplib-dev: httplib.h and libcpp-httplib.so) and defines
# the imported target chathooks::cpp_httplib for it, or nothing when it is not installed (callers
# check `TARGET chathooks::cpp_httplib`). The library never uses it; the chathooks::httplib
# component (adapters/httplib), the CLI, the tests and the examples do. Included by the build,
# and installed next to chathooksConfig.cmake, which includes it for
# find_package(chathooks COMPONENTS httplib), so that the consumer's own cpp-httplib is found the
# same way.
#
# Debian builds libcpp-httplib with OpenSSL, zlib and Brotli support, and those definitions
# change the layout of its classes (httplib::Client has more members with them). Code that
# includes httplib.h must be compiled with the same definitions, or it and the library disagree
# on object sizes and the library writes past objects that the code allocated. They come from
# the library's pkg-config file when pkg-config is installed, else they are Debian's.
#
# A project that builds cpp-httplib itself can define chathooks::cpp_httplib (an INTERFACE or
# IMPORTED target carrying its include directory, library and definitions) before chathooks is
# added or found; this file then leaves it as it is.
if(TARGET chathooks::cpp_httplib)
  return()
endif()
find_path(CHATHOOKS_CPP_HTTPLIB_INCLUDE_DIR httplib.h
  DOC "Folder holding cpp-httplib's httplib.h")
find_library(CHATHOOKS_CPP_HTTPLIB_LIBRARY cpp-httplib DOC "cpp-httplib's library")
mark_as_advanced(CHATHOOKS_CPP_HTTPLIB_INCLUDE_DIR CHATHOOKS_CPP_HTTPLIB_LIBRARY)
if(NOT CHATHOOKS_CPP_HTTPLIB_INCLUDE_DIR OR NOT CHATHOOKS_CPP_HTTPLIB_LIBRARY)
  return()
endif()
find_package(Threads QUIET)
if(NOT Threads_FOUND)
  return()
endif()

set(_chathooks_cpp_httplib_definitions
  CPPHTTPLIB_OPENSSL_SUPPORT CPPHTTPLIB_ZLIB_SUPPORT CPPHTTPLIB_BROTLI_SUPPORT)
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(_chathooks_cpp_httplib_pc QUIET cpp-httplib)
  if(_chathooks_cpp_httplib_pc_FOUND)
    set(_chathooks_cpp_httplib_definitions)
    foreach(_chathooks_flag IN LISTS _chathooks_cpp_httplib_pc_CFLAGS_OTHER)
      if(_chathooks_flag MATCHES "^-D(.+)$")
        list(APPEND _chathooks_cpp_httplib_definitions "${CMAKE_MATCH_1}")
      endif()
    endforeach()
    unset(_chathooks_flag)
  endif()
endif()

# Like any imported target, visible in the including directory and those below it.
add_library(chathooks::cpp_httplib INTERFACE IMPORTED)
set_target_properties(chathooks::cpp_httplib PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${CHATHOOKS_CPP_HTTPLIB_INCLUDE_DIR}"
  INTERFACE_COMPILE_DEFINITIONS "${_chathooks_cpp_httplib_definitions}"
  INTERFACE_LINK_LIBRARIES "${CHATHOOKS_CPP_HTTPLIB_LIBRARY};Threads::Threads")
unset(_chathooks_cpp_httplib_definitions)
