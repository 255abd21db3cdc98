// The probe module of tests/connector/test_node_clients.py: get([client, action, url, option])
// makes one request with that client and returns what the client gave back (or the error it
// threw, as {error: {name, code, status, causeCode, message}}), as a module would see it.
const http = require('node:http')
const https = require('node:https')
const net = require('node:net')

async function send (client, method, url, option) {
  const body = method === 'POST' ? JSON.stringify({ cat: 'Tom' }) : undefined
  const headers = { 'x-probe': client, ...(body ? { 'content-type': 'application/json' } : {}) }
  const timeout = option && option.timeout
  switch (client) {
    case 'axios': {
      const axios = require('axios')
      const r = await axios.request({ method, url, data: body, headers, timeout, responseType: option && option.stream ? 'stream' : 'json' })
      if (option && option.stream) {
        let text = ''
        for await (const chunk of r.data) text += chunk
        return { status: r.status, body: JSON.parse(text) }
      }
      return { status: r.status, body: r.data, type: r.headers['content-type'] }
    }
    case 'got': {
      const { default: got } = await import('got')
      const r = await got(url, { method, body, headers, retry: { limit: 0 }, timeout: timeout ? { request: timeout } : undefined })
      return { status: r.statusCode, body: JSON.parse(r.body) }
    }
    case 'node-fetch': {
      const fetch = require('node-fetch')
      const r = await fetch(url, { method, body, headers, timeout })
      return { status: r.status, body: await r.json() }
    }
    case 'fetch': {
      const signal = timeout ? AbortSignal.timeout(timeout) : undefined
      const r = await fetch(url, { method, body, headers, signal })
      return { status: r.status, body: await r.json() }
    }
    case 'superagent': {
      const superagent = require('superagent')
      const r = await superagent(method, url).set(headers).send(body)
      return { status: r.status, body: r.body }
    }
    case 'https': {
      const lib = url.startsWith('https:') ? https : http
      return await new Promise((resolve, reject) => {
        const req = lib.request(url, { method, headers }, (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks)) }))
        })
        req.on('error', reject)
        req.end(body)
      })
    }
    case 'undici': {
      const { request } = require('undici')
      const r = await request(url, { method, body, headers })
      return { status: r.statusCode, body: await r.body.json() }
    }
    case 'net': {
      const { host, port } = option
      return await new Promise((resolve, reject) => {
        const socket = net.connect(port, host, () => { socket.end(); resolve({ connected: true }) })
        socket.on('error', reject)
      })
    }
  }
  throw new Error(`unknown client ${client}`)
}

function described (e) {
  const status = e.response ? (e.response.status || e.response.statusCode) : e.status
  return { error: { name: e.name, code: e.code, status, causeCode: e.cause && e.cause.code, message: e.message } }
}

module.exports = {
  async init () {},
  async get ([client, method, url, option]) {
    const started = Date.now()
    try {
      return { ...(await send(client, method, url, option)), ms: Date.now() - started }
    } catch (e) {
      return { ...described(e), ms: Date.now() - started }
    }
  },
  async insert () {}, async patch () {}, async delete () {}, async getUpdates () {}
}
