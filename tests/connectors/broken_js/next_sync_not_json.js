// nextSync holds a BigInt: not JSON, so the platform could not store the token.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async getUpdates (lastSync) {
    const result = await correct.getUpdates.call(this, lastSync)
    return { ...result, nextSync: { ...result.nextSync, version: 1n } }
  }
}
