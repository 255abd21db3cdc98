// insert returns whatever id the answer holds, also when the API refused the record.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async insert (value) {
    const answer = await this.httpClient.post('/cats', value).catch((e) => e.body || {})
    return { id: String(answer.id) }
  }
}
