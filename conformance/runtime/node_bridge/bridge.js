'use strict'
// The harness's NodeJS worker: runs dataSourceApp.js / .mjs modules for the Python harness.
//
// It speaks the worker protocol of docs/runtimes.md over fd 3 (a socket the harness passes
// in), one JSON object per line, never over stdout: whatever a module prints cannot corrupt
// the channel. Each scope is a fresh module instance with `this.httpClient` injected; every HTTP
// request (httpClient and globalThis.fetch) is sent back to the harness, which performs it
// with httpx so mocks, cassettes, the live guard and `-v` see it as they see Python's.

const http = require('node:http')
const net = require('node:net')
const nodeCrypto = require('node:crypto')
const { syncBuiltinESMExports } = require('node:module')
const path = require('node:path')
const util = require('node:util')
const { pathToFileURL } = require('node:url')
const { AsyncLocalStorage } = require('node:async_hooks')

const PROTOCOL = 1
const METHODS = { init: 'init', get: 'get', insert: 'insert', patch: 'patch', delete: 'delete', get_updates: 'getUpdates' }
const compiled = require('./compiled.js')

const BRIDGE_FRAMES = [__filename, require.resolve('./compiled.js'), '(node:', 'at node:']

const channel = new net.Socket({ fd: Number(process.env.CONFORMANCE_WORKER_FD), readable: true, writable: true })
const current = new AsyncLocalStorage() // the call a piece of module code runs for
const scopes = new Map() // scope id -> { module, folder }
const waiting = new Map() // id of a request we sent -> { resolve, reject }
let nextId = 1
let loads = 0

function send (message) {
  channel.write(JSON.stringify(message) + '\n')
}

function ask (op, fields) {
  const id = nextId++
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject })
    send({ id, op, ...fields })
  })
}

// --- console capture: each line goes to the call that printed it -----------------------------

function capture (stream) {
  return (...args) => {
    const line = util.format(...args)
    const call = current.getStore()
    if (call) call.logs.push(`${stream}: ${line}`)
    else process.stderr.write(line + '\n')
  }
}
for (const name of ['log', 'info', 'debug']) console[name] = capture('log')
for (const name of ['error', 'warn', 'trace']) console[name] = capture('error')

class ModuleExit extends Error {
  constructor (code) {
    super(`the module called process.exit(${code === undefined ? '' : code}); the platform's ` +
      'process would end mid-sync. Throw an Error instead')
    this.name = 'ProcessExit'
  }
}
const exitForReal = process.exit.bind(process)
process.exit = (code) => { throw new ModuleExit(code) }

function orphan (kind) {
  return (reason) => {
    const call = current.getStore()
    const text = `${kind}: ${reason && reason.stack ? reason.stack : String(reason)}`
    if (call) call.logs.push(`error: ${text}`)
    else process.stderr.write(text + '\n')
  }
}
process.on('unhandledRejection', orphan('unhandled promise rejection'))
process.on('uncaughtException', orphan('uncaught exception'))

// --- the module's own randomness, routed per call (docs/runtimes.md, docs/recording.md) --------
// A call whose message carries `draws` hands back the recorded values of `draws.source` from
// `draws.at` on, in order (the values come once per check, in `draws.items`) or, without a
// source, draws real values; either way its answer lists what it drew. The values
// travel with the call because crypto.randomUUID and Math.random must answer synchronously.
// Math.random is one seeded generator per scope (the seed is the recorded draw), as Python's
// `random` functions are: recording every float would be noise.

const realRandomUUID = nodeCrypto.randomUUID.bind(nodeCrypto)
const realMathRandom = Math.random
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const scopeRandoms = new Map() // scope id -> its Math.random generator

function draw (kind, real, fits) {
  const call = current.getStore()
  const plan = call && call.draws
  if (!plan) return real()
  if (!plan.ahead) {
    const value = real()
    plan.taken.push({ kind, value })
    return value
  }
  const item = plan.ahead[plan.next]
  const recorded = item && typeof item === 'object' ? item.kind : null
  if (!plan.lost && recorded === kind && fits(item.value)) {
    plan.next++
    plan.taken.push(item)
    return item.value
  }
  plan.lost = true // off the recording: this draw and every later one are real, and said so
  const value = real()
  plan.taken.push({ kind, value, unrecorded: true, recorded: recorded === undefined ? null : recorded })
  return value
}

