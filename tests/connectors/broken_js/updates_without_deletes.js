// getUpdates drops the deletions it is given: the other side keeps deleted records.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

module.exports = {
  ...correct,
  async getUpdates (lastSync) {
    const result = await correct.getUpdates.call(this, lastSync)
    return { ...result, entries: result.entries.filter((e) => e.type !== 'delete') }
  }
}
