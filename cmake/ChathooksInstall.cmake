# Install rules and package configs: find_package(chathooks) from an install tree, and from the
# build tree through the export() below.
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
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/chathooksConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/chathooksConfig.cmake"
  INSTALL_DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/chathooksConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/chathooksConfig.cmake"
  "${PROJECT_BINARY_DIR}/chathooksConfigVersion.cmake"
  DESTINATION ${CHATHOOKS_INSTALL_CMAKEDIR})
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/chathooks)

# Build-tree package: find_package(chathooks) with chathooks_DIR set to this build folder.
export(EXPORT chathooksTargets NAMESPACE chathooks::
  FILE "${PROJECT_BINARY_DIR}/chathooksTargets.cmake")