function randomUUID (...args) {
  return draw('uuid4', () => realRandomUUID(...args), (v) => typeof v === 'string' && UUID.test(v))
}

function mathRandom () {
  const call = current.getStore()
  if (!call || !call.draws) return realMathRandom()
  let next = scopeRandoms.get(call.scope)
  if (!next) {
    const seed = draw('seed', () => Math.floor(realMathRandom() * 0x100000000), Number.isSafeInteger)
    next = mulberry32(seed)
    scopeRandoms.set(call.scope, next)
  }
  return next()
}

function mulberry32 (seed) { // a small, well-known 32-bit generator: same seed, same sequence
  let state = seed >>> 0
  return () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

nodeCrypto.randomUUID = randomUUID
if (globalThis.crypto) {
  Object.defineProperty(globalThis.crypto, 'randomUUID', { value: randomUUID, writable: true, configurable: true })
}
Math.random = mathRandom
syncBuiltinESMExports() // `import { randomUUID } from 'node:crypto'` sees the routed one too

// --- the module's wall clock, routed per call (docs/runtimes.md, docs/recording.md) ----------
// A call whose message carries `clock` reads the real clock shifted by `clock.offset` ms and
// lists each read, or (with `clock.source`) hands back the recorded reads from `clock.at` on,
// in order; the values come once per check, in `clock.items`. Each read is an integer of
// microseconds since the epoch, as in the Python runtimes. Owned: Date.now(), new Date() and
// Date() without arguments. Timers, performance.now() and process.hrtime() stay real: the
// harness's per-call timeout and the module's own timeouts fire for real.

const RealDate = Date

function clockMicros (via) {
  const call = current.getStore()
  const plan = call && call.clock
  if (!plan) return null
  if (!plan.ahead) {
    const us = RealDate.now() * 1000 + plan.offset * 1000
    plan.taken.push({ via, us })
    return us
  }
  const item = plan.ahead[plan.next]
  if (!plan.lost && item && Number.isSafeInteger(item.us)) {
    plan.next++
    plan.taken.push({ via, us: item.us })
    return item.us
  }
  plan.lost = true // off the recording: this read and every later one are real, and said so
  const us = RealDate.now() * 1000
  plan.taken.push({ via, us, unrecorded: true })
  return us
}

function nowMs (via) {
  const us = clockMicros(via)
  return us === null ? RealDate.now() : Math.floor(us / 1000)
}

function RoutedDate (...args) {
  if (!new.target) return new RealDate(nowMs('Date()')).toString()
  return Reflect.construct(RealDate, args.length ? args : [nowMs('new Date()')], new.target)
}
Object.setPrototypeOf(RoutedDate, RealDate) // Date.parse, Date.UTC
Object.defineProperty(RoutedDate, 'prototype', { value: RealDate.prototype })
Object.defineProperty(RoutedDate, 'name', { value: 'Date' })
Object.defineProperty(RealDate.prototype, 'constructor', { value: RoutedDate, writable: true, configurable: true })
RoutedDate.now = function now () { return nowMs('Date.now') }
globalThis.Date = RoutedDate

// --- HTTP, performed by the harness ----------------------------------------------------------
// Every request the module makes is answered by the harness (the worker protocol's `http` op),
// whichever client makes it: `this.httpClient` relays directly; node:http/node:https (axios,
// got, node-fetch, superagent, https.request), globalThis.fetch and XMLHttpRequest are caught by
// @mswjs/interceptors (vendor/interceptors.cjs, built by tools/interceptors-bundle) before any
// DNS lookup or connection, and answered with the harness's answer. What still opens a socket
// itself is refused by the guard below (docs/runtimes.md, "Routed clients").

const { ClientRequestInterceptor, FetchInterceptor, XMLHttpRequestInterceptor } = require('./vendor/interceptors.cjs')

const ROUTED = 'this.httpClient, node:http/node:https (axios, got, node-fetch, superagent, ' +
  'https.request), globalThis.fetch and XMLHttpRequest'

function scopeOfCaller (what) {
  const call = current.getStore()
  if (!call) {
    throw new Error(`${what} outside a connector call (at module load or in a timer after the ` +
      'call returned): the harness can only send requests made during init, get, insert, ' +
      'patch, delete or getUpdates')
  }
  return call.scope
}

// How `this.httpClient` names a transport failure: as httpx does, so a module written for the
// platform's client keeps matching on `e.name`.
const TRANSPORT_ERRORS = {
  connect: 'ConnectError',
  blocked: 'ConnectError',
  unmatched: 'ConnectError',
  reset: 'ReadError',
  timeout: 'ReadTimeout'
}

// The harness's answer: {status, headers, body} or a transport failure {name, code?, message}
// (an error reply of the protocol, or an answer without a status). `delay` (seconds) is waited
// before the answer is handed over, so a client-side timeout or abort meets a slow API.
async function relay (scope, request) {
  let answer
  try {
    answer = await ask('http', { scope, request })
  } catch (err) {
    answer = { failure: { name: err.name, code: err.code, message: err.message } }
  }
  if (answer && answer.status === undefined && !answer.failure) {
    answer = { failure: { name: answer.name, code: answer.code, message: answer.message }, delay: answer.delay }
  }
  const delay = Number(answer && answer.delay)
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay * 1000))
  if (answer.failure) return answer
  const body = answer.bodyBase64 !== undefined
    ? Buffer.from(answer.bodyBase64, 'base64')
    : Buffer.from(answer.body || '', 'utf8')
  return { status: answer.status, reason: answer.reason, headers: answer.headers || [], body }
}

