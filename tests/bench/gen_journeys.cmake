# Runs lead-gen-journeys (GEN) three times into OUT and checks determinism,
# the header, and the exact rows of seed 42 (checked against an independent
# reimplementation of the generator).
function(generate seed file)
  execute_process(COMMAND ${GEN} --paths 200 --channels 12 --seed ${seed}
    OUTPUT_FILE ${OUT}/${file} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lead-gen-journeys --seed ${seed} failed: ${rc}")
  endif()
endfunction()

generate(42 gen_a.csv)
generate(42 gen_b.csv)
generate(43 gen_c.csv)

file(READ ${OUT}/gen_a.csv a)
file(READ ${OUT}/gen_b.csv b)
file(READ ${OUT}/gen_c.csv c)
if(NOT a STREQUAL b)
  message(FATAL_ERROR "same seed, different bytes")
endif()
if(a STREQUAL c)
  message(FATAL_ERROR "different seeds, same bytes")
endif()

file(STRINGS ${OUT}/gen_a.csv lines)
list(LENGTH lines count)
if(NOT count EQUAL 201)
  message(FATAL_ERROR "expected 201 lines, got ${count}")
endif()
set(expect
  0 "path,total_conversions,total_conversion_value,total_null"
  1 "ch012 > ch006 > ch005 > ch008,0,0,1"
  2 "ch001 > ch005 > ch009 > ch004,0,0,1"
  4 "ch003,0,0,1"
  76 "ch001 > ch006 > ch001 > ch001 > ch003 > ch001 > ch001,1,35.31,0"
  111 "ch004,1,7.46,0")
while(expect)
  list(POP_FRONT expect index want)
  list(GET lines ${index} got)
  if(NOT got STREQUAL want)
    message(FATAL_ERROR "line ${index}: expected\n  ${want}\ngot\n  ${got}")
  endif()
endwhile()
