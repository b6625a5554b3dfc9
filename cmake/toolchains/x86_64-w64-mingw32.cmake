# Cross build for 64-bit Windows with Debian's gcc-mingw-w64. json-c and
# libyaml for Windows are built from Debian's sources by
# scripts/mingw-deps.sh into a prefix named by PREMPTI_MINGW_PREFIX.
#   scripts/mingw-deps.sh build/mingw-deps
#   cmake -S . -B build/mingw -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/x86_64-w64-mingw32.cmake \
#         -DPREMPTI_MINGW_PREFIX=$PWD/build/mingw-deps/prefix
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
find_program(_prempti_cxx x86_64-w64-mingw32-g++)
if(_prempti_cxx)
  set(CMAKE_CXX_COMPILER ${_prempti_cxx})
endif()

set(PREMPTI_MINGW_PREFIX "" CACHE PATH "Where json-c and libyaml for Windows are installed")
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 ${PREMPTI_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
if(PREMPTI_MINGW_PREFIX)
  set(ENV{PKG_CONFIG_LIBDIR} "${PREMPTI_MINGW_PREFIX}/lib/pkgconfig")
  set(ENV{PKG_CONFIG_PATH} "")
  set(ENV{PKG_CONFIG_SYSROOT_DIR} "")
endif()
