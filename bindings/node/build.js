#!/usr/bin/env node
// Builds the native addon, build/Release/prempti.node, from src/*.c against
// the libprempti that pkg-config finds and the Node-API headers (from the
// node-api-headers package, else from the Node.js installation). Nothing is
// downloaded. npm runs it on install; it stops with a message saying what
// is missing.
//
// Settings (environment variables): PKG_CONFIG_PATH (where prempti.pc is),
// PKG_CONFIG, CC (the programs to run), PREMPTI_RPATH=0 (do not record
// libprempti's directory in the addon).
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const out = path.join(here, 'build', 'Release');

function fail(message) {
  process.stderr.write(`\nprempti: cannot build the Node binding: ${message}\n\n`);
  process.exit(1);
}

function split(s) {
  return s.trim().split(/\s+/).filter(Boolean);
}

function run(cmd, args, what) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') fail(`${cmd} not found (${what})`);
    fail(`${what} failed:\n  ${cmd} ${args.join(' ')}\n${e.stdout || ''}${e.stderr || ''}`);
  }
  return '';
}

// npm runs this script in the package's folder: relative PKG_CONFIG_PATH
// entries are relative to where npm was run (INIT_CWD).
function absolutePkgConfigPath() {
  const base = process.env.INIT_CWD || process.cwd();
  const entries = (process.env.PKG_CONFIG_PATH || '').split(path.delimiter);
  process.env.PKG_CONFIG_PATH = entries.map((e) => (e ? path.resolve(base, e) : e))
    .join(path.delimiter);
}

function libprempti() {
  absolutePkgConfigPath();
  const pkg = process.env.PKG_CONFIG || 'pkg-config';
  try {
    execFileSync(pkg, ['--exists', '--print-errors', 'prempti'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    if (e.code === 'ENOENT') fail(`${pkg} not found: install pkg-config (Debian: apt-get install pkg-config)`);
    const where = process.env.PKG_CONFIG_PATH;
    fail('libprempti was not found by pkg-config (no prempti.pc' +
      (where ? ` in PKG_CONFIG_PATH=${where} or` : ' in') + ' the default search path).\n' +
      'Build and install the library first, then point PKG_CONFIG_PATH at the\n' +
      'directory holding prempti.pc, e.g.:\n' +
      '  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build\n' +
      '  cmake --install build --prefix /usr/local\n' +
      '  PKG_CONFIG_PATH=/usr/local/lib/pkgconfig npm install ./bindings/node\n' +
      String(e.stderr || '').trim());
  }
  const q = (flag) => run(pkg, [flag, 'prempti'], 'pkg-config').trim();
  const norm = (p) => (p ? path.normalize(p) : ''); // an older prempti.pc has no rulesdir
  return {
    cflags: split(q('--cflags')),
    libs: split(q('--libs')),
    libdir: norm(q('--variable=libdir')),
    rulesdir: norm(q('--variable=rulesdir')),
    version: q('--modversion'),
  };
}

function nodeApiInclude() {
  const candidates = [];
  try {
    candidates.push(require('node-api-headers').include_dir);
  } catch (e) {
    // not installed: fall back to the headers shipped with Node.js
  }
  candidates.push(path.resolve(path.dirname(process.execPath), '..', 'include', 'node'));
  const dir = candidates.find((d) => d && fs.existsSync(path.join(d, 'node_api.h')));
  if (!dir) {
    fail('Node-API headers not found: install the node-api-headers package ' +
      '(npm install node-api-headers) or a Node.js that ships its headers');
  }
  return dir;
}

function main() {
  const lib = libprempti();
  const napi = nodeApiInclude();
  const cc = split(process.env.CC || 'cc');
  const sources = fs.readdirSync(path.join(here, 'src')).filter((f) => f.endsWith('.c'))
    .sort().map((f) => path.join(here, 'src', f));
  fs.mkdirSync(out, { recursive: true });
  const target = path.join(out, 'prempti.node');
  const rpath = process.env.PREMPTI_RPATH === '0' ? [] : [`-Wl,-rpath,${lib.libdir}`];
  run(cc[0], [...cc.slice(1), '-std=c11', '-O2', '-fPIC', '-shared', '-fvisibility=hidden',
    '-Wall', '-Wextra', '-DNAPI_VERSION=8', '-DNODE_GYP_MODULE_NAME=prempti',
    `-I${napi}`, ...lib.cflags, ...sources, '-o', target, ...lib.libs, ...rpath],
  'compiling the addon');
  fs.writeFileSync(path.join(out, 'config.json'), JSON.stringify({
    libpremptiVersion: lib.version, rulesDir: lib.rulesdir, libDir: lib.libdir,
  }, null, 2) + '\n');
}

main();
