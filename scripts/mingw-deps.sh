#!/bin/sh
# Builds json-c and libyaml for 64-bit Windows (static, with gcc-mingw-w64)
# from Debian's own source packages, fetched with apt-get source through a
# private source list (nothing in /etc/apt changes), into DIR/prefix. Does
# nothing when DIR/prefix is already complete.
# usage: scripts/mingw-deps.sh DIR
set -eu
dir=$(mkdir -p "$1" && cd "$1" && pwd)
prefix=$dir/prefix
here=$(cd "$(dirname "$0")/.." && pwd)
toolchain=$here/cmake/toolchains/x86_64-w64-mingw32.cmake
[ -f "$prefix/lib/libjson-c.a" ] && [ -f "$prefix/lib/libyaml.a" ] &&
    [ -f "$prefix/lib/pkgconfig/yaml-0.1.pc" ] && exit 0

# Debian's sources for the release this machine runs.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir/src"
echo "deb-src http://deb.debian.org/debian $codename main" > "$apt/sources.list"
set -- -o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
    -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Sandbox::User=root
apt-get "$@" -qq update
(cd "$dir/src" && apt-get "$@" -qq source --download-only json-c libyaml)

unpack() { # unpack NAME: the upstream tarball of NAME, unpacked; prints its directory
    rm -rf "$dir/src/$1"
    mkdir -p "$dir/src/$1"
    tar -xf "$(ls "$dir"/src/"$1"_*.orig.tar.* | head -1)" -C "$dir/src/$1" --strip-components=1
    echo "$dir/src/$1"
}

build() { # build NAME SOURCE_DIR [CMAKE_OPTIONS...]
    name=$1 src=$2
    shift 2
    cmake -S "$src" -B "$dir/build-$name" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
        -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
        -DBUILD_TESTING=OFF "$@" > "$dir/build-$name.log" 2>&1 &&
        cmake --build "$dir/build-$name" -j 2 >> "$dir/build-$name.log" 2>&1 &&
        cmake --install "$dir/build-$name" >> "$dir/build-$name.log" 2>&1 ||
        { cat "$dir/build-$name.log"; echo "mingw-deps: building $name failed"; exit 1; }
}

build json-c "$(unpack json-c)" -DBUILD_APPS=OFF -DDISABLE_WERROR=ON
build libyaml "$(unpack libyaml)"

# libyaml's CMake build installs no pkg-config file; a static libyaml on
# Windows needs YAML_DECLARE_STATIC.
version=$(ls "$dir"/src/libyaml_*.orig.tar.* | sed 's/.*libyaml_\([0-9.]*\)\.orig.*/\1/')
mkdir -p "$prefix/lib/pkgconfig"
cat > "$prefix/lib/pkgconfig/yaml-0.1.pc" << PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: LibYAML
Description: Library to parse and emit YAML
Version: $version
Cflags: -I\${includedir} -DYAML_DECLARE_STATIC
Libs: -L\${libdir} -lyaml
PC
echo "mingw-deps: json-c and libyaml for Windows in $prefix"
