# Finds hiredis, the Redis client library (Debian: libhiredis-dev), for the Redis idempotency
# store. Debian's HiredisConfig.cmake defines variables but no target, so this module defines the
# imported target Hiredis::Hiredis itself. Sets Hiredis_FOUND, Hiredis_INCLUDE_DIR,
# Hiredis_LIBRARY. Installed with the package config: a static chathooks needs it at the
# consumer's link step.
find_path(Hiredis_INCLUDE_DIR hiredis/hiredis.h)
find_library(Hiredis_LIBRARY NAMES hiredis)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Hiredis REQUIRED_VARS Hiredis_LIBRARY Hiredis_INCLUDE_DIR)
mark_as_advanced(Hiredis_INCLUDE_DIR Hiredis_LIBRARY)

if(Hiredis_FOUND AND NOT TARGET Hiredis::Hiredis)
  add_library(Hiredis::Hiredis UNKNOWN IMPORTED)
  set_target_properties(Hiredis::Hiredis PROPERTIES
    IMPORTED_LOCATION "${Hiredis_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Hiredis_INCLUDE_DIR}")
endif()
