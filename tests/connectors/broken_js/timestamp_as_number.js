// get and getUpdates hand lastModified over as epoch milliseconds, where schema.json says
// string: a server-set field no round trip compares, so only records.schema sees the number.
const correct = require('../../../examples/cats-js/dataSourceApp.js')

const asNumber = (record) =>
  record && typeof record.lastModified === 'string' ? { ...record, lastModified: 1733000000000 } : record

module.exports = {
  ...correct,
  async get (id) {
    return asNumber(await correct.get.call(this, id))
  },
  async getUpdates (lastSync) {
    const result = await correct.getUpdates.call(this, lastSync)
    for (const entry of result.entries || []) {
      if (entry.value) entry.value = asNumber(entry.value)
    }
    return result
  }
}