function wireBody (request, body) {
  if (!body.length) return request
  const text = body.toString('utf8')
  if (Buffer.from(text, 'utf8').equals(body)) request.body = text
  else request.bodyBase64 = body.toString('base64')
  return request
}

// A failure the harness names -> the error the network would give: Node's system errors carry
// `code` (axios, got and node-fetch copy it onto theirs), fetch rejects with TypeError('fetch
// failed') whose cause has it. Failures named by an older harness (httpx exception names) map too.
const FAILURE_CODES = {
  connect: ['ECONNREFUSED', 'connect'],
  reset: ['ECONNRESET', 'read'],
  timeout: ['ETIMEDOUT', 'connect'],
  blocked: ['EBLOCKED', 'connect'],
  unmatched: ['EUNMATCHED', 'connect'],
  ConnectError: ['ECONNREFUSED', 'connect'],
  ConnectTimeout: ['ETIMEDOUT', 'connect'],
  ReadTimeout: ['ETIMEDOUT', 'read'],
  WriteTimeout: ['ETIMEDOUT', 'write'],
  PoolTimeout: ['ETIMEDOUT', 'connect'],
  TimeoutException: ['ETIMEDOUT', 'connect'],
  ReadError: ['ECONNRESET', 'read'],
  RemoteProtocolError: ['ECONNRESET', 'read']
}

function networkError (failure, url) {
  const [known, syscall] = FAILURE_CODES[failure.name] || [failure.name === 'Error' ? 'EHARNESS' : null, 'connect']
  const code = failure.code || known || 'EHARNESS'
  const host = (() => { try { return new URL(url).host } catch { return url } })()
  const why = failure.message ? `: ${failure.message}` : ''
  return Object.assign(new Error(`${syscall} ${code} ${host}${why}`), { code, errno: code, syscall, hostname: host })
}

const NO_BODY = new Set([101, 103, 204, 205, 304])
const NO_BYTES = Buffer.alloc(0)

// The harness hands over decoded bodies: the encoding and framing headers of the API's answer
// no longer describe them, so the client gets the decoded length instead.
function answerHeaders (pairs, length) {
  const headers = new Headers()
  for (const [name, value] of pairs) {
    const key = String(name).toLowerCase()
    if (key === 'content-encoding' || key === 'transfer-encoding' || key === 'content-length') continue
    try { headers.append(name, value) } catch { /* a header name or value fetch cannot hold */ }
  }
  if (length !== null) headers.set('content-length', String(length))
  return headers
}

function toResponse (method, answer) {
  const empty = NO_BODY.has(answer.status) || method === 'HEAD'
  const statusText = answer.reason || http.STATUS_CODES[answer.status] || ''
  const length = NO_BODY.has(answer.status) ? null : method === 'HEAD' ? null : answer.body.length
  return new Response(empty ? null : answer.body, {
    status: answer.status, statusText, headers: answerHeaders(answer.headers, length)
  })
}

