// getUpdates returns the seed's misspelt key: the platform sees no changes at all.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async getUpdates (lastSync) {
    const { entries, ...rest } = await correct.getUpdates.call(this, lastSync)
    return { ...rest, entires: entries }
  }
}
