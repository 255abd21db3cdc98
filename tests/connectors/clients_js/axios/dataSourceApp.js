// The cats connector of examples/cats-js, written with axios.
const crypto = require('node:crypto')
const axios = require('axios')

const DEFAULT_BASE_URL = 'https://api.cats.test'
const RETRYABLE = new Set([429, 500, 502, 503, 504])
const MAX_ATTEMPTS = 4

module.exports = {
  async init (account) {
    if (!account.apiToken) throw new Error('account.json needs an apiToken')
    this.api = axios.create({
      baseURL: account.baseUrl || DEFAULT_BASE_URL,
      headers: { Authorization: 'Bearer ' + account.apiToken }
    })
  },

  async get (id) {
    try {
      return (await this.send({ method: 'get', url: `/cats/${encodeURIComponent(id)}` })).data
    } catch (e) {
      if (e.response && e.response.status === 404) return null
      throw e
    }
  },

  async insert (value) {
    const { data } = await this.send({ method: 'post', url: '/cats', data: value })
    return { id: data.id }
  },

  async patch (id, value) {
    await this.send({ method: 'patch', url: `/cats/${encodeURIComponent(id)}`, data: value })
  },

  async delete (id) {
    try {
      await this.send({ method: 'delete', url: `/cats/${encodeURIComponent(id)}` })
    } catch (e) {
      if (!e.response || e.response.status !== 404) throw e
    }
  },

  async getUpdates (lastSync) {
    const since = lastSync ? lastSync.since : null
    const seen = (lastSync && lastSync.seen) || {}
    const params = { includeDeleted: 'true' }
    if (since) params.q = `lastModified ge ${since}`
    let response = await this.send({ method: 'get', url: '/cats', params })
    const nextSince = response.headers['x-server-time']
    const entries = []
    const nextSeen = {}
    for (;;) {
      for (const record of response.data) {
        const hash = digest(record)
        if (record.lastModified >= nextSince) nextSeen[record.id] = hash
        if (seen[record.id] === hash) continue
        entries.push({ id: record.id, type: record.deleted ? 'delete' : 'upsert', value: record })
      }
      const next = nextLink(response.headers.link)
      if (!next) break
      response = await this.send({ method: 'get', url: next })
    }
    return { nextSync: { since: nextSince, seen: nextSeen }, entries }
  },

  async send (config) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.api.request(config)
      } catch (e) {
        const status = e.response && e.response.status
        if (!RETRYABLE.has(status) || attempt === MAX_ATTEMPTS) throw e
        await sleep(retryDelay(e.response.headers['retry-after'], attempt))
      }
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
