"""PEP 517 build backend for the prempti Python package.

It needs nothing from PyPI: it runs SWIG on prempti.i, compiles the
extension against the libprempti that pkg-config finds, and writes the
wheel itself, so that ``pip install ./bindings/python`` works offline, in a
fresh virtual environment, with the pip that comes with it.

Settings (environment variables):
  PKG_CONFIG_PATH  where prempti.pc is, when libprempti is installed under a
                   prefix pkg-config does not search (e.g. /usr/local/lib/pkgconfig
                   on some systems, or a private prefix)
  PKG_CONFIG, SWIG, CC
                   the programs to run (default: pkg-config, swig, the
                   compiler Python was built with, else cc)
  PREMPTI_RPATH    "0" to not record libprempti's directory in the extension
                   (it is recorded by default, so a private prefix needs no
                   LD_LIBRARY_PATH)
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile

NAME = "prempti"
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE_DIR = os.path.join(HERE, NAME)
INTERFACE = os.path.join(HERE, "prempti.i")
SDIST_FILES = ("pyproject.toml", "README.md", "prempti.i", "tools/prempti_backend.py")


class BuildError(Exception):
    """A missing prerequisite, with what to do about it."""


# ---- metadata ----


def _project():
    """Name, version, summary and Python requirement from pyproject.toml."""
    text = open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8").read()
    section = text.split("[project]", 1)[1].split("\n[", 1)[0]
    fields = dict(re.findall(r'^(\w[\w-]*)\s*=\s*"([^"]*)"', section, re.M))
    return fields


def _metadata() -> str:
    p = _project()
    readme = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
    return (
        "Metadata-Version: 2.1\n"
        f"Name: {p['name']}\n"
        f"Version: {p['version']}\n"
        f"Summary: {p['description']}\n"
        f"Requires-Python: {p['requires-python']}\n"
        "Description-Content-Type: text/markdown\n\n" + readme
    )


def _tag() -> str:
    """The wheel tag of the running interpreter, e.g. cp311-cp311-linux_x86_64."""
    impl = {"cpython": "cp", "pypy": "pp"}.get(sys.implementation.name, sys.implementation.name)
    interp = f"{impl}{sys.version_info.major}{sys.version_info.minor}"
    soabi = sysconfig.get_config_var("SOABI") or ""
    m = re.match(r"cpython-(\d+)(\w*)", soabi)
    abi = f"cp{m.group(1)}{m.group(2).split('-')[0]}" if m else "none"
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"{interp}-{abi}-{plat}"


def _dist_info_name() -> str:
    p = _project()
    return f"{p['name']}-{p['version']}.dist-info"


# ---- prerequisites ----


def _run(cmd, what):
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as e:
        raise BuildError(f"cannot run {cmd[0]} ({what}): {e}") from None
    if res.returncode != 0:
        raise BuildError(f"{what} failed:\n  {shlex.join(cmd)}\n{res.stdout}{res.stderr}")
    return res.stdout


def _program(env, default, hint):
    cmd = shlex.split(os.environ.get(env, default))
    if not cmd or not shutil.which(cmd[0]):
        raise BuildError(f"{cmd[0] if cmd else env} not found: {hint}")
    return cmd


def _libprempti():
    """Compiler and linker flags, include and library directories of libprempti."""
    pkg = _program("PKG_CONFIG", "pkg-config",
                   "install pkg-config (Debian: apt-get install pkg-config)")
    found = subprocess.run(pkg + ["--exists", "--print-errors", "prempti"],
                           capture_output=True, text=True)
    if found.returncode != 0:
        where = os.environ.get("PKG_CONFIG_PATH", "")
        relative = [e for e in where.split(os.pathsep) if e and not os.path.isabs(e)]
        if relative:
            raise BuildError(
                f"PKG_CONFIG_PATH holds relative directories ({', '.join(relative)}); pip "
                "builds in another directory, so give absolute ones, e.g. "
                "PKG_CONFIG_PATH=$PWD/prefix/lib/pkgconfig")
        raise BuildError(
            "libprempti was not found by pkg-config (no prempti.pc"
            + (f" in PKG_CONFIG_PATH={where} or" if where else " in")
            + " the default search path).\n"
            "Build and install the library first, then point PKG_CONFIG_PATH at the\n"
            "directory holding prempti.pc, e.g.:\n"
            "  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build\n"
            "  cmake --install build --prefix /usr/local\n"
            "  PKG_CONFIG_PATH=/usr/local/lib/pkgconfig pip install ./bindings/python\n"
            + found.stderr.strip())
    def q(*args):
        return _run(pkg + list(args) + ["prempti"], "pkg-config").strip()

    def norm(p):  # an older prempti.pc has no rulesdir
        return os.path.normpath(p) if p else ""

    return {
        "cflags": shlex.split(q("--cflags")),
        "libs": shlex.split(q("--libs")),
        "includedir": q("--variable=includedir"),
        "libdir": norm(q("--variable=libdir")),
        "rulesdir": norm(q("--variable=rulesdir")),
        "version": q("--modversion"),
    }


def _python_include():
    inc = sysconfig.get_paths()["include"]
    if not os.path.exists(os.path.join(inc, "Python.h")):
        raise BuildError(
            f"Python.h not found in {inc}: install the Python development headers "
            f"(Debian: apt-get install python3-dev)")
    return inc


def _compiler():
    cc = os.environ.get("CC") or (sysconfig.get_config_var("CC") or "cc").split()[0]
    if not shutil.which(cc):
        cc = "cc"
    return _program("CC", cc, "install a C compiler (Debian: apt-get install gcc)")


# ---- building ----


def _build_extension(tmp):
    lib = _libprempti()
    swig = _program("SWIG", "swig", "install SWIG (Debian: apt-get install swig)")
    pyinc = _python_include()
    cc = _compiler()
    includes = [f for f in lib["cflags"] if f.startswith("-I")] or [f"-I{lib['includedir']}"]
    wrap = os.path.join(tmp, "capi_wrap.c")
    _run(swig + ["-python", "-builtin", "-threads", "-O"] + includes
         + ["-outdir", tmp, "-o", wrap, INTERFACE], "SWIG")
    ext = os.path.join(tmp, "_capi" + sysconfig.get_config_var("EXT_SUFFIX"))
    rpath = [] if os.environ.get("PREMPTI_RPATH") == "0" else [f"-Wl,-rpath,{lib['libdir']}"]
    _run(cc + ["-shared", "-fPIC", "-O2", "-fno-strict-aliasing", f"-I{pyinc}"] + lib["cflags"]
         + [wrap, "-o", ext] + lib["libs"] + rpath, "compiling the extension")
    config = os.path.join(tmp, "_build_config.py")
    with open(config, "w", encoding="utf-8") as f:
        f.write('"""Where the libprempti this package was built against lives."""\n'
                f"LIBPREMPTI_VERSION = {lib['version']!r}\n"
                f"RULES_DIR = {lib['rulesdir']!r}\n"
                f"LIBDIR = {lib['libdir']!r}\n")
    return [os.path.join(tmp, "capi.py"), ext, config]


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{arcname},sha256={digest},{len(data)}"


def _package_files():
    for name in sorted(os.listdir(PACKAGE_DIR)):
        path = os.path.join(PACKAGE_DIR, name)
        if os.path.isfile(path) and (name.endswith((".py", ".pyi")) or name == "py.typed"):
            if name not in ("capi.py", "_build_config.py"):
                yield path


def _write_wheel(path, built):
    dist_info = _dist_info_name()
    entries = [(f"{NAME}/{os.path.basename(p)}", open(p, "rb").read())
               for p in list(_package_files()) + built]
    entries.append((f"{dist_info}/METADATA", _metadata().encode()))
    entries.append((f"{dist_info}/WHEEL", (
        "Wheel-Version: 1.0\nGenerator: prempti_backend\nRoot-Is-Purelib: false\n"
        f"Tag: {_tag()}\n").encode()))
    entries.append((f"{dist_info}/top_level.txt", f"{NAME}\n".encode()))
    record = [_record_line(a, d) for a, d in entries] + [f"{dist_info}/RECORD,,"]
    entries.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data in entries:
            info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if arcname.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def _fail(e):
    sys.stderr.write(f"\nprempti: cannot build the Python binding: {e}\n\n")
    raise SystemExit(1) from None


# ---- PEP 517 hooks ----


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    d = os.path.join(metadata_directory, _dist_info_name())
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    return os.path.basename(d)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    p = _project()
    name = f"{p['name']}-{p['version']}-{_tag()}.whl"
    try:
        with tempfile.TemporaryDirectory(prefix="prempti-build-") as tmp:
            _write_wheel(os.path.join(wheel_directory, name), _build_extension(tmp))
    except BuildError as e:
        _fail(e)
    return name


def build_sdist(sdist_directory, config_settings=None):
    p = _project()
    base = f"{p['name']}-{p['version']}"
    files = list(SDIST_FILES) + [os.path.relpath(f, HERE) for f in _package_files()]
    tests = os.path.join(HERE, "tests")
    files += [os.path.join("tests", n) for n in sorted(os.listdir(tests)) if n.endswith(".py")]
    with tarfile.open(os.path.join(sdist_directory, base + ".tar.gz"), "w:gz") as t:
        for rel in files:
            t.add(os.path.join(HERE, rel), arcname=f"{base}/{rel}")
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        data = _metadata().encode()
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    return base + ".tar.gz"
