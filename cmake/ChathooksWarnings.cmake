# chathooks_set_warnings(<target>): the project's warning set, PRIVATE to the target, and the
# sanitizer flags when CHATHOOKS_SANITIZE is set. Never touches global CMAKE_CXX_FLAGS.
function(chathooks_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${CHATHOOKS_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow
      $<$<BOOL:${CHATHOOKS_WERROR}>:-Werror>)
  endif()
  chathooks_set_sanitizers(${target})
endfunction()

function(chathooks_set_sanitizers target)
  if(CHATHOOKS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CHATHOOKS_SANITIZE}
      -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${CHATHOOKS_SANITIZE})
  endif()
endfunction()
