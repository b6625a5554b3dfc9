# Cross build for 64-bit ARM Linux with Debian's gcc-aarch64-linux-gnu; the
# arm64 json-c, libyaml and Check come from Debian's multiarch packages
# (scripts/deps.sh cross-arm64). Test programs run under qemu-user.
#   cmake -S . -B build/arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
find_program(_prempti_cxx aarch64-linux-gnu-g++)
if(_prempti_cxx)
  set(CMAKE_CXX_COMPILER ${_prempti_cxx})
endif()

# The target's pkg-config files only.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)

# ctest runs the test programs through qemu; the multiarch arm64 libc and
# libraries are where the emulated loader looks for them.
find_program(_prempti_qemu qemu-aarch64)
if(_prempti_qemu)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${_prempti_qemu})
endif()
