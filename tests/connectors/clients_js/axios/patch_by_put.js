// Broken twin: patch PUTs the patch as the whole record, clearing every field it does not name.
const correct = require('./dataSourceApp.js')

module.exports = {
  ...correct,
  async patch (id, value) {
    await this.send({ method: 'put', url: `/cats/${encodeURIComponent(id)}`, data: value })
  }
}
