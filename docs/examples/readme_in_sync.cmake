# The README shows docs/examples/readme.c from its #include on: check that
# the two still agree. Usage: cmake -DROOT=<source dir> -P readme_in_sync.cmake
file(READ ${ROOT}/docs/examples/readme.c source)
file(READ ${ROOT}/README.md readme)
string(FIND "${source}" "#include <lead.h>" start)
string(SUBSTRING "${source}" ${start} -1 body)
string(FIND "${readme}" "${body}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md no longer shows docs/examples/readme.c as it is")
endif()
