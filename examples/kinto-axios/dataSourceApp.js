// examples/kinto-js written with axios instead of `this.httpClient`, as most NodeJS modules are
// written: the harness routes axios (node:http) like its own client, so mocks, cassettes, the
// page-size rewrite, the live guard and `syncpeng -v` see these requests too
// (docs/runtimes.md, "Routed clients"). Run `npm install` in this folder first.
// - records live at /buckets/<bucket>/collections/<collection>/records, wrapped in {"data": ...};
// - PATCH merges the top level of the record, which is exactly the contract's partial patch;
// - getUpdates uses `_since=<timestamp>&_sort=last_modified`: changes strictly after the
//   timestamp, deletions included as tombstones. The next token is the ETag of the first page,
//   the server's own clock, so no change made after the query can fall before it;
// - a listing may be paginated: the `Next-Page` header holds the full URL of the next page.

const axios = require('axios')

const RETRYABLE = new Set([429, 502, 503, 504])

function statusOf (error) {
  return error.response ? error.response.status : undefined
}

module.exports = {
  async init (account) {
    for (const key of ['baseUrl', 'username', 'password']) {
      if (!account[key]) throw new Error(`account.json needs ${key}`)
    }
    const bucket = account.bucket || 'default'
    const collection = account.collection || 'tasks'
    this.api = axios.create({
      baseURL: `${account.baseUrl.replace(/\/+$/, '')}/buckets/${bucket}/collections/${collection}/`,
      auth: { username: account.username, password: account.password }
    })
    this.pageSize = Number(account.pageSize) || null
  },

  async get (id) {
    try {
      return (await this.send({ method: 'get', url: `records/${id}` })).data.data
    } catch (e) {
      if (statusOf(e) === 404) return null
      throw e
    }
  },

  async insert (value) {
    const { data } = await this.send({ method: 'post', url: 'records', data: { data: value } })
    return { id: data.data.id }
  },

  async patch (id, value) {
    await this.send({ method: 'patch', url: `records/${id}`, data: { data: value } })
  },

  async delete (id) {
    try {
      await this.send({ method: 'delete', url: `records/${id}` })
    } catch (e) {
      if (statusOf(e) !== 404) throw e // already gone: deleting twice is not an error
    }
  },

  async getUpdates (lastSync) {
    const params = { _sort: 'last_modified' }
    if (lastSync) params._since = lastSync.since
    if (this.pageSize) params._limit = this.pageSize
    let response = await this.send({ method: 'get', url: 'records', params })
    const since = response.headers.etag.replace(/"/g, '')
    const entries = []
    for (;;) {
      for (const record of response.data.data) {
        entries.push({ id: record.id, type: record.deleted ? 'delete' : 'upsert', value: record })
      }
      const next = response.headers['next-page']
      if (!next) break
      response = await this.send({ method: 'get', url: next })
    }
    return { nextSync: { since }, entries }
  },

  // One request, retried (up to three times) while the server says it is busy.
  async send (config) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.api.request(config)
      } catch (e) {
        if (!RETRYABLE.has(statusOf(e)) || attempt === 3) throw e
      }
    }
  }
}