// A request a client-level interceptor caught, answered from the harness.
async function answerCaught (client, request, controller) {
  const call = current.getStore()
  if (!call) {
    controller.errorWith(Object.assign(new Error(`${request.method} ${request.url} (${client}) was ` +
      'sent outside a connector call (at module load or in a timer after the call returned): the ' +
      'harness can only send requests made during init, get, insert, patch, delete or getUpdates'),
    { code: 'EBLOCKED' }))
    return
  }
  const body = request.body === null ? NO_BYTES : Buffer.from(await request.arrayBuffer()) // a GET: no stream to read
  const wire = wireBody({ method: request.method, url: request.url, headers: [...request.headers], client }, body)
  const answer = await relay(call.scope, wire)
  if (answer.failure) {
    const error = networkError(answer.failure, request.url)
    controller.errorWith(client === 'fetch' ? new TypeError('fetch failed', { cause: error }) : error)
    return
  }
  controller.respondWith(toResponse(request.method, answer))
}

for (const [Interceptor, client] of [
  [ClientRequestInterceptor, 'node:http'],
  [FetchInterceptor, 'fetch'],
  [XMLHttpRequestInterceptor, 'xhr']
]) {
  const interceptor = new Interceptor()
  interceptor.on('request', async ({ request, controller }) => {
    try {
      await answerCaught(client, request, controller)
    } catch (err) { // never the interceptor's default (a made-up 500): the module sees why
      controller.errorWith(Object.assign(new Error(`the harness could not answer ${request.method} ` +
        `${request.url} (${client}): ${err && err.message}`), { code: 'EHARNESS' }))
    }
  })
  interceptor.apply()
}

// --- the last resort: a socket opened by hand ------------------------------------------------
// What no interceptor catches (a raw net.Socket or tls.connect, undici's own request/Dispatcher,
// http2) still needs Socket.prototype.connect. It is refused, naming host:port and where the
// call came from, unless the scope's `open` message allowed that "host:port"; the refusal also
// goes to the call's log lines and its answer (`escaped`), so a module that swallows the error
// is still seen. Unix sockets are not network and pass.

const realConnect = net.Socket.prototype.connect
const scopeAllows = new Map() // scope id -> Set of "host:port"

function connectTarget (args) {
  let options = args[0]
  if (Array.isArray(options)) options = options[0] // net.connect's normalized arguments
  if (options && typeof options === 'object') {
    if (options.path) return null
    return { host: String(options.host || 'localhost'), port: Number(options.port) }
  }
  if (typeof options === 'string' && !/^\d+$/.test(options)) return null // a unix socket path
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(options) }
}

function clientOf (stack) { // the package in the stack that opened it, else the module itself
  const frames = String(stack).split('\n').slice(1).filter((line) => !BRIDGE_FRAMES.some((ours) => line.includes(ours)))
  for (const frame of frames) {
    const found = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(frame)
    if (found) return found[1].replace(/\\/g, '/')
  }
  return 'a raw net.Socket / tls.connect'
}

net.Socket.prototype.connect = function connect (...args) {
  const target = connectTarget(args)
  if (target === null) return realConnect.apply(this, args)
  const where = `${target.host}:${target.port}`
  const call = current.getStore()
  const allowed = call && scopeAllows.get(call.scope)
  if (allowed && allowed.has(where.toLowerCase())) return realConnect.apply(this, args)
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 50 // the package that called connect may sit under a few frames of its own
  const client = clientOf(new Error().stack)
  Error.stackTraceLimit = limit
  const message = `the module opened its own connection to ${where} (from ${client}), which the ` +
    `harness does not route: it was refused so that nothing reaches the network unobserved. ` +
    `Routed clients: ${ROUTED}`
  if (call) {
    call.logs.push(`error: ${message}`)
    call.escaped.push({ target: where, client })
  }
  // before the call's answer on the channel: the check learns of it whatever the module does
  send({ op: 'unrouted', scope: call ? call.scope : null, message })
  const error = Object.assign(new Error(`connect EBLOCKED ${where}: ${message}`),
    { code: 'EBLOCKED', errno: 'EBLOCKED', syscall: 'connect', address: target.host, port: target.port })
  process.nextTick(() => this.destroy(error))
  return this
}

syncBuiltinESMExports() // `import { request } from 'node:https'` sees the caught one too

function joinUrl (base, url) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || !base) return url
  return base.replace(/\/+$/, '') + '/' + url.replace(/^\/+/, '')
}

function withQuery (url, query) {
  if (!query) return url
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value))
  }
  const text = params.toString()
  return text ? url + (url.includes('?') ? '&' : '?') + text : url
}

