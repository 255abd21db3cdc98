// examples/kinto-js with the seed's getUpdates pattern: the sync token is this module's own
// clock. getUpdates reads Date.now() BEFORE its query and hands it back as the token, sent as
// `_since` next time (a change made while the query runs is sent again rather than lost). Only
// replay's handing back of the recorded clock reads lets such a module replay. Everything else
// is examples/kinto-js/dataSourceApp.js unchanged.

const RETRYABLE = new Set([429, 502, 503, 504])

module.exports = {
  async init (account) {
    for (const key of ['baseUrl', 'username', 'password']) {
      if (!account[key]) throw new Error(`account.json needs ${key}`)
    }
    const bucket = account.bucket || 'default'
    const collection = account.collection || 'tasks'
    this.httpClient.setBaseUrl(`${account.baseUrl.replace(/\/+$/, '')}/buckets/${bucket}/collections/${collection}`)
    const basic = Buffer.from(`${account.username}:${account.password}`).toString('base64')
    this.httpClient.setHeader('Authorization', `Basic ${basic}`)
    this.pageSize = Number(account.pageSize) || null
  },

  async get (id) {
    try {
      return (await this.send({ method: 'GET', url: `records/${id}` })).data
    } catch (e) {
      if (e.status === 404) return null
      throw e
    }
  },

  async insert (value) {
    const answer = await this.send({ method: 'POST', url: 'records', body: { data: value } })
    return { id: answer.data.id }
  },

  async patch (id, value) {
    await this.send({ method: 'PATCH', url: `records/${id}`, body: { data: value } })
  },

  async delete (id) {
    try {
      await this.send({ method: 'DELETE', url: `records/${id}` })
    } catch (e) {
      if (e.status !== 404) throw e // already gone: deleting twice is not an error
    }
  },

  async getUpdates (lastSync) {
    const since = Date.now() // before the query: nothing is lost between the two
    const query = { _sort: 'last_modified' }
    if (lastSync) query._since = lastSync.since
    if (this.pageSize) query._limit = this.pageSize
    let response = await this.send({ method: 'GET', url: 'records', query, full: true })
    const entries = []
    for (;;) {
      for (const record of response.body.data) {
        entries.push({ id: record.id, type: record.deleted ? 'delete' : 'upsert', value: record })
      }
      const next = response.headers['next-page']
      if (!next) break
      response = await this.send({ method: 'GET', url: next, full: true })
    }
    return { nextSync: { since }, entries }
  },

  // One request, retried (up to three times) while the server says it is busy.
  async send (request) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.httpClient.request(request)
      } catch (e) {
        if (!RETRYABLE.has(e.status) || attempt === 3) throw e
      }
    }
  }
}
