'use strict'
// Each scope runs a fresh instance of the connector's own files (docs/contract.md): the bridge
// drops them from require.cache and Node loads them again. Loading is cheap but compiling is
// not (vm.compileFunction, which Node's CommonJS loader uses, has no compilation cache: 40-130
// us a file, and each inner function compiles again on its first call). So the second time a
// file is loaded with the same text, its compiled code is reused: a vm.Script of the wrapped
// text, kept per file, run once per scope. Running it evaluates the wrapper expression anew,
// so each scope gets a new wrapper function and the module's top level runs again: fresh
// module state, as before; only V8's bytecode is shared. Node still resolves, reads (the text
// is compared: an edited file is compiled again) and owns require.cache; a file's first load
// is Node's own, so what it reports for a broken file (SyntaxError, ESM in a CommonJS package)
// is unchanged, and any text the wrapper cannot compile stays on Node's path.

const Module = require('node:module')
const path = require('node:path')
const vm = require('node:vm')

// `import()` from the module's code needs the main context's loader (NodeJS 20.12 / 21.7 and newer);
// without it the fast path would break dynamic imports, so an older Node keeps Node's path.
const IMPORTS = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER
const HEAD = '(function (exports, require, module, __filename, __dirname) {\n'
const TAIL = '\n})'
const NODE_MODULES = path.sep + 'node_modules' + path.sep

const compiled = new Map() // file -> { text, script: vm.Script | null (not ours) | undefined (not yet) }

// Node's makeRequireFunction (internal) for a module, as documented: require, resolve,
// resolve.paths, main, extensions, cache.
function makeRequire (mod) {
  function require (id) { return mod.require(id) }
  function resolve (request, options) {
    if (typeof request !== 'string') return mod.require(request) // Node's own type error
    return Module._resolveFilename(request, mod, false, options)
  }
  resolve.paths = (request) => Module._resolveLookupPaths(request, mod)
  require.resolve = resolve
  require.main = process.mainModule
  require.extensions = Module._extensions
  require.cache = Module._cache
  return require
}

function scriptFor (file, text) {
  const known = compiled.get(file)
  if (!known || known.text !== text) {
    compiled.set(file, { text, script: undefined })
    return null // first load of this text: Node's own
  }
  if (known.script === undefined) {
    try {
      // the wrapper's own line is line 0: the module's lines and columns are its own
      known.script = new vm.Script(HEAD + text + TAIL, { filename: file, lineOffset: -1, importModuleDynamically: IMPORTS })
    } catch {
      known.script = null
    }
  }
  return known.script
}

// Reuse compiled code for the CommonJS files `own(file)` says belong to a connector.
function install (own) {
  if (!IMPORTS) return
  const nodeCompile = Module.prototype._compile
  Module.prototype._compile = function _compile (content, filename, format) {
    if (format === 'module' || typeof content !== 'string' || !own(filename) || filename.includes(NODE_MODULES)) {
      return nodeCompile.apply(this, arguments)
    }
    const script = scriptFor(filename, content)
    if (script === null) return nodeCompile.apply(this, arguments)
    const wrapper = script.runInThisContext({ displayErrors: true })
    return Reflect.apply(wrapper, this.exports, [this.exports, makeRequire(this), this, filename, path.dirname(filename)])
  }
}

module.exports = { install }
