# lead_pkgconfig_dirs(PREFIX LIBDIR INCLUDEDIR): the values of prefix, libdir
# and includedir for liblead.pc, which is installed to
# <prefix>/${CMAKE_INSTALL_LIBDIR}/pkgconfig.
#
# With relative install dirs (the GNUInstallDirs default) the file is
# relocatable: prefix is ${pcfiledir} followed by the path from the pkgconfig
# directory back up to the prefix (../.. for lib, ../../.. for
# lib/x86_64-linux-gnu), and libdir and includedir hang off ${prefix}. So the
# file is right wherever the tree is installed, including with
# `cmake --install <build> --prefix <dir>`, which does not reconfigure.
#
# A directory given as an absolute path is written as it is. When the library
# directory itself is absolute, the .pc file is installed there whatever the
# prefix, so it cannot locate the prefix and prefix is CMAKE_INSTALL_PREFIX.
function(lead_pkgconfig_dirs prefix_var libdir_var includedir_var)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(prefix "${CMAKE_INSTALL_PREFIX}")
  else()
    # Relative to a stand-in root: only the shape of the path matters.
    set(root "/lead-pc-root")
    file(RELATIVE_PATH up "${root}/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "${root}")
    string(REGEX REPLACE "/$" "" up "${up}")
    set(prefix "\${pcfiledir}/${up}")
  endif()
  foreach(dir LIBDIR INCLUDEDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
      set(${dir} "${CMAKE_INSTALL_${dir}}")
    else()
      set(${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
    endif()
  endforeach()
  set(${prefix_var} "${prefix}" PARENT_SCOPE)
  set(${libdir_var} "${LIBDIR}" PARENT_SCOPE)
  set(${includedir_var} "${INCLUDEDIR}" PARENT_SCOPE)
endfunction()
