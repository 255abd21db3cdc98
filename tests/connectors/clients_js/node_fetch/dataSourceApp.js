// The cats connector of examples/cats-js, written with node-fetch (v2: the CommonJS one).
const crypto = require('node:crypto')
const fetch = require('node-fetch')

const DEFAULT_BASE_URL = 'https://api.cats.test'
const RETRYABLE = new Set([429, 500, 502, 503, 504])
const MAX_ATTEMPTS = 4

class ApiError extends Error {
  constructor (response, body) {
    super(`${response.url} answered ${response.status}: ${JSON.stringify(body)}`)
    this.status = response.status
    this.headers = response.headers
  }
}

module.exports = {
  async init (account) {
    if (!account.apiToken) throw new Error('account.json needs an apiToken')
    this.baseUrl = (account.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '')
    this.token = account.apiToken
  },

  async get (id) {
    try {
      return (await this.send('GET', `/cats/${encodeURIComponent(id)}`)).body
    } catch (e) {
      if (e.status === 404) return null
      throw e
    }
  },

  async insert (value) {
    const { body } = await this.send('POST', '/cats', value)
    return { id: body.id }
  },

  async patch (id, value) {
    await this.send('PATCH', `/cats/${encodeURIComponent(id)}`, value)
  },

  async delete (id) {
    try {
      await this.send('DELETE', `/cats/${encodeURIComponent(id)}`)
    } catch (e) {
      if (e.status !== 404) throw e
    }
  },

  async getUpdates (lastSync) {
    const since = lastSync ? lastSync.since : null
    const seen = (lastSync && lastSync.seen) || {}
    const query = new URLSearchParams({ includeDeleted: 'true' })
    if (since) query.set('q', `lastModified ge ${since}`)
    let response = await this.send('GET', `/cats?${query}`)
    const nextSince = response.headers.get('x-server-time')
    const entries = []
    const nextSeen = {}
    for (;;) {
      for (const record of response.body) {
        const hash = digest(record)
        if (record.lastModified >= nextSince) nextSeen[record.id] = hash
        if (seen[record.id] === hash) continue
        entries.push({ id: record.id, type: record.deleted ? 'delete' : 'upsert', value: record })
      }
      const next = nextLink(response.headers.get('link'))
      if (!next) break
      response = await this.send('GET', next)
    }
    return { nextSync: { since: nextSince, seen: nextSeen }, entries }
  },

  // One request (a path, or a full URL from a Link header), retried while the API is busy.
  async send (method, url, json) {
    const target = /^https?:/.test(url) ? url : this.baseUrl + url
    const headers = { Authorization: 'Bearer ' + this.token }
    if (json !== undefined) headers['Content-Type'] = 'application/json'
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(target, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) })
      const text = await response.text()
      const body = text ? JSON.parse(text) : null
      if (response.ok) return { status: response.status, headers: response.headers, body }
      if (!RETRYABLE.has(response.status) || attempt === MAX_ATTEMPTS) throw new ApiError(response, body)
      await sleep(retryDelay(response.headers.get('retry-after'), attempt))
    }
  }
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
