// getUpdates asks for changes strictly after the newest it saw (`gt`): a write in the same
// millisecond as the token is never listed.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async getUpdates (lastSync) {
    const query = { includeDeleted: 'true' }
    if (lastSync) query.q = `lastModified gt ${lastSync}`
    let response = await this.send({ method: 'GET', url: '/cats', query, full: true })
    const records = []
    for (;;) {
      records.push(...response.body)
      const next = /<([^>]+)>\s*;\s*rel="next"/.exec(response.headers.link || '')
      if (!next) break
      response = await this.send({ method: 'GET', url: next[1], full: true })
    }
    const newest = records.reduce((max, r) => (max === null || r.lastModified > max ? r.lastModified : max), lastSync)
    const entries = records.map((r) => ({ id: r.id, type: r.deleted ? 'delete' : 'upsert', value: r }))
    return { nextSync: newest, entries }
  }
}
