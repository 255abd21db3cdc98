// Broken twin: patch sends a whole record built from the patch (as a PUT would), so every
// field it does not name is cleared.
const correct = require('./dataSourceApp.js')

module.exports = {
  ...correct,
  async patch (id, value) {
    const record = { notes: null, toys: [], ...value }
    await this.send({ method: 'patch', url: `/cats/${encodeURIComponent(id)}`, data: record })
  }
}
