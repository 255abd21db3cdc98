// The cats connector of examples/cats-js, written with got (an ES module, as got 12+ is).
import crypto from 'node:crypto'
import got from 'got'

const DEFAULT_BASE_URL = 'https://api.cats.test'

export default {
  async init (account) {
    if (!account.apiToken) throw new Error('account.json needs an apiToken')
    this.api = got.extend({
      prefixUrl: account.baseUrl || DEFAULT_BASE_URL,
      headers: { authorization: 'Bearer ' + account.apiToken },
      responseType: 'json',
      // got retries by itself: every method (our writes are safe to repeat after a 429/5xx,
      // which the API answers before applying them), Retry-After honoured up to 2 s.
      retry: {
        limit: 3,
        methods: ['GET', 'POST', 'PATCH', 'DELETE'],
        statusCodes: [429, 500, 502, 503, 504],
        maxRetryAfter: 2000,
        backoffLimit: 400,
        noise: 0
      }
    })
  },

  async get (id) {
    try {
      return await this.api.get(`cats/${encodeURIComponent(id)}`).json()
    } catch (e) {
      if (e.response && e.response.statusCode === 404) return null
      throw e
    }
  },

  async insert (value) {
    const cat = await this.api.post('cats', { json: value }).json()
    return { id: cat.id }
  },

  async patch (id, value) {
    await this.api.patch(`cats/${encodeURIComponent(id)}`, { json: value })
  },

  async delete (id) {
    try {
      await this.api.delete(`cats/${encodeURIComponent(id)}`)
    } catch (e) {
      if (!e.response || e.response.statusCode !== 404) throw e
    }
  },

  async getUpdates (lastSync) {
    const since = lastSync ? lastSync.since : null
    const seen = (lastSync && lastSync.seen) || {}
    const searchParams = { includeDeleted: 'true' }
    if (since) searchParams.q = `lastModified ge ${since}`
    let response = await this.api.get('cats', { searchParams })
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
      const next = this.nextPage(response)
      if (!next) break
      response = await this.api.get(next, { prefixUrl: '' })
    }
    return { nextSync: { since: nextSince, seen: nextSeen }, entries }
  },

  nextPage (response) {
    const found = /<([^>]+)>\s*;\s*rel="next"/.exec(response.headers.link || '')
    return found ? found[1] : null
  }
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