function parseBody (body) {
  if (body.length === 0) return null
  const text = body.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function headerObject (pairs) {
  const headers = {}
  for (const [name, value] of pairs) {
    const key = name.toLowerCase()
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value
  }
  return headers
}

class HttpError extends Error {
  constructor (method, url, status, headers, body) {
    const shown = typeof body === 'string' ? body : JSON.stringify(body)
    super(`${method} ${url} answered ${status}${shown ? ': ' + shown.slice(0, 200) : ''}`)
    this.name = 'HttpError'
    this.status = status
    this.headers = headers
    this.body = body
  }
}

// The platform's `this.httpClient`: JSON in and out, rejects on a non-2xx answer.
class HttpClient {
  constructor (baseUrl) {
    this.baseUrl = baseUrl || ''
    this.headers = {}
  }

  setBaseUrl (url) { this.baseUrl = url }
  setHeader (name, value) { this.headers[name] = String(value) }
  removeHeader (name) {
    for (const key of Object.keys(this.headers)) {
      if (key.toLowerCase() === name.toLowerCase()) delete this.headers[key]
    }
  }

  get (url, opts) { return this.request({ ...opts, method: 'GET', url }) }
  delete (url, opts) { return this.request({ ...opts, method: 'DELETE', url }) }
  post (url, body, opts) { return this.request({ ...opts, method: 'POST', url, body }) }
  put (url, body, opts) { return this.request({ ...opts, method: 'PUT', url, body }) }
  patch (url, body, opts) { return this.request({ ...opts, method: 'PATCH', url, body }) }

  // {method, url, headers, query, body, full}: `full: true` resolves to {status, headers, body}.
  async request ({ method = 'GET', url, headers, query, params, body, full } = {}) {
    const scope = scopeOfCaller(`this.httpClient.${method.toLowerCase()}(${url})`)
    const target = withQuery(joinUrl(this.baseUrl, url), query || params)
    const sent = { ...this.headers, ...headers }
    const request = { method: method.toUpperCase(), url: target, headers: Object.entries(sent), client: 'this.httpClient' }
    if (body !== undefined && body !== null) {
      request.body = typeof body === 'string' ? body : JSON.stringify(body)
      if (!Object.keys(sent).some((k) => k.toLowerCase() === 'content-type')) {
        request.headers.push(['Content-Type', 'application/json'])
      }
    }
    const answer = await relay(scope, request)
    if (answer.failure) { // rejects as before the interceptors: named as the harness names it
      // a transport failure of the pipeline ({name: kind, code}) is named as httpx names it
      const name = TRANSPORT_ERRORS[answer.failure.name] || answer.failure.name
      throw Object.assign(new Error(answer.failure.message), { name, ...(answer.failure.code ? { code: answer.failure.code } : {}) })
    }
    const answerHeaders = headerObject(answer.headers)
    const parsed = parseBody(answer.body)
    if (answer.status < 200 || answer.status > 299) {
      throw new HttpError(request.method, target, answer.status, answerHeaders, parsed)
    }
    return full ? { status: answer.status, headers: answerHeaders, body: parsed } : parsed
  }
}

// --- modules and calls -----------------------------------------------------------------------

const folders = new Set() // the folders of the modules opened: their own files are fresh per scope
compiled.install((file) => { for (const folder of folders) if (file.startsWith(folder)) return true; return false })

async function loadModule (file) {
  if (file.endsWith('.mjs')) {
    // A query string makes each scope's import a new module record: fresh module state.
    const imported = await import(pathToFileURL(file).href + `?scope=${++loads}`)
    return imported.default
  }
  const folder = path.dirname(file) + path.sep
  folders.add(folder)
  const deps = path.sep + 'node_modules' + path.sep
  for (const key of Object.keys(require.cache)) {
    if (key.startsWith(folder) && !key.includes(deps)) delete require.cache[key]
  }
  const before = module.children.length
  try {
    return require(file) // compiled.js: compiled once per file version, run once per scope
  } finally {
    module.children.splice(before) // Node lists it as ours: it would keep every scope's instance
  }
}

function describeLoadError (file, err) {
  const code = err && err.code
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(err.message)
    const name = missing ? missing[1] : '?'
    if (!name.startsWith('.') && !path.isAbsolute(name)) {
      return `Cannot find module '${name}': run \`npm install\` in ${path.dirname(file)} ` +
        '(the connector folder) to install its dependencies'
    }
  }
  if (err instanceof SyntaxError) {
    const where = /^(?:file:\/\/)?(\/[^\n]*?):(\d+)\n/.exec(err.stack || '')
    return where ? `${where[1]}:${where[2]}: SyntaxError: ${err.message}` : `${file}: SyntaxError: ${err.message}`
  }
  return `${file}: loading it threw ${err && err.name ? err.name + ': ' : ''}${err && err.message ? err.message : String(err)}${jsStack(err)}`
}

