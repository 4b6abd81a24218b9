# Install rules and package configs: find_package(chathooks [COMPONENTS httplib beast]) from an install
# tree, and from the build tree through the export() below; chathooks.pc for pkg-config.
include(CMakePackageConfigHelpers)

set(CHATHOOKS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/chathooks"
    CACHE STRING "Where chathooksConfig.cmake is installed")

install(TARGETS chathooks EXPORT chathooksTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The include directory reaches the export through the target's $<INSTALL_INTERFACE:...>;
# an INCLUDES DESTINATION here would list it twice.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/chathooks"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
install(EXPORT chathooksTargets NAMESPACE chathooks:: DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})

# A static libchathooks.a leaves its private dependencies to the consumer's link, so the package
# config must find them; a shared library has them linked in already.
get_target_property(_chathooks_type chathooks TYPE)
if(_chathooks_type STREQUAL "STATIC_LIBRARY")
  set(CHATHOOKS_CONFIG_STATIC ON)
else()
  set(CHATHOOKS_CONFIG_STATIC OFF)
endif()
# The chathooks::httplib component exists only where cpp-httplib was found.
if(TARGET chathooks_httplib)
  set(CHATHOOKS_CONFIG_HTTPLIB ON)
else()
  set(CHATHOOKS_CONFIG_HTTPLIB OFF)
endif()
# The chathooks::beast component exists only where Boost's headers were found.
if(TARGET chathooks_beast)
  set(CHATHOOKS_CONFIG_BEAST ON)
else()
  set(CHATHOOKS_CONFIG_BEAST OFF)
endif()
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/chathooksConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/chathooksConfig.cmake"
  INSTALL_DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})
# Before 1.0 a minor version may break the API: only the same 0.minor is compatible.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_chathooks_compatibility SameMinorVersion)
else()
  set(_chathooks_compatibility SameMajorVersion)
endif()
write_basic_package_version_file("${PROJECT_BINARY_DIR}/chathooksConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY ${_chathooks_compatibility})
install(FILES "${PROJECT_BINARY_DIR}/chathooksConfig.cmake"
  "${PROJECT_BINARY_DIR}/chathooksConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/FindHiredis.cmake"
  DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/chathooks)

# Build-tree package: find_package(chathooks) with chathooks_DIR set to this build folder.
export(EXPORT chathooksTargets NAMESPACE chathooks::
  FILE "${PROJECT_BINARY_DIR}/chathooksTargets.cmake")
configure_file("${PROJECT_SOURCE_DIR}/cmake/FindHiredis.cmake"
  "${PROJECT_BINARY_DIR}/FindHiredis.cmake" COPYONLY)

# The chathooks::httplib component (adapters/httplib), when cpp-httplib was found: its headers,
# its target in an export set of its own, and the module that finds cpp-httplib on the
# consumer's side (chathooksConfig.cmake includes it for COMPONENTS httplib). The build tree
# gets the same two files.
if(TARGET chathooks_httplib)
  install(TARGETS chathooks_httplib EXPORT chathooksHttplibTargets)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/adapters/httplib/include/chathooks"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
  install(EXPORT chathooksHttplibTargets NAMESPACE chathooks::
    DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})
  install(FILES "${PROJECT_SOURCE_DIR}/cmake/ChathooksHttplib.cmake"
    DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})
  export(EXPORT chathooksHttplibTargets NAMESPACE chathooks::
    FILE "${PROJECT_BINARY_DIR}/chathooksHttplibTargets.cmake")
  configure_file("${PROJECT_SOURCE_DIR}/cmake/ChathooksHttplib.cmake"
    "${PROJECT_BINARY_DIR}/ChathooksHttplib.cmake" COPYONLY)
endif()

# The chathooks::beast component (adapters/beast), when Boost was found: its headers and its
# target in an export set of its own (chathooksConfig.cmake finds Boost for COMPONENTS beast).
if(TARGET chathooks_beast)
  install(TARGETS chathooks_beast EXPORT chathooksBeastTargets)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/adapters/beast/include/chathooks"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
  install(EXPORT chathooksBeastTargets NAMESPACE chathooks::
    DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})
  export(EXPORT chathooksBeastTargets NAMESPACE chathooks::
    FILE "${PROJECT_BINARY_DIR}/chathooksBeastTargets.cmake")
endif()

# pkg-config: chathooks.pc, for builds that do not use CMake. Its paths are relative to its own
# folder (${pcfiledir}), like the CMake package, so `cmake --install --prefix <any>` gives a
# working file; only an absolute CMAKE_INSTALL_LIBDIR or CMAKE_INSTALL_INCLUDEDIR is written out.
# A static library lists what the consumer's link needs (pkg-config --static --libs):
# libcrypto, {fmt} and SQLite through their own pkg-config files, libcurl, libpq and hiredis as
# -lcurl, -lpq and -lhiredis, since Debian's libcurl.pc and libpq.pc list the private dependencies
# of a static libcurl or libpq (nghttp2, ssh2, gssapi, ldap, ...) whose development packages are not installed with
# them; chathooks links the shared libcurl and libpq. A shared
# library carries its dependencies: nothing private is listed, and none of their development
# packages is needed.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(CHATHOOKS_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(CHATHOOKS_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
  set(CHATHOOKS_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
else()
  file(RELATIVE_PATH _chathooks_pc_up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" _chathooks_pc_up "${_chathooks_pc_up}")
  set(CHATHOOKS_PC_PREFIX "\${pcfiledir}/${_chathooks_pc_up}")
  set(CHATHOOKS_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
  set(CHATHOOKS_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
if(CHATHOOKS_CONFIG_STATIC)
  set(CHATHOOKS_PC_CFLAGS "")
  set(CHATHOOKS_PC_PRIVATE "Requires.private: libcrypto fmt sqlite3\nLibs.private: -lpq -lhiredis -lcurl -pthread")
else()
  set(CHATHOOKS_PC_CFLAGS " -DCHATHOOKS_SHARED")
  set(CHATHOOKS_PC_PRIVATE "")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/chathooks.pc.in" "${PROJECT_BINARY_DIR}/chathooks.pc"
  @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/chathooks.pc"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
