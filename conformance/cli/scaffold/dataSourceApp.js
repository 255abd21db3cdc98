// A data source module for the cats API, in NodeJS as the platform runs it; written by
// `syncpeng init -d --lang js`. Run one method with `syncpeng <command>` (init, get, insert, patch,
// delete, getupdates), its input from the same-named block of in.json; add `--mock` to talk to
// the bundled fake cats API (no account needed). `syncpeng test` runs the conformance suite.
//
// It follows the seed tutorial's sample, with the sample's data-losing bugs fixed:
// - getUpdates takes `nextSync` from the server's clock (the X-Server-Time header), not ours: a
//   clock behind the server's, or a write between our clock read and the query, would be missed.
// - It queries `lastModified ge <since>` and remembers what it already delivered in that
//   millisecond, so a same-millisecond write is neither lost (`gt`) nor re-sent forever (`ge`).
// - It follows `Link: rel="next"` to the last page, and asks for deletions (includeDeleted=true).
// - It returns the key `entries` (the sample's `entires` is never read by the platform).
//
// `this.httpClient` is injected by the platform (and by the harness): its calls resolve to the
// parsed JSON body and reject with an Error carrying `status` on a non-2xx answer.

const crypto = require('node:crypto')

const DEFAULT_BASE_URL = 'https://api.cats.test'
const RETRYABLE = new Set([429, 500, 502, 503, 504]) // the API says "try again": retry, never skip
const MAX_ATTEMPTS = 4

module.exports = {
  async init (account) {
    if (!account.apiToken) throw new Error('account.json needs an apiToken')
    this.httpClient.setBaseUrl(account.baseUrl || DEFAULT_BASE_URL)
    this.httpClient.setHeader('Authorization', 'Bearer ' + account.apiToken)
  },

  // The record, or null if there is none.
  async get (id) {
    try {
      return await this.send({ method: 'GET', url: `/cats/${encodeURIComponent(id)}` })
    } catch (e) {
      if (e.status === 404) return null
      throw e
    }
  },

  async insert (value) {
    const cat = await this.send({ method: 'POST', url: '/cats', body: value })
    return { id: cat.id }
  },

  // Only the fields given change; the API's PATCH is partial, so one request is enough.
  async patch (id, value) {
    await this.send({ method: 'PATCH', url: `/cats/${encodeURIComponent(id)}`, body: value })
  },

  // Deleting twice is not an error.
  async delete (id) {
    try {
      await this.send({ method: 'DELETE', url: `/cats/${encodeURIComponent(id)}` })
    } catch (e) {
      if (e.status !== 404) throw e
    }
  },

  // The token is {since: <server time>, seen: {id: digest}}: `seen` holds what was delivered at
  // or after `since`, so the next query can start at `since` inclusive and skip exactly those.
  async getUpdates (lastSync) {
    const since = lastSync ? lastSync.since : null
    const seen = (lastSync && lastSync.seen) || {}
    const query = { includeDeleted: 'true' }
    if (since) query.q = `lastModified ge ${since}`
    let response = await this.send({ method: 'GET', url: '/cats', query, full: true })
    const nextSince = response.headers['x-server-time']
    const entries = []
    const nextSeen = {}
    for (;;) {
      for (const record of response.body) {
        const hash = digest(record)
        if (record.lastModified >= nextSince) nextSeen[record.id] = hash
        if (seen[record.id] === hash) continue // delivered by the previous sync already
        entries.push({ id: record.id, type: record.deleted ? 'delete' : 'upsert', value: record })
      }
      const next = nextLink(response.headers.link)
      if (!next) break
      response = await this.send({ method: 'GET', url: next, full: true })
    }
    return { nextSync: { since: nextSince, seen: nextSeen }, entries }
  },

  // One request, retried while the API answers that it is busy or failing.
  async send (request) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.httpClient.request(request)
      } catch (e) {
        if (!RETRYABLE.has(e.status) || attempt === MAX_ATTEMPTS) throw e
        await sleep(retryDelay(e, attempt))
      }
    }
  }
}

function retryDelay (error, attempt) {
  const after = parseFloat((error.headers || {})['retry-after'])
  return Number.isNaN(after) ? 50 * 2 ** attempt : Math.min(after, 2) * 1000
}

function sleep (ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function nextLink (header) {
  const found = /<([^>]+)>\s*;\s*rel="next"/.exec(header || '')
  return found ? found[1] : null
}

// Same as the Python example: sha1 of the record's JSON with sorted keys.
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
