# Runs the quick start twice on one journal file: the second run must find
# the contacts of the first (data survive a restart) and add one event.
# Usage: cmake -DQUICKSTART=<program> -DJOURNAL=<file> -P journal_twice.cmake
file(REMOVE ${JOURNAL})
foreach(run first second)
  execute_process(COMMAND ${QUICKSTART} --journal ${JOURNAL}
                  OUTPUT_VARIABLE out_${run} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${run} run failed (${rc}):\n${out_${run}}")
  endif()
endforeach()
file(REMOVE ${JOURNAL})
if(NOT out_first MATCHES "0 records, [0-9]+ bytes \\(new\\)")
  message(FATAL_ERROR "first run did not start a new journal:\n${out_first}")
endif()
if(NOT out_second MATCHES "\\(restored from an earlier run\\)")
  message(FATAL_ERROR "second run did not restore the journal:\n${out_second}")
endif()
if(NOT out_first MATCHES "finn@example.org +1 events" OR
   NOT out_second MATCHES "finn@example.org +2 events")
  message(FATAL_ERROR "the second run did not keep the first run's events:\n${out_second}")
endif()
