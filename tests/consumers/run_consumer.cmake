cmake_minimum_required(VERSION 3.25)
# Builds tests/consumers/consumer.c the way one kind of application would
# and runs it; it must print exactly the version of the headers.
#   MODE      pkg-config | pkg-config-static | find_package | add_subdirectory
#   PREFIX    where the install fixture put liblead;  LIBDIR, INCLUDEDIR  its lib
#             and include dirs, relative
#   WORK      a scratch directory;  SOURCE  consumer.c;  EXPECTED  the version
#   CC, CFLAGS, GENERATOR, BUILD_TYPE, PROJECTS (the tiny CMake projects),
#   LEAD_SOURCE_DIR, READELF
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
separate_arguments(cflags UNIX_COMMAND "${CFLAGS}")

function(must)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

# pkg-config exactly as an application runs it: liblead.pc itself must know
# where it was installed (the install fixture chose PREFIX with --prefix).
function(pkg_config var)
  must(pkg-config ${ARGN} liblead)
  string(STRIP "${out}" out)
  separate_arguments(out UNIX_COMMAND "${out}")
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

# A statically linked consumer must not need liblead.so at run time.
function(check_no_shared_liblead exe)
  must(${READELF} -d ${exe})
  if(out MATCHES "NEEDED[^\n]*liblead")
    message(FATAL_ERROR "${exe} still needs the shared liblead:\n${out}")
  endif()
endfunction()

function(run_and_check exe)
  must(${exe})
  string(STRIP "${out}" printed)
  if(NOT printed STREQUAL EXPECTED)
    message(FATAL_ERROR "${exe} printed '${printed}', the headers say '${EXPECTED}'")
  endif()
  message(STATUS "${MODE}: ${exe} runs liblead ${printed}")
endfunction()

# The pkg-config variable var must name the directory expected.
function(check_pc_dir var expected)
  pkg_config(dir --variable=${var})
  file(REAL_PATH "${dir}" real)
  file(REAL_PATH "${expected}" expected_real)
  if(NOT real STREQUAL expected_real)
    message(FATAL_ERROR "liblead.pc says ${var}=${dir}, which is not ${expected}")
  endif()
endfunction()

if(MODE STREQUAL "pkg-config" OR MODE STREQUAL "pkg-config-static")
  set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
  check_pc_dir(prefix ${PREFIX})
  check_pc_dir(libdir ${PREFIX}/${LIBDIR})
  check_pc_dir(includedir ${PREFIX}/${INCLUDEDIR})
  pkg_config(pc_cflags --cflags)
  set(exe ${WORK}/consumer)
  if(MODE STREQUAL "pkg-config")
    pkg_config(pc_libs --libs)
    pkg_config(libdir --variable=libdir)
    must(${CC} ${cflags} ${pc_cflags} ${SOURCE} -o ${exe} ${pc_libs} -Wl,-rpath,${libdir})
  else()
    pkg_config(pc_libs --static --libs)
    # Ask the linker for the archive even though liblead.so sits beside it.
    list(TRANSFORM pc_libs REPLACE "^-llead$" "-Wl,-Bstatic;-llead;-Wl,-Bdynamic")
    must(${CC} ${cflags} ${pc_cflags} ${SOURCE} -o ${exe} ${pc_libs})
    check_no_shared_liblead(${exe})
  endif()
  run_and_check(${exe})
elseif(MODE STREQUAL "find_package" OR MODE STREQUAL "add_subdirectory")
  if(MODE STREQUAL "find_package")
    set(project_dir ${PROJECTS}/find_package)
  else()
    set(project_dir ${PROJECTS}/subdirectory)
  endif()
  must(${CMAKE_COMMAND} -S ${project_dir} -B ${WORK} -G ${GENERATOR}
    -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${CFLAGS}" -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
    -DCMAKE_PREFIX_PATH=${PREFIX} -DCONSUMER_SOURCE=${SOURCE} -DLEAD_SOURCE_DIR=${LEAD_SOURCE_DIR})
  must(${CMAKE_COMMAND} --build ${WORK} -j 2)
  check_no_shared_liblead(${WORK}/consumer_static)
  run_and_check(${WORK}/consumer_shared)
  run_and_check(${WORK}/consumer_static)
else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
