# Writes the version header (cmake/version.hpp.in) with the current git commit. Run on every
# build (cmake -P) so the commit is never stale; configure_file leaves the file untouched when
# nothing changed, so nothing is recompiled then.
# In: SOURCE_DIR, OUTPUT, BLUBRIDGE_VERSION.
find_package(Git QUIET)
set(BLUBRIDGE_COMMIT unknown)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE head RESULT_VARIABLE failed
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT failed)
    set(BLUBRIDGE_COMMIT ${head})
    execute_process(COMMAND ${GIT_EXECUTABLE} diff --quiet HEAD --
      WORKING_DIRECTORY ${SOURCE_DIR} RESULT_VARIABLE dirty ERROR_QUIET)
    if(dirty)
      string(APPEND BLUBRIDGE_COMMIT -dirty)
    endif()
  endif()
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.hpp.in ${OUTPUT} @ONLY)
