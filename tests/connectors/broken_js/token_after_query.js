// The token is this machine's clock read after the query (a naive fix of the seed): a write
// that lands after the server answered but before we read our clock is lost.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async getUpdates (lastSync) {
    const result = await correct.getUpdates.call(this, lastSync)
    return { ...result, nextSync: { ...result.nextSync, since: new Date().toISOString() } }
  }
}
