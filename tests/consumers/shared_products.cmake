# Two products ship as shared libraries, each with liblead.a linked in, and one
# host loads both (two_shared_products.c). Neither product may carry a lead_
# symbol in its dynamic symbol table (defined: it would export liblead and
# interpose on the other product's copy; undefined: it would take liblead from
# elsewhere), and at run time no lead_ symbol is bound across objects.
#   HOST  the host program;  PRODUCTS  the two product libraries;  NM  nm
cmake_minimum_required(VERSION 3.25)

foreach(lib ${PRODUCTS})
  execute_process(COMMAND ${NM} -D ${lib} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "nm -D ${lib} failed")
  endif()
  string(REGEX MATCHALL "[^\n]*[ \t]lead_[^\n]*" leaked "${out}")
  if(leaked)
    list(LENGTH leaked count)
    list(JOIN leaked "\n" shown)
    message(FATAL_ERROR "${lib} has ${count} lead_ symbols in its dynamic symbol table:\n${shown}")
  endif()
  if(NOT out MATCHES "embedded_[ab]")
    message(FATAL_ERROR "${lib} does not export its entry:\n${out}")
  endif()
endforeach()
message(STATUS "no lead_ symbol in the dynamic symbol table of ${PRODUCTS}")

# The host checks that each product runs its own copy; the dynamic linker's
# trace (glibc) shows what it bound where.
set(ENV{LD_DEBUG} bindings)
execute_process(COMMAND ${HOST} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE trace)
unset(ENV{LD_DEBUG})
string(REGEX MATCHALL "[^\n]*FAILED[^\n]*" failed "${trace}")
list(JOIN failed "\n" failed)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${HOST} failed (${rc}):\n${out}\n${failed}")
endif()
message(STATUS "${out}")
if(NOT trace MATCHES "binding file")
  message(STATUS "the dynamic linker does not trace bindings (LD_DEBUG): not checked")
  return()
endif()
if(NOT trace MATCHES "symbol `embedded_a'" OR NOT trace MATCHES "symbol `embedded_b'")
  message(FATAL_ERROR "the LD_DEBUG trace does not show the host binding the products' entries")
endif()
string(REGEX MATCHALL "[^\n]*symbol `lead_[^\n]*" crossed "${trace}")
if(crossed)
  list(JOIN crossed "\n" crossed)
  message(FATAL_ERROR "lead_ symbols bound across objects:\n${crossed}")
endif()
message(STATUS "LD_DEBUG=bindings: no lead_ symbol bound across objects")
