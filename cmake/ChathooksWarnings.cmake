# chathooks_set_warnings(<target>): the project's warning set, PRIVATE to the target, and the
# sanitizer flags when CHATHOOKS_SANITIZE is set (and libFuzzer's instrumentation when
# CHATHOOKS_FUZZ is on). Never touches global CMAKE_CXX_FLAGS.
function(chathooks_set_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${CHATHOOKS_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow
      $<$<BOOL:${CHATHOOKS_WERROR}>:-Werror>)
  endif()
  chathooks_set_sanitizers(${target})
endfunction()

# CHATHOOKS_FUZZ: every target gets libFuzzer's coverage instrumentation and, unless
# CHATHOOKS_SANITIZE names others, AddressSanitizer and UBSan, so that the library code a fuzz
# target reaches is instrumented and checked like the target itself (tests/fuzz/).
if(CHATHOOKS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CHATHOOKS_FUZZ=ON needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(NOT CHATHOOKS_SANITIZE)
    set(CHATHOOKS_SANITIZE address,undefined)
  elseif(CHATHOOKS_SANITIZE MATCHES "thread|memory")
    message(FATAL_ERROR "CHATHOOKS_FUZZ=ON runs with address,undefined, not ${CHATHOOKS_SANITIZE}")
  endif()
endif()

function(chathooks_set_sanitizers target)
  if(CHATHOOKS_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
  if(CHATHOOKS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${CHATHOOKS_SANITIZE}
      -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${CHATHOOKS_SANITIZE})
    # Known defects of third-party headers that clang's UBSan reports (see the file).
    if(CHATHOOKS_SANITIZE MATCHES "undefined" AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
      target_compile_options(${target} PRIVATE
        "-fsanitize-ignorelist=${CMAKE_CURRENT_FUNCTION_LIST_DIR}/sanitizer_ignorelist.txt")
    endif()
  endif()
endfunction()
