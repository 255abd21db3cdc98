// The cats connector of examples/cats-js, written with Node's own https.request (http.request
// for an http:// base URL): no package at all.
const crypto = require('node:crypto')
const http = require('node:http')
const https = require('node:https')

const DEFAULT_BASE_URL = 'https://api.cats.test'
const RETRYABLE = new Set([429, 500, 502, 503, 504])
const MAX_ATTEMPTS = 4

module.exports = {
  async init (account) {
    if (!account.apiToken) throw new Error('account.json needs an apiToken')
    this.baseUrl = (account.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '')
    this.token = account.apiToken
  },

  async get (id) {
    const response = await this.send('GET', `/cats/${encodeURIComponent(id)}`, undefined, [404])
    return response.status === 404 ? null : response.body
  },

  async insert (value) {
    const { body } = await this.send('POST', '/cats', value)
    return { id: body.id }
  },

  async patch (id, value) {
    await this.send('PATCH', `/cats/${encodeURIComponent(id)}`, value)
  },

  async delete (id) {
    await this.send('DELETE', `/cats/${encodeURIComponent(id)}`, undefined, [404])
  },

  async getUpdates (lastSync) {
    const since = lastSync ? lastSync.since : null
    const seen = (lastSync && lastSync.seen) || {}
    const query = new URLSearchParams({ includeDeleted: 'true' })
    if (since) query.set('q', `lastModified ge ${since}`)
    let response = await this.send('GET', `/cats?${query}`)
    const nextSince = response.headers['x-server-time']
    const entries = []
    const nextSeen = {}
    for (;;) {
      for (const record of response.body) {
        const hash = digest(record)
        if (record.lastModified >= nextSince) nextSeen[record.id] = hash
        if (seen[record.id] === hash) continue
        entries.push({ id: record.id, type: record.deleted ? 'delete' : 'upsert', value: record })
      }
      const next = nextLink(response.headers.link)
      if (!next) break
      response = await this.send('GET', next)
    }
    return { nextSync: { since: nextSince, seen: nextSeen }, entries }
  },

  // One request, retried while the API is busy; a status outside 2xx (and `expected`) throws.
  async send (method, url, json, expected = []) {
    const target = new URL(/^https?:/.test(url) ? url : this.baseUrl + url)
    for (let attempt = 1; ; attempt++) {
      const response = await request(method, target, this.token, json)
      const ok = (response.status >= 200 && response.status < 300) || expected.includes(response.status)
      if (ok) return response
      if (!RETRYABLE.has(response.status) || attempt === MAX_ATTEMPTS) {
        throw Object.assign(new Error(`${method} ${target} answered ${response.status}`), { status: response.status })
      }
      await sleep(retryDelay(response.headers['retry-after'], attempt))
    }
  }
}

function request (method, url, token, json) {
  const payload = json === undefined ? null : Buffer.from(JSON.stringify(json))
  const headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' }
  if (payload) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': payload.length })
  const client = url.protocol === 'http:' ? http : https
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        try {
          resolve({ status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : null })
        } catch (e) {
          reject(e)
        }
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(payload)
  })
}

function retryDelay (header, attempt) {
  const after = parseFloat(header)
  return Number.isNaN(after) ? 50 * 2 ** attempt : Math.min(after, 2) * 1000
}

function sleep (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function nextLink (header) {
  const found = /<([^>]+)>\s*;\s*rel="next"/.exec(header || '')
  return found ? found[1] : null
}

function digest (record) {
  return crypto.createHash('sha1').update(stableJson(record)).digest('hex').slice(0, 12)
}

function stableJson (value) {
  if (Array.isArray(value)) return '[' + value.map(stableJson).join(',') + ']'
  if (value && typeof value === 'object') {
    return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + stableJson(value[k])).join(',') + '}'
  }
  return JSON.stringify(value)
}
