# Runs lead-attribute in data/ and checks its exit status, its stdout
# against an expected file byte for byte, and its stderr against a line.
#   -DTOOL=... -DDATA=dir -DARGS="a^^b" [-DEXPECTED=file] -DRC=n [-DERR=text]
string(REPLACE "^^" ";" ARGS "${ARGS}")
execute_process(COMMAND ${TOOL} ${ARGS} WORKING_DIRECTORY ${DATA}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc STREQUAL RC)
  message(FATAL_ERROR "exit status ${rc}, expected ${RC}; stderr: ${err}")
endif()
if(DEFINED EXPECTED)
  file(READ ${DATA}/${EXPECTED} want)
  if(NOT out STREQUAL want)
    message(FATAL_ERROR "stdout differs from ${EXPECTED}:\n${out}")
  endif()
endif()
if(DEFINED ERR AND NOT err STREQUAL "${ERR}\n")
  message(FATAL_ERROR "stderr is\n${err}expected\n${ERR}")
endif()