async function open ({ scope, module: file, allow }) {
  scopeAllows.set(scope, new Set((Array.isArray(allow) ? allow : []).map((where) => String(where).toLowerCase())))
  const call = { scope, logs: [], escaped: [] }
  let exported
  try {
    exported = await current.run(call, () => loadModule(file))
  } catch (err) {
    throw Object.assign(new Error(describeLoadError(file, err)), { name: 'LoadError', logs: call.logs })
  }
  if (exported === null || typeof exported !== 'object') {
    const how = file.endsWith('.mjs') ? 'export default { ... }' : 'module.exports = { ... }'
    throw Object.assign(new Error(`${file}: exports ${exported === null ? 'null' : typeof exported}; ` +
      `a data source module is an object with init, get, insert, patch, delete and getUpdates (${how})`),
    { name: 'LoadError' })
  }
  scopes.set(scope, exported)
  return { methods: Object.keys(METHODS).filter((m) => typeof exported[METHODS[m]] === 'function') }
}

// A call may follow its scope's `open` on the channel without waiting for the answer (one
// round trip less per scope): it waits here for the open still running (an .mjs import).
const opening = new Map() // scope id -> its open, while it runs

function openInOrder (message) {
  const done = open(message)
  opening.set(message.scope, done)
  const settled = () => { if (opening.get(message.scope) === done) opening.delete(message.scope) }
  done.then(settled, settled)
  return done
}

async function call ({ scope, method, args }) {
  if (opening.has(scope)) await opening.get(scope).catch(() => {}) // its failure is the open's answer
  const module = scopes.get(scope)
  if (!module) throw new Error(`scope ${scope} is not open`)
  const name = METHODS[method] || method
  if (typeof module[name] !== 'function') {
    throw Object.assign(new Error(`the module has no method ${name}`), { name: 'TypeError' })
  }
  if (method === 'init') {
    const account = args[0] || {}
    module.httpClient = new HttpClient(typeof account.baseUrl === 'string' ? account.baseUrl : '')
  }
  const result = await module[name].apply(module, args)
  return jsonOnly(result === undefined ? null : result, `${name} result`)
}

// The platform stores results as JSON: anything JSON.stringify would drop or mangle is named.
function jsonOnly (value, where, seen = new Set()) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value
    throw notJson(where, `is ${value}`)
  }
  if (typeof value === 'bigint') throw notJson(where, `is the BigInt ${value}n`)
  if (typeof value === 'function') throw notJson(where, 'is a function')
  if (typeof value === 'symbol') throw notJson(where, 'is a Symbol')
  if (typeof value === 'undefined') return undefined
  if (typeof value.toJSON === 'function') return jsonOnly(value.toJSON(), where, seen)
  if (seen.has(value)) throw notJson(where, 'refers back to itself (a cycle)')
  seen.add(value)
  let out
  if (Array.isArray(value)) {
    out = value.map((item, i) => {
      const json = jsonOnly(item, `${where}[${i}]`, seen)
      return json === undefined ? null : json
    })
  } else {
    out = {}
    for (const [key, item] of Object.entries(value)) {
      const json = jsonOnly(item, `${where}.${key}`, seen)
      if (json !== undefined) out[key] = json
    }
  }
  seen.delete(value)
  return out
}

function notJson (where, what) {
  return Object.assign(new Error(`${where} ${what}: not JSON, which is how the platform stores ` +
    'what a module returns'), { name: 'NotJSON', bare: true })
}

function jsStack (err) {
  if (!err || typeof err.stack !== 'string') return ''
  const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line))
    .filter((line) => !BRIDGE_FRAMES.some((ours) => line.includes(ours)))
  return frames.length ? '\n' + frames.join('\n') : ''
}

