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

# CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR: a folder holding cpp-httplib's single-file httplib.h
# (the upstream header-only form, as in Debian's source package, not the split header
# libcpp-httplib-dev installs). cpp-httplib is then compiled from source into each program that
# includes it, with that program's flags, instead of linking Debian's prebuilt library: a
# sanitizer instruments it like the rest of the program. CI's ThreadSanitizer build uses it, so
# that TSan sees every access and every synchronisation of the test servers and needs no
# suppression of the whole library. Plain HTTP only (no OpenSSL, zlib or Brotli definitions).
set(CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR "" CACHE PATH
  "Folder with cpp-httplib's single-file (header-only) httplib.h, compiled from source if set")
if(CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR)
  if(NOT EXISTS "${CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR}/httplib.h")
    message(FATAL_ERROR "CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR: no httplib.h in "
                        "${CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR}")
  endif()
  # The split header declares what the single file defines; the single file is ~8,000 lines.
  file(STRINGS "${CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR}/httplib.h" _chathooks_httplib_lines)
  list(LENGTH _chathooks_httplib_lines _chathooks_httplib_count)
  if(_chathooks_httplib_count LESS 5000)
    message(FATAL_ERROR "CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR: "
      "${CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR}/httplib.h has ${_chathooks_httplib_count} "
      "lines: the split header, not the single-file one")
  endif()
  unset(_chathooks_httplib_lines)
  unset(_chathooks_httplib_count)
  find_package(Threads REQUIRED)
  add_library(chathooks::cpp_httplib INTERFACE IMPORTED)
  set_target_properties(chathooks::cpp_httplib PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
  message(STATUS "cpp-httplib: compiled from ${CHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR}/httplib.h")
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
