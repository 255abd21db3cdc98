// Broken twin: get treats every answer that is not 200 as "no such record", so a get during an
// outage (503) or a rate limit (429) reports the record as gone instead of failing.
const correct = require('./dataSourceApp.js')

module.exports = {
  ...correct,
  async get (id) {
    const response = await this.send('GET', `/cats/${encodeURIComponent(id)}`, undefined, [404, 429, 500, 502, 503, 504])
    return response.status === 200 ? response.body : null
  }
}