function describeError (err) {
  if (err instanceof Error || (err && typeof err === 'object' && 'message' in err)) {
    const error = { name: String(err.name || 'Error'), message: String(err.message) }
    if (!err.bare) error.stack = jsStack(err).replace(/^\n/, '')
    for (const key of ['status', 'code']) {
      if (err[key] !== undefined && typeof err[key] !== 'object') error[key] = err[key]
    }
    return error
  }
  return { name: 'Thrown', message: `the module threw a non-Error value: ${util.inspect(err)}` }
}

const OPS = {
  open: openInOrder,
  call: (message) => current.run({ scope: message.scope, logs: [], escaped: [], draws: drawPlan(message), clock: clockPlan(message) }, async () => {
    const { logs, draws, escaped, clock } = current.getStore()
    const extras = () => ({ ...(draws ? { draws: draws.taken } : {}), ...(clock ? { clock: clock.taken } : {}), ...(escaped.length ? { escaped } : {}) })
    try {
      const value = await call(message)
      return { value, logs, ...extras() }
    } catch (err) {
      throw Object.assign(err instanceof Error ? err : { thrown: err }, { logs, ...extras() })
    }
  }),
  close: ({ scope }) => { scopes.delete(scope); scopeRandoms.delete(scope); scopeAllows.delete(scope); return null }
}

const recordedDraws = new Map() // source -> the recorded draws of its check (sent once)
const KEPT_SOURCES = 4

function drawPlan (message) {
  const plan = message.draws
  if (!plan || typeof plan !== 'object') return null
  if (plan.source === undefined) return { ahead: null, next: 0, lost: false, taken: [] }
  if (Array.isArray(plan.items)) {
    recordedDraws.set(plan.source, plan.items)
    while (recordedDraws.size > KEPT_SOURCES) recordedDraws.delete(recordedDraws.keys().next().value)
  }
  const ahead = recordedDraws.get(plan.source) || []
  return { ahead, next: Number(plan.at) || 0, lost: false, taken: [] }
}

const recordedReads = new Map() // source -> the recorded clock reads of its check (sent once)

function clockPlan (message) {
  const plan = message.clock
  if (!plan || typeof plan !== 'object') return null
  if (plan.source === undefined) return { ahead: null, offset: Number(plan.offset) || 0, next: 0, lost: false, taken: [] }
  if (Array.isArray(plan.items)) {
    recordedReads.set(plan.source, plan.items)
    while (recordedReads.size > KEPT_SOURCES) recordedReads.delete(recordedReads.keys().next().value)
  }
  const ahead = recordedReads.get(plan.source) || []
  return { ahead, offset: 0, next: Number(plan.at) || 0, lost: false, taken: [] }
}

async function handle (message) {
  if (message.re !== undefined) {
    const pending = waiting.get(message.re)
    waiting.delete(message.re)
    if (!pending) return
    if (message.ok) pending.resolve(message.value)
    else pending.reject(Object.assign(new Error(message.error.message), { name: message.error.name, code: message.error.code }))
    return
  }
  const op = OPS[message.op]
  if (message.id === undefined) { // an event: no answer expected
    if (op) op(message)
    return
  }
  try {
    if (!op) throw new Error(`unknown op ${message.op}`)
    const answer = await op(message)
    if (message.op === 'call') {
      const drawn = { ...(answer.draws ? { draws: answer.draws } : {}), ...(answer.clock ? { clock: answer.clock } : {}), ...(answer.escaped ? { escaped: answer.escaped } : {}) }
      send({ re: message.id, ok: true, value: answer.value, logs: answer.logs, ...drawn })
    } else send({ re: message.id, ok: true, value: answer })
  } catch (err) {
    const thrown = err && err.thrown !== undefined ? err.thrown : err
    const drawn = { ...(err && err.draws ? { draws: err.draws } : {}), ...(err && err.clock ? { clock: err.clock } : {}), ...(err && err.escaped ? { escaped: err.escaped } : {}) }
    send({ re: message.id, ok: false, error: describeError(thrown), logs: (err && err.logs) || [], ...drawn })
  }
}

let buffered = ''
channel.setEncoding('utf8')
channel.on('data', (chunk) => {
  buffered += chunk
  let end
  while ((end = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, end)
    buffered = buffered.slice(end + 1)
    if (line) handle(JSON.parse(line))
  }
})
channel.on('end', () => exitForReal(0)) // the harness went away: so do we
channel.on('error', () => exitForReal(0))
send({ op: 'ready', runtime: 'node', version: process.versions.node, protocol: PROTOCOL })
